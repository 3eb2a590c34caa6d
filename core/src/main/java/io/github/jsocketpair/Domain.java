package io.github.jsocketpair;

/**
 * The communication domain (address family) of a socket pair, the {@code domain} argument of {@code socketpair(2)}.
 */
public enum Domain {
    /** {@code AF_UNIX}: local sockets, offered by every supported OS. */
    UNIX,
    /** {@code AF_TIPC}: Transparent Inter-Process Communication, Linux only, needs the {@code tipc} kernel module. */
    TIPC
}
