package io.github.jsocketpair.internal;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The call-and-wait loop of each channel call (read, scatter, send and write, gather, the batches): take the
 * direction's lock and a use of the number, make the non-blocking call ({@link Transfers}, {@link Vectors},
 * {@link Batches}), and where it would block on a blocking endpoint, wait in the endpoint's one wait path
 * ({@link NativeEndpoint#awaitReady}) or block in the call itself ({@link NativeEndpoint#inCall}), then go round
 * again within the call's deadline. What the results mean (a count, the end, would block) is
 * {@link EndOfStream}'s and {@link Transfers}'; when to wait first is {@link DrainGuess}'s; how a wait ends (readiness,
 * close, interrupt, timeout) is the endpoint's. The message calls ({@link Messages}) keep their own receive loop and
 * send through {@link #gatherHeld}.
 */
final class CallAndWait {
    private CallAndWait() {
    }

    /**
     * {@link io.github.jsocketpair.Endpoint#read(ByteBuffer)}: one call, or on a stream with a low watermark as many
     * as it takes to reach it.
     */
    static int read(NativeEndpoint ep, ByteBuffer dst) throws IOException {
        if (dst.isReadOnly()) {
            throw new IllegalArgumentException("read-only buffer");
        }
        boolean blocking = !ep.nonBlocking();
        int fd = ep.enterRead(blocking);
        try {
            if (!dst.hasRemaining()) {
                // No call: a read with no room would silently consume (and discard) a whole record.
                return 0;
            }
            int minimum = ep.options().minimumRead(blocking, dst.remaining());
            int got = 0;
            boolean inCall = blocking && ep.blocksInCall(dst, false);
            boolean tryFirst = !inCall || ep.tryFirstInCall();
            for (long deadline = blocking && !inCall ? ep.awaitIfDrained(fd) : 0;;) {
                long n = inCall ? ep.readInCall(fd, dst, tryFirst) : Transfers.read(ep, fd, dst, 0);
                tryFirst = true;
                if (n == Transfers.WOULD_BLOCK) {
                    if (!blocking) {
                        return got;
                    }
                    deadline = ep.awaitReady(fd, false, deadline, ep.readTimeoutMillis());
                    continue;
                }
                if (n == Transfers.END) {
                    return got > 0 ? got : -1;
                }
                got += (int) n;
                if (n == 0 || got >= minimum) {
                    return got;
                }
            }
        } finally {
            ep.exitRead();
        }
    }

    /** {@link io.github.jsocketpair.Endpoint#read(ByteBuffer[], int, int)}: one scattering call. */
    static long scatter(NativeEndpoint ep, ByteBuffer[] dsts, int offset, int length) throws IOException {
        Vectors.check(dsts, offset, length, true);
        boolean blocking = !ep.nonBlocking();
        int fd = ep.enterRead(blocking);
        try {
            if (!Vectors.hasRemaining(dsts, offset, length)) {
                return 0;
            }
            for (long deadline = blocking ? ep.awaitIfDrained(fd) : 0;;) {
                long n = Vectors.once(ep, fd, false, dsts, offset, length);
                if (n != Transfers.WOULD_BLOCK) {
                    return n;
                }
                if (!blocking) {
                    return 0;
                }
                deadline = ep.awaitReady(fd, false, deadline, ep.readTimeoutMillis());
            }
        } finally {
            ep.exitRead();
        }
    }

    /**
     * Sends one buffer with {@code flags} (native {@code MSG_*} bits); a blocking call waits for room, and with
     * {@code all} on a stream writes every byte before it returns (the write lock keeps other writers out meanwhile).
     */
    static long send(NativeEndpoint ep, ByteBuffer src, int flags, boolean all) throws IOException {
        boolean blocking = !ep.nonBlocking() && (flags & ep.c.MSG_DONTWAIT) == 0;
        int fd = ep.enterWrite(blocking);
        try {
            if (!src.hasRemaining() && !ep.records) {
                return 0;
            }
            return sendHeld(ep, fd, src, flags, all, blocking);
        } finally {
            ep.exitWrite();
        }
    }

    /**
     * Sends from {@code src} under the write lock: one call where {@code all} is false or on a record type, else every
     * byte. A blocking call waits for room: in the call itself where {@link NativeEndpoint#blocksInCall} allows (at
     * once where the last writes had to wait, {@link DrainGuess}), else in the one wait path; a non-blocking one
     * returns what went. The stream views write through here too.
     */
    static long sendHeld(NativeEndpoint ep, int fd, ByteBuffer src, int flags, boolean all, boolean blocking)
            throws IOException {
        long total = 0;
        boolean inCall = blocking && ep.blocksInCall(src, true);
        boolean block = inCall && ep.blockFirstInCall();
        for (long deadline = 0;;) {
            boolean blocked = block;
            long n = block ? ep.inCall(fd, src, true, flags) : Transfers.send(ep, fd, src, flags);
            block = false;
            if (n == Transfers.WOULD_BLOCK) {
                if (!blocking) {
                    return total;
                }
                if (inCall && !blocked) {
                    ep.writeBlocksInCall();
                    block = true;
                    continue;
                }
                deadline = ep.awaitReady(fd, true, deadline, ep.writeTimeoutMillis());
                continue;
            }
            total += n;
            if (ep.records || !all || !blocking || !src.hasRemaining()) {
                return total;
            }
            // A short non-blocking send on a stream stops only where the send buffer is full: wait for room (in the
            // call, or in the wait path) rather than make an attempt that would fail with EAGAIN.
            if (inCall) {
                block = true;
                continue;
            }
            deadline = ep.awaitReady(fd, true, deadline, ep.writeTimeoutMillis());
        }
    }

    /**
     * {@link io.github.jsocketpair.Endpoint#write(ByteBuffer[], int, int)}: a gathering write, every byte on a
     * blocking stream, one record on a record type.
     */
    static long gather(NativeEndpoint ep, ByteBuffer[] srcs, int offset, int length) throws IOException {
        Vectors.check(srcs, offset, length, false);
        boolean blocking = !ep.nonBlocking();
        int fd = ep.enterWrite(blocking);
        try {
            if (!ep.records && !Vectors.hasRemaining(srcs, offset, length)) {
                return 0;
            }
            return gatherHeld(ep, fd, srcs, offset, length, null, 0, true, blocking);
        } finally {
            ep.exitWrite();
        }
    }

    /**
     * Sends from {@code srcs} under the write lock with {@code flags}, and {@code rights} (descriptors, or null) with
     * the first bytes: one call where {@code all} is false or on a record type, else every byte, waiting for room in
     * the one wait path when blocking (at once after a short send on a stream: the send buffer is full). The message
     * calls send through here too ({@link Messages}).
     */
    static long gatherHeld(NativeEndpoint ep, int fd, ByteBuffer[] srcs, int offset, int length, int[] rights,
            int flags, boolean all, boolean blocking) throws IOException {
        long total = 0;
        for (long deadline = 0;;) {
            long n = Vectors.once(ep, fd, true, srcs, offset, length, rights, flags);
            if (n == Transfers.WOULD_BLOCK) {
                if (!blocking) {
                    return total;
                }
                deadline = ep.awaitReady(fd, true, deadline, ep.writeTimeoutMillis());
                continue;
            }
            total += n;
            rights = null; // they went with the first bytes
            if (ep.records || !all || !blocking || !Vectors.hasRemaining(srcs, offset, length)) {
                return total;
            }
            deadline = ep.awaitReady(fd, true, deadline, ep.writeTimeoutMillis()); // short: the buffer is full
        }
    }

    /** {@link io.github.jsocketpair.Endpoint#sendBatch(ByteBuffer[], int, int)}: every record, or what went. */
    static int sendBatch(NativeEndpoint ep, ByteBuffer[] records, int offset, int length) throws IOException {
        Vectors.check(records, offset, length, false);
        if (length == 0) {
            return 0;
        }
        boolean blocking = !ep.nonBlocking();
        int fd = ep.enterWrite(blocking);
        try {
            int sent = 0;
            for (long deadline = 0; sent < length;) {
                int n = Batches.sendOnce(ep, fd, records, offset + sent, length - sent);
                sent += n;
                if (n == 0 && sent < length) {
                    if (!blocking) {
                        break;
                    }
                    deadline = ep.awaitReady(fd, true, deadline, ep.writeTimeoutMillis());
                }
            }
            return sent;
        } finally {
            ep.exitWrite();
        }
    }

    /**
     * {@link io.github.jsocketpair.Endpoint#receiveBatch(ByteBuffer[], int, int)}: the records queued now, waiting
     * for the first on a blocking endpoint.
     */
    static int receiveBatch(NativeEndpoint ep, ByteBuffer[] buffers, int offset, int length) throws IOException {
        Vectors.check(buffers, offset, length, true);
        if (length == 0) {
            return 0;
        }
        boolean blocking = !ep.nonBlocking();
        int fd = ep.enterRead(blocking);
        try {
            for (long deadline = blocking ? ep.awaitIfDrained(fd) : 0;;) {
                int n = Batches.receiveOnce(ep, fd, buffers, offset, length);
                if (n != 0 || !blocking) {
                    return n;
                }
                deadline = ep.awaitReady(fd, false, deadline, ep.readTimeoutMillis());
            }
        } finally {
            ep.exitRead();
        }
    }
}
