package io.github.jsocketpair;

/**
 * The socket type of a pair, the base part of the {@code type} argument of {@code socketpair(2)}.
 */
public enum SocketType {
    /** {@code SOCK_STREAM}: a reliable, ordered byte stream without record boundaries. */
    STREAM,
    /** {@code SOCK_DGRAM}: datagrams; each send is one record, and a short receive truncates it. */
    DGRAM,
    /** {@code SOCK_SEQPACKET}: reliable, ordered records that keep their boundaries. */
    SEQPACKET
}
