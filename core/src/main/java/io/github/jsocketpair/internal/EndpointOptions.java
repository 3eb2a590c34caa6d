package io.github.jsocketpair.internal;

import io.github.jsocketpair.Domain;
import io.github.jsocketpair.SocketPairOptions;
import java.io.IOException;
import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.nio.channels.ClosedChannelException;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

/**
 * An endpoint's socket options with {@link java.nio.channels.NetworkChannel}'s semantics: which exist on this
 * platform and domain, reading and setting them, and the ones the engine itself keeps (descriptors refused, the low
 * watermark a blocking stream read waits for). Unknown or unsupported options are
 * {@link UnsupportedOperationException}, bad values {@link IllegalArgumentException}.
 */
final class EndpointOptions {
    private final NativeEndpoint ep;

    EndpointOptions(NativeEndpoint ep) {
        this.ep = ep;
    }

    /**
     * What {@link SocketPairOptions#RECEIVE_DESCRIPTORS} says: false gives recvmsg no room for SCM_RIGHTS, so the
     * kernel discards passed descriptors (MSG_CTRUNC) and never installs them here.
     */
    private volatile boolean receiveDescriptors = true;
    /** {@link SocketPairOptions#RECEIVE_LOW_WATERMARK} as last set here: blocking stream reads wait for this many. */
    private volatile int lowWatermark = 1;

    /**
     * How much control room a receive offers: all of {@code full}, or with descriptors refused just enough for the
     * credentials message (none without one), so that SCM_RIGHTS never fits.
     */
    int controlRoom(int full) {
        if (receiveDescriptors) {
            return full;
        }
        int creds = ep.backend.messageCredentialsSize();
        return passCredentials && creds > 0 ? ep.c.cmsgSpace(creds) : 0;
    }

    /** Tells whether receives accept descriptors ({@link SocketPairOptions#RECEIVE_DESCRIPTORS}). */
    boolean receivesDescriptors() {
        return receiveDescriptors;
    }

    /** PASS_CREDENTIALS as last set here: a receive refusing descriptors leaves room for the credentials alone. */
    private volatile boolean passCredentials;

    /**
     * The least a blocking read of {@code room} bytes waits for: the low watermark on a stream, else 0 (one call's
     * worth, whatever it is). The kernel's own SO_RCVLOWAT cannot hold our reader: its calls are MSG_DONTWAIT, which
     * return what is queued, poll(2) on a UNIX socket reports readable at the first byte, and a read does not block
     * in the call while a watermark is set ({@link NativeEndpoint#blocksInCall}).
     */
    int minimumRead(boolean blocking, int room) {
        int lw = lowWatermark;
        return blocking && !ep.records && lw > 1 ? Math.min(lw, room) : 0;
    }

    Set<SocketOption<?>> supportedOptions() {
        Set<SocketOption<?>> s = new LinkedHashSet<>();
        s.add(StandardSocketOptions.SO_SNDBUF);
        s.add(StandardSocketOptions.SO_RCVBUF);
        if (ep.domain() == Domain.UNIX && ep.c.passCredentialsName() != NativeConstants.ABSENT) {
            s.add(SocketPairOptions.PASS_CREDENTIALS);
        }
        if (ep.domain() == Domain.UNIX && ep.c.maxFdsPerMessage > 0) {
            s.add(SocketPairOptions.RECEIVE_DESCRIPTORS);
        }
        if (ep.domain() == Domain.UNIX && ep.c.soPeekOff() != NativeConstants.ABSENT) {
            s.add(SocketPairOptions.PEEK_OFFSET);
        }
        if (ep.c.soRcvlowat() != NativeConstants.ABSENT) {
            s.add(SocketPairOptions.RECEIVE_LOW_WATERMARK);
        }
        return Collections.unmodifiableSet(s);
    }

    private void checkSupported(SocketOption<?> name) {
        Objects.requireNonNull(name, "name");
        if (!supportedOptions().contains(name)) {
            throw new UnsupportedOperationException("'" + name + "' is not supported on " + ep.domain() + " sockets on "
                    + ep.backend.info().os());
        }
    }

