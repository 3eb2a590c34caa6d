package io.github.jsocketpair;

/**
 * Options applied to both ends of a pair when it is created. Where the platform offers a flag bit in the
 * {@code type} argument the flag is set atomically; otherwise it is set right after creation (see
 * {@link Capabilities#atomicFlags()}).
 */
public enum SocketFlag {
    /** Non-blocking mode ({@code SOCK_NONBLOCK}, or {@code O_NONBLOCK} through {@code fcntl}). */
    NONBLOCK,
    /** Close-on-exec ({@code SOCK_CLOEXEC}, or {@code FD_CLOEXEC} through {@code fcntl}). */
    CLOEXEC,
    /** Close-on-fork ({@code SOCK_CLOFORK}); only where the OS has it, see {@link Capabilities#cloFork()}. */
    CLOFORK,
    /**
     * Never raise {@code SIGPIPE} for writes to a closed peer ({@code SOCK_NOSIGPIPE}, {@code SO_NOSIGPIPE} or
     * {@code MSG_NOSIGNAL}); the write fails with {@link Errno#EPIPE} instead. This library never lets a write raise
     * {@code SIGPIPE}, so the flag is always honoured.
     */
    NOSIGPIPE
}
