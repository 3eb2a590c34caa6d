package io.github.jsocketpair.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * Scattering reads and gathering writes: one non-blocking {@code recvmsg}/{@code sendmsg} over the buffers' iovecs
 * (heap ones through the scratch data area), positions advanced in buffer order. A stream takes at most
 * {@code IOV_MAX} non-empty buffers and {@link Scratch#MAX_CACHED_DATA} heap bytes per call (a short transfer is
 * allowed there). A record is never split: when it spans more buffers than one call takes, all its bytes are
 * coalesced into the data area and move as one iovec. Results as {@link Transfers}.
 */
final class Vectors {
    private Vectors() {
    }

    /** Checks the arguments of a vector call. */
    static void check(ByteBuffer[] bufs, int offset, int length, boolean read) {
        Objects.checkFromIndexSize(offset, length, bufs.length);
        for (int i = offset; i < offset + length; i++) {
            Objects.requireNonNull(bufs[i], "buffer");
            if (read && bufs[i].isReadOnly()) {
                throw new IllegalArgumentException("read-only buffer");
            }
        }
    }

    /** Tells whether any buffer has room or bytes left. */
    static boolean hasRemaining(ByteBuffer[] bufs, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            if (bufs[i].hasRemaining()) {
                return true;
            }
        }
        return false;
    }

    /** One call: a byte count, {@link Transfers#END} or {@link Transfers#WOULD_BLOCK}. */
    static long once(NativeEndpoint ep, int fd, boolean write, ByteBuffer[] bufs, int offset, int length)
            throws IOException {
        return once(ep, fd, write, bufs, offset, length, null, 0);
    }

    /**
     * {@link #once(NativeEndpoint, int, boolean, ByteBuffer[], int, int)} for a send that also carries {@code fds}
     * as SCM_RIGHTS (null or empty: none) and {@code flags} (MSG_EOR). A record with no bytes is sent too (an empty
     * record, possibly with descriptors), as is a stream call with descriptors.
     */
    static long once(NativeEndpoint ep, int fd, boolean write, ByteBuffer[] bufs, int offset, int length, int[] fds,
            int flags) throws IOException {
        if (!write && ep.eos.ended()) {
            return Transfers.END;
        }
        NativeConstants c = ep.c;
        Scratch s = ep.backend.pool().take();
        try {
            // Pass 1: which buffers go, and how much heap data.
            int count = 0;
            long heap = 0;
            long total = 0;
            int end = offset;
            for (; end < offset + length; end++) {
                ByteBuffer b = bufs[end];
                int r = b.remaining();
                if (r == 0) {
                    continue;
                }
                if (!ep.records && (count == c.iovMax || !b.isDirect() && heap + r > Scratch.MAX_CACHED_DATA
                        && heap > 0)) {
                    break;
                }
                if (!b.isDirect()) {
                    heap += r;
                }
                total += r;
                count++;
            }
            boolean rights = fds != null && fds.length > 0;
            if (count == 0 && !(write && (ep.records || rights))) {
                return 0;
            }
            boolean coalesce = ep.records && count > c.iovMax;
            if (coalesce && total > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("a record of " + total + " bytes");
            }
            if (!coalesce && heap > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("a record of " + heap + " heap bytes");
            }
            ByteBuffer data = coalesce || heap > 0 ? s.data((int) (coalesce ? total : heap)) : null;
            long dataAddress = data == null ? 0 : s.addressOf(data);
            int iovs = 0;
            int at = 0;
            for (int i = offset; i < end; i++) {
                ByteBuffer b = bufs[i];
                int r = b.remaining();
                if (r == 0) {
                    continue;
                }
                if (coalesce || !b.isDirect()) {
                    if (write) {
                        data.put(at, b, b.position(), r);
                    }
                    if (!coalesce) {
                        MessageCodec.putIovec(c, s.area, s.iov, iovs++, dataAddress + at, r);
                    }
                    at += r;
                } else {
                    MessageCodec.putIovec(c, s.area, s.iov, iovs++, s.directAddress(b) + b.position(), r);
                }
            }
            if (coalesce) {
                MessageCodec.putIovec(c, s.area, s.iov, iovs++, dataAddress, total);
            }
            int space = rights ? MessageCodec.putRights(c, s.area, s.control, fds, fds.length) : 0;
            MessageCodec.putMsghdr(c, s.area, s.msg, s.areaAddress + s.iov, iovs, s.areaAddress + s.control, space);
            long n;
            for (;;) {
                n = write ? s.libc.sendmsg(fd, s.areaAddress + s.msg, flags | c.MSG_NOSIGNAL | c.MSG_DONTWAIT)
                        : s.libc.recvmsg(fd, s.areaAddress + s.msg, c.MSG_DONTWAIT);
                if (n >= 0) {
                    break;
                }
                int e = s.libc.errno();
                n = write ? Transfers.writeFailed(ep, e, "sendmsg", fd, total)
                        : Transfers.readFailed(ep, e, "recvmsg", fd, total);
                if (!Transfers.again(n)) {
                    return n;
                }
            }
            if (n == 0 && !write) {
                return ep.eos.zeroIsEnd(s, fd, (int) Math.min(total, Integer.MAX_VALUE), false) ? Transfers.END : 0;
            }
            // Pass 2: advance positions (and copy staged data out) in buffer order.
            long left = n;
            at = 0;
            for (int i = offset; i < end && left > 0; i++) {
                ByteBuffer b = bufs[i];
                int r = b.remaining();
                if (r == 0) {
                    continue;
                }
                int take = (int) Math.min(r, left);
                if (coalesce || !b.isDirect()) {
                    if (!write) {
                        b.put(b.position(), data, at, take);
                    }
                    at += r;
                }
                b.position(b.position() + take);
                left -= take;
            }
            return n;
        } finally {
            ep.backend.pool().give(s);
        }
    }
}