    <T> void set(SocketOption<T> name, T value) throws IOException {
        checkSupported(name);
        if (value == null) {
            throw new IllegalArgumentException("'" + name + "' cannot be null");
        }
        if (!ep.isOpen()) {
            throw new ClosedChannelException();
        }
        if (name == StandardSocketOptions.SO_SNDBUF) {
            ep.setSendBufferSize((Integer) value);
        } else if (name == StandardSocketOptions.SO_RCVBUF) {
            ep.setReceiveBufferSize((Integer) value);
        } else if (name == SocketPairOptions.RECEIVE_DESCRIPTORS) {
            receiveDescriptors = (Boolean) value;
        } else if (name == SocketPairOptions.PASS_CREDENTIALS) {
            setOptionNumber(ep.c.passCredentialsLevel(), ep.c.passCredentialsName(), name, (Boolean) value ? 1 : 0);
            passCredentials = (Boolean) value;
        } else if (name == SocketPairOptions.PEEK_OFFSET) {
            int v = (Integer) value;
            if (v < -1) {
                throw new IllegalArgumentException("PEEK_OFFSET must be -1 (off) or an offset: " + v);
            }
            setOptionNumber(ep.c.SOL_SOCKET, ep.c.soPeekOff(), name, v);
        } else if (name == SocketPairOptions.RECEIVE_LOW_WATERMARK) {
            int v = (Integer) value;
            if (v < 1) {
                throw new IllegalArgumentException("RECEIVE_LOW_WATERMARK must be at least 1: " + v);
            }
            setOptionNumber(ep.c.SOL_SOCKET, ep.c.soRcvlowat(), name, v);
            lowWatermark = v;
        }
    }

    <T> T get(SocketOption<T> name) throws IOException {
        checkSupported(name);
        if (!ep.isOpen()) {
            throw new ClosedChannelException();
        }
        Object v;
        if (name == StandardSocketOptions.SO_SNDBUF) {
            v = ep.sendBufferSize();
        } else if (name == StandardSocketOptions.SO_RCVBUF) {
            v = ep.receiveBufferSize();
        } else if (name == SocketPairOptions.RECEIVE_DESCRIPTORS) {
            v = receiveDescriptors;
        } else if (name == SocketPairOptions.PASS_CREDENTIALS) {
            v = optionNumber(ep.c.passCredentialsLevel(), ep.c.passCredentialsName(), name) != 0;
        } else if (name == SocketPairOptions.PEEK_OFFSET) {
            v = optionNumber(ep.c.SOL_SOCKET, ep.c.soPeekOff(), name);
        } else {
            v = optionNumber(ep.c.SOL_SOCKET, ep.c.soRcvlowat(), name);
        }
        return name.type().cast(v);
    }

    private int optionNumber(int level, int number, SocketOption<?> name) throws IOException {
        int fd = ep.acquire();
        try {
            return ep.backend.getIntOption(fd, level, number, name.name());
        } finally {
            ep.releaseUse();
        }
    }

    private void setOptionNumber(int level, int number, SocketOption<?> name, int value) throws IOException {
        int fd = ep.acquire();
        try {
            ep.backend.setIntOption(fd, level, number, value, name.name());
        } finally {
            ep.releaseUse();
        }
    }

    /** A positive SOL_SOCKET int option, read (the buffer-size shortcuts). */
    int socketInt(int name, String what) throws IOException {
        int fd = ep.acquire();
        try {
            return ep.backend.getIntOption(fd, ep.c.SOL_SOCKET, name, what);
        } finally {
            ep.releaseUse();
        }
    }

    /** A positive SOL_SOCKET int option, set; {@link IllegalArgumentException} for zero or less. */
    void setSocketInt(int name, String what, int value) throws IOException {
        if (value <= 0) {
            throw new IllegalArgumentException(what + " must be positive: " + value);
        }
        int fd = ep.acquire();
        try {
            ep.backend.setIntOption(fd, ep.c.SOL_SOCKET, name, value, what);
        } finally {
            ep.releaseUse();
        }
    }

    /** A read or write timeout: non-negative, in whole milliseconds rounded up, at most Integer.MAX_VALUE. */
    static int toMillis(java.time.Duration d) {
        Objects.requireNonNull(d, "timeout");
        if (d.isNegative()) {
            throw new IllegalArgumentException("negative timeout: " + d);
        }
        if (d.compareTo(java.time.Duration.ofMillis(Integer.MAX_VALUE)) >= 0) {
            return Integer.MAX_VALUE;
        }
        long ms = d.toMillis();
        return (int) (java.time.Duration.ofMillis(ms).compareTo(d) < 0 ? ms + 1 : ms);
    }
}
