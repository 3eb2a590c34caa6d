package io.github.jsocketpair;

/**
 * Per-call flags for {@link Endpoint#send(java.nio.ByteBuffer, MessageFlag...)} and
 * {@link Endpoint#receive(java.nio.ByteBuffer, MessageFlag...)}, the {@code flags} argument of {@code sendmsg(2)}
 * and {@code recvmsg(2)}.
 */
public enum MessageFlag {
    /** Receive only: look at the data without removing it from the queue ({@code MSG_PEEK}). */
    PEEK,
    /** Do not block for this one call, whatever the endpoint's mode ({@code MSG_DONTWAIT}). */
    DONTWAIT,
    /** Receive only: on a stream, block until the buffer is full, the peer closes or an error occurs ({@code MSG_WAITALL}). */
    WAITALL,
    /** Send only: terminate a record ({@code MSG_EOR}); meaningful on {@link SocketType#SEQPACKET} where the protocol supports it. */
    EOR,
    /** Out-of-band data ({@code MSG_OOB}); {@code AF_UNIX} rejects it on most types with {@link Errno#EOPNOTSUPP}. */
    OOB
}
