package io.github.jsocketpair.internal;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * {@code sendBatch}/{@code receiveBatch}: up to {@link #MAX} records per non-blocking call, through
 * {@code sendmmsg}/{@code recvmmsg} where the OS has them (Linux) and a loop of single calls elsewhere. Heap records
 * go through the scratch data area, at most {@link Scratch#MAX_CACHED_DATA} bytes of them per call (always at least
 * one record, so a large one is never split). The end of the stream follows the endpoint's {@link EndOfStream}.
 */
final class Batches {
    /** Records per native call. */
    static final int MAX = 64;

    private Batches() {
    }

    /**
     * One call sending up to {@link #MAX} records from {@code from}: how many went (positions advanced), 0 when it
     * would block.
     */
    static int sendOnce(NativeEndpoint ep, int fd, ByteBuffer[] bufs, int from, int want) throws IOException {
        Scratch s = ep.backend.pool().take();
        try {
            int n = fitHeap(bufs, from, Math.min(want, MAX), false);
            if (!s.libc.hasMmsg()) {
                return sendLoop(ep, fd, bufs, from, n);
            }
            NativeConstants c = ep.c;
            long vec = s.batchArea(c);
            fill(ep, s, vec, bufs, from, n, false);
            for (;;) {
                int sent = s.libc.sendmmsg(fd, vec, n, c.MSG_NOSIGNAL | c.MSG_DONTWAIT);
                if (sent >= 0) {
                    for (int i = 0; i < sent; i++) {
                        ByteBuffer b = bufs[from + i];
                        b.position(b.position() + MessageCodec.mmsgLength(c, s.batch(), i));
                    }
                    return sent;
                }
                long r = Transfers.writeFailed(ep, s.libc.errno(), "sendmmsg", fd, n);
                if (!Transfers.again(r)) {
                    return 0;
                }
            }
        } finally {
            ep.backend.pool().give(s);
        }
    }

    /** Where the OS has no sendmmsg: one send per record, until one would block. */
    private static int sendLoop(NativeEndpoint ep, int fd, ByteBuffer[] bufs, int from, int want) throws IOException {
        for (int i = 0; i < want; i++) {
            if (Transfers.send(ep, fd, bufs[from + i], 0) == Transfers.WOULD_BLOCK) {
                return i;
            }
        }
        return want;
    }

    /**
     * One call receiving up to {@link #MAX} records: how many arrived (positions advanced), 0 when it would block,
     * -1 at the end of the stream.
     */
    static int receiveOnce(NativeEndpoint ep, int fd, ByteBuffer[] bufs, int from, int want) throws IOException {
        if (ep.eos.ended()) {
            return -1;
        }
        Scratch s = ep.backend.pool().take();
        try {
            int n = fitHeap(bufs, from, Math.min(want, MAX), true);
            if (!s.libc.hasMmsg()) {
                return receiveLoop(ep, fd, bufs, from, n);
            }
            NativeConstants c = ep.c;
            long vec = s.batchArea(c);
            ByteBuffer data = fill(ep, s, vec, bufs, from, n, true);
            int got;
            for (;;) {
                got = s.libc.recvmmsg(fd, vec, n, c.MSG_DONTWAIT);
                if (got >= 0) {
                    break;
                }
                long r = Transfers.readFailed(ep, s.libc.errno(), "recvmmsg", fd, n);
                if (!Transfers.again(r)) {
                    return r == Transfers.END ? -1 : 0;
                }
            }
            int at = 0;
            for (int i = 0; i < got; i++) {
                ByteBuffer b = bufs[from + i];
                int pos = b.position();
                int room = b.limit() - pos;
                int len = Math.min(room, MessageCodec.mmsgLength(c, s.batch(), i));
                if (len == 0 && ep.eos.zeroIsEnd(s, fd, room, false)) {
                    return i == 0 ? -1 : i; // after records, the end is reported by the next call
                }
                if (!b.isDirect()) {
                    b.put(pos, data, at, len);
                    at += room;
                }
                b.position(pos + len);
            }
            return got;
        } finally {
            ep.backend.pool().give(s);
        }
    }

    /** Where the OS has no recvmmsg: one recv per record, until one would block or the stream ends. */
    private static int receiveLoop(NativeEndpoint ep, int fd, ByteBuffer[] bufs, int from, int want)
            throws IOException {
        for (int i = 0; i < want; i++) {
            long n = Transfers.read(ep, fd, bufs[from + i], 0);
            if (n == Transfers.WOULD_BLOCK) {
                return i;
            }
            if (n == Transfers.END) {
                return i == 0 ? -1 : i;
            }
        }
        return want;
    }

    /** How many of {@code want} records fit the scratch data area when heap records are copied through it. */
    private static int fitHeap(ByteBuffer[] bufs, int from, int want, boolean receive) {
        long heap = 0;
        for (int i = 0; i < want; i++) {
            ByteBuffer b = bufs[from + i];
            if (!b.isDirect()) {
                heap += receive ? b.limit() - b.position() : b.remaining();
                if (heap > Scratch.MAX_CACHED_DATA && i > 0) {
                    return i;
                }
            }
        }
        return want;
    }

    /**
     * Fills the mmsghdr/iovec arrays for {@code n} records (heap ones through the data area, copied in when sending)
     * and returns the data area used, or null when every record is direct.
     */
    private static ByteBuffer fill(NativeEndpoint ep, Scratch s, long vec, ByteBuffer[] bufs, int from, int n,
            boolean receive) {
        NativeConstants c = ep.c;
        ByteBuffer v = s.batch();
        int mm = MessageCodec.mmsghdrSize(c);
        int iovBase = MAX * mm;
        long heap = 0;
        for (int i = 0; i < n; i++) {
            ByteBuffer b = bufs[from + i];
            if (!b.isDirect()) {
                heap += b.limit() - b.position();
            }
        }
        ByteBuffer data = heap > 0 ? s.data((int) heap) : null;
        long dataAddress = data == null ? 0 : s.addressOf(data);
        int at = 0;
        for (int i = 0; i < n; i++) {
            ByteBuffer b = bufs[from + i];
            int pos = b.position();
            int len = b.limit() - pos;
            long address;
            if (b.isDirect()) {
                address = s.directAddress(b) + pos;
            } else {
                address = dataAddress + at;
                if (!receive) {
                    data.put(at, b, pos, len);
                }
                at += len;
            }
            MessageCodec.putIovec(c, v, iovBase, i, address, len);
            MessageCodec.putMsghdr(c, v, i * mm, vec + iovBase + (long) i * c.iovecSize(), 1, 0, 0);
            for (int k = c.msghdrSize; k < mm; k += 4) {
                v.putInt(i * mm + k, 0);
            }
        }
        return data;
    }
}
