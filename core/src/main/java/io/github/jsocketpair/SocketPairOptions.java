package io.github.jsocketpair;

import java.net.SocketOption;
import java.util.Objects;

/**
 * The socket options of an {@link Endpoint} beyond {@link java.net.StandardSocketOptions}, for
 * {@link Endpoint#setOption} and {@link Endpoint#getOption}. Which of them the running platform has is in
 * {@link Endpoint#supportedOptions()}; asking for one it lacks throws {@link UnsupportedOperationException}.
 */
public final class SocketPairOptions {
    private SocketPairOptions() {
    }

    /**
     * Whether each received message carries the credentials of the process that sent it, read with
     * {@link Received#credentials()}: {@code SO_PASSCRED} on Linux ({@code SCM_CREDENTIALS}),
     * {@code LOCAL_CREDS_PERSISTENT} on FreeBSD 13+ and {@code LOCAL_CREDS} on NetBSD ({@code SCM_CREDS}). Off by
     * default. Unlike {@link Endpoint#peerCredentials()}, which names the process that created the pair, this names
     * the sender of each message, e.g. a child process that inherited the other end.
     */
    public static final SocketOption<Boolean> PASS_CREDENTIALS = new Option<>("PASS_CREDENTIALS", Boolean.class);

    /**
     * Whether {@link Endpoint#receive} accepts descriptors the peer passes ({@code SCM_RIGHTS}); on by default, and
     * kept by the endpoint rather than the kernel. Off, a receive offers the kernel no room for them: the kernel
     * discards every passed descriptor without installing it in this process, and {@link Received#controlTruncated()}
     * tells that some came. For a receiver facing a peer it does not trust.
     */
    public static final SocketOption<Boolean> RECEIVE_DESCRIPTORS = new Option<>("RECEIVE_DESCRIPTORS", Boolean.class);

    /**
     * The offset at which a {@link MessageFlag#PEEK} receive looks ({@code SO_PEEK_OFF}, Linux): {@code -1} (the
     * default) peeks at the start of the queue every time; from {@code 0} on, each peek reads from the offset and
     * advances it by what it peeked, and a normal read moves it back by what it consumed. Linux only.
     */
    public static final SocketOption<Integer> PEEK_OFFSET = new Option<>("PEEK_OFFSET", Integer.class);

    /**
     * The least number of bytes a blocking stream read waits for ({@code SO_RCVLOWAT}, default 1): a blocking
     * {@link Endpoint#read(java.nio.ByteBuffer)} or {@link Endpoint#receive} (not a peek) on a
     * {@link SocketType#STREAM} returns once at least this many bytes (or as many as the buffer holds) have arrived,
     * or at end of stream, or with {@link java.net.SocketTimeoutException} after the read timeout (the bytes read so
     * far then stay in the buffer). The endpoint does the waiting, as the kernel's own watermark cannot hold a
     * reader whose every call is non-blocking; non-blocking calls, scattering reads and the input stream take what is
     * there. The value is also set on the socket, and read back from it.
     */
    public static final SocketOption<Integer> RECEIVE_LOW_WATERMARK = new Option<>("RECEIVE_LOW_WATERMARK",
            Integer.class);

    /** A named option of one value type. */
    private static final class Option<T> implements SocketOption<T> {
        private final String name;
        private final Class<T> type;

        Option(String name, Class<T> type) {
            this.name = Objects.requireNonNull(name);
            this.type = Objects.requireNonNull(type);
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public Class<T> type() {
            return type;
        }

        @Override
        public String toString() {
            return name;
        }
    }
}
