package io.github.jsocketpair.internal;

import io.github.jsocketpair.Descriptor;
import io.github.jsocketpair.Domain;
import io.github.jsocketpair.Endpoint;
import io.github.jsocketpair.Errno;
import io.github.jsocketpair.MessageFlag;
import io.github.jsocketpair.PeerCredentials;
import io.github.jsocketpair.Received;
import io.github.jsocketpair.SocketType;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The one {@link Endpoint} implementation: all I/O logic over a {@link Libc}, the same on every OS. Data goes to the
 * kernel straight from direct buffers, and through the calling thread's {@link Scratch} memory from heap buffers.
 */
final class NativeEndpoint extends OwnedDescriptor implements Endpoint {
    /** A call that would block in non-blocking mode. */
    private static final long WOULD_BLOCK = -2;
    /** A read on a TIPC connection that has already ended: end of stream, no call made. */
    private static final long ENDED = -3;

    private final NativeConstants c;
    private final Libc libc;
    private final Domain domain;
    private final SocketType type;
    /** DGRAM and SEQPACKET: one call moves one whole record, never split. */
    private final boolean records;
    /**
     * A TIPC connection (STREAM, SEQPACKET) reports its end once: a 0, or ECONNRESET when the peer close(2)d it
     * (tipc_release sends TIPC_ERR_NO_PORT, which tipc_recvmsg turns into ECONNRESET when no control buffer is
     * given). After that the receive queue stays empty and a blocking read waits forever (tipc_wait_for_rcvmsg only
     * checks the local RCV_SHUTDOWN), a non-blocking one says "would block" forever. Linux 6.1 net/tipc/socket.c.
     */
    private final boolean tipcConnection;
    /** A TIPC connection's end was seen: every later read is end of stream, answered here. */
    private volatile boolean ended;
    /**
     * shutdownInput() was called. A DGRAM socket then reads 0 bytes at once when blocking (the same 0 as an empty
     * datagram) and EAGAIN when not, while poll(2) reports it readable (unix_dgram_recvmsg, unix_dgram_poll): this
     * makes both end of stream, and keeps a waiting reader from spinning between poll and EAGAIN.
     */
    private volatile boolean inputShut;
    private volatile boolean nonBlocking;
    private volatile int readTimeoutMillis;
    private InputStream in;
    private OutputStream out;
    /*
     * The calling thread's scratch memory, kept from the last call on each side so that a thread that calls again
     * skips the thread-local lookup (one thread reading while another writes keeps both). Racy on purpose: a stale
     * value is detected by its owner field, which is final, so a racing read sees a complete object.
     */
    private Scratch readScratch;
    private Scratch writeScratch;

    NativeEndpoint(PosixBackend backend, int fd, Domain domain, SocketType type, boolean nonBlocking) {
        super(backend, fd);
        this.c = backend.constants();
        this.libc = backend.libc();
        this.domain = domain;
        this.type = type;
        this.records = type != SocketType.STREAM;
        this.tipcConnection = domain == Domain.TIPC && (type == SocketType.STREAM || type == SocketType.SEQPACKET);
        this.nonBlocking = nonBlocking;
    }

    @Override
    public Domain domain() {
        return domain;
    }

    @Override
    public SocketType type() {
        return type;
    }

    private Scratch readScratch() {
        Scratch s = readScratch;
        if (s == null || s.owner != Thread.currentThread()) {
            s = backend.scratch();
            readScratch = s;
        }
        return s;
    }

    private Scratch writeScratch() {
        Scratch s = writeScratch;
        if (s == null || s.owner != Thread.currentThread()) {
            s = backend.scratch();
            writeScratch = s;
        }
        return s;
    }

    // ---- read ---------------------------------------------------------------------------------------------------

    @Override
    public int read(ByteBuffer dst) throws IOException {
        if (dst.isReadOnly()) {
            throw new IllegalArgumentException("read-only buffer");
        }
        int fd = acquire();
        try {
            int pos = dst.position();
            int rem = dst.limit() - pos;
            if (rem == 0) {
                // No call: read(2) with no room would silently consume (and discard) a whole record.
                return 0;
            }
            Scratch s = readScratch();
            long n;
            if (dst.isDirect()) {
                n = readInto(s, fd, s.directAddress(dst) + pos, rem);
            } else {
                ByteBuffer data = s.data(records ? rem : Math.min(rem, Scratch.MAX_CACHED_DATA));
                try {
                    n = readInto(s, fd, s.addressOf(data), records ? rem : Math.min(rem, data.capacity()));
                    if (n > 0) {
                        dst.put(pos, data, 0, (int) n);
                    }
                } finally {
                    s.dropOneOff();
                }
            }
            return endRead(dst, pos, n);
        } finally {
            release();
        }
    }

    private int endRead(ByteBuffer dst, int pos, long n) throws IOException {
        if (n > 0) {
            dst.position(pos + (int) n);
            return (int) n;
        }
        if (closedMeanwhile()) {
            throw new AsynchronousCloseException();
        }
        if (n == WOULD_BLOCK) {
            return shutDatagram() ? -1 : 0;
        }
        // 0 from read(2): end of stream, except for a datagram socket, where it is an empty datagram.
        return emptyDatagram() ? 0 : -1;
    }

    /** A 0-byte read on this socket is an empty datagram, not the end of the stream. */
    private boolean emptyDatagram() {
        return type == SocketType.DGRAM && !inputShut;
    }

    /** A datagram socket shut down for input: "would block" means nothing is queued, the end of the stream. */
    private boolean shutDatagram() {
        return type == SocketType.DGRAM && inputShut;
    }

    /** One read into native memory: EINTR retried, the read timeout honoured, WOULD_BLOCK when non-blocking. */
    private long readInto(Scratch s, int fd, long address, int len) throws IOException {
        if (ended) {
            return 0;
        }
        int timeout = readTimeoutMillis;
        if (timeout > 0 && !nonBlocking) {
            long deadline = System.nanoTime() + timeout * 1_000_000L;
            for (;;) {
                long n = s.libc.recv(fd, address, len, c.MSG_DONTWAIT);
                if (n >= 0) {
                    return noteEnd(n);
                }
                int e = s.libc.errno();
                if (e != c.EINTR) {
                    if (tipcReset(e)) {
                        return 0;
                    }
                    checkWouldBlock("recv", e, fd, len);
                    if (shutDatagram()) {
                        return 0; // nothing queued and the input shut down: poll would report it readable forever
                    }
                    awaitUntil(fd, c.POLLIN, deadline, timeout);
                }
            }
        }
        for (;;) {
            long n = s.libc.read(fd, address, len);
            if (n >= 0) {
                return noteEnd(n);
            }
            int e = s.libc.errno();
            if (e != c.EINTR) {
                if (tipcReset(e)) {
                    return 0;
                }
                checkWouldBlock("read", e, fd, len);
                return WOULD_BLOCK;
            }
        }
    }

    /** Remembers the end of a TIPC connection (a 0 from the kernel); returns {@code n}. */
    private long noteEnd(long n) {
        if (n == 0 && tipcConnection && !closedMeanwhile()) {
            ended = true;
        }
        return n;
    }

    /** ECONNRESET on a TIPC connection: the peer's close(2); the end of the stream, remembered. */
    private boolean tipcReset(int errno) {
        if (tipcConnection && c.toErrno(errno) == Errno.ECONNRESET && !closedMeanwhile()) {
            ended = true;
            return true;
        }
        return false;
    }

    /** Throws for any errno but EAGAIN/EWOULDBLOCK; a call that failed because of our own close is asynchronous. */
    private void checkWouldBlock(String call, int errno, int fd, long len) throws IOException {
        if (closedMeanwhile()) {
            throw new AsynchronousCloseException();
        }
        if (errno != c.EAGAIN && errno != c.EWOULDBLOCK) {
            throw backend.error(call, errno, "fd=" + fd + ", " + len + " bytes");
        }
    }

    /** Waits for {@code events} until the deadline; SocketTimeoutException when it passes. */
    private void awaitUntil(int fd, int events, long deadline, int timeout) throws IOException {
        long left = deadline - System.nanoTime();
        if (left <= 0 || !poll(fd, events, (int) Math.min(Integer.MAX_VALUE, (left + 999_999) / 1_000_000))) {
            throw new SocketTimeoutException("read timed out after " + timeout + " ms");
        }
    }

    /** poll(2) on one descriptor: true when ready (or interrupted: the caller retries), false on timeout. */
    private boolean poll(int fd, int events, int timeoutMillis) throws IOException {
        Scratch s = readScratch();
        s.area.putInt(s.pollfd, fd);
        s.area.putShort(s.pollfd + 4, (short) events);
        s.area.putShort(s.pollfd + 6, (short) 0);
        int r = s.libc.poll(s.areaAddress + s.pollfd, 1, timeoutMillis);
        if (closedMeanwhile()) {
            throw new AsynchronousCloseException();
        }
        if (r < 0) {
            int e = s.libc.errno();
            if (e == c.EINTR) {
                return true;
            }
            throw backend.error("poll", e, "fd=" + fd + ", events=" + events + ", " + timeoutMillis + " ms");
        }
        return r > 0;
    }

    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
        return vector(false, dsts, offset, length);
    }

    @Override
    public long read(ByteBuffer[] dsts) throws IOException {
        return read(dsts, 0, dsts.length);
    }

    // ---- write --------------------------------------------------------------------------------------------------

    @Override
    public int write(ByteBuffer src) throws IOException {
        return (int) sendBuffer(src, 0, !nonBlocking && !records);
    }

    @Override
    public int send(ByteBuffer src, MessageFlag... flags) throws IOException {
        Objects.requireNonNull(src, "src");
        int bits = 0;
        for (MessageFlag f : flags) {
            bits |= switch (Objects.requireNonNull(f, "flag")) {
                case DONTWAIT -> c.MSG_DONTWAIT;
                case EOR -> c.MSG_EOR;
                case OOB -> c.MSG_OOB;
                case PEEK, WAITALL -> throw new IllegalArgumentException(f + " is a receive flag");
            };
        }
        return (int) sendBuffer(src, bits, false);
    }

    /** send(2) of one buffer with MSG_NOSIGNAL; on a blocking stream with {@code all}, until every byte is out. */
    private long sendBuffer(ByteBuffer src, int flags, boolean all) throws IOException {
        int fd = acquire();
        try {
            int rem = src.remaining();
            if (rem == 0 && !records) {
                return 0;
            }
            Scratch s = writeScratch();
            long total = 0;
            long n;
            do {
                int pos = src.position();
                int left = src.limit() - pos;
                if (src.isDirect()) {
                    n = sendFrom(s, fd, s.directAddress(src) + pos, left, flags);
                } else {
                    int len = records ? left : Math.min(left, Scratch.MAX_CACHED_DATA);
                    ByteBuffer data = s.data(len);
                    try {
                        data.put(0, src, pos, len);
                        n = sendFrom(s, fd, s.addressOf(data), len, flags);
                    } finally {
                        s.dropOneOff();
                    }
                }
                if (n == WOULD_BLOCK) {
                    break;
                }
                src.position(pos + (int) n);
                total += n;
            } while (all && n > 0 && src.hasRemaining());
            return total;
        } finally {
            release();
        }
    }

    private long sendFrom(Scratch s, int fd, long address, int len, int flags) throws IOException {
        for (;;) {
            long n = s.libc.send(fd, address, len, flags | c.MSG_NOSIGNAL);
            if (n >= 0) {
                return n;
            }
            int e = s.libc.errno();
            if (e != c.EINTR) {
                checkWouldBlock("send", e, fd, len);
                return WOULD_BLOCK;
            }
        }
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        return vector(true, srcs, offset, length);
    }

    @Override
    public long write(ByteBuffer[] srcs) throws IOException {
        return write(srcs, 0, srcs.length);
    }

    // ---- scatter/gather -----------------------------------------------------------------------------------------

    /**
     * readv/recvmsg or sendmsg over up to {@code IOV_MAX} buffers in one call (heap buffers through scratch memory),
     * positions advanced in order. A blocking stream write repeats until every byte is out.
     */
    private long vector(boolean write, ByteBuffer[] bufs, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, bufs.length);
        for (int i = offset; i < offset + length; i++) {
            Objects.requireNonNull(bufs[i], "buffer");
            if (!write && bufs[i].isReadOnly()) {
                throw new IllegalArgumentException("read-only buffer");
            }
        }
        int fd = acquire();
        try {
            long total = 0;
            for (;;) {
                long n = vectorOnce(fd, write, bufs, offset, length);
                if (n == WOULD_BLOCK) {
                    return !write && total == 0 && shutDatagram() ? -1 : total;
                }
                if (n == 0 && !write && total == 0 && hasRemaining(bufs, offset, length)) {
                    if (closedMeanwhile()) {
                        throw new AsynchronousCloseException();
                    }
                    return emptyDatagram() ? 0 : -1;
                }
                total += n;
                if (!write || nonBlocking || records || n == 0 || !hasRemaining(bufs, offset, length)) {
                    return total;
                }
            }
        } finally {
            release();
        }
    }

    private static boolean hasRemaining(ByteBuffer[] bufs, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            if (bufs[i].hasRemaining()) {
                return true;
            }
        }
        return false;
    }

    private long vectorOnce(int fd, boolean write, ByteBuffer[] bufs, int offset, int length) throws IOException {
        Scratch s = write ? writeScratch() : readScratch();
        ByteBuffer area = s.area;
        // Pass 1: how many entries, how much heap data (kept below 2 GiB; a stream takes a partial transfer).
        int count = 0;
        long heap = 0;
        int end = offset;
        for (; end < offset + length && count < c.iovMax; end++) {
            ByteBuffer b = bufs[end];
            int r = b.remaining();
            if (r == 0) {
                continue;
            }
            if (!b.isDirect()) {
                if (heap + r > Integer.MAX_VALUE - 8) {
                    break;
                }
                heap += r;
            }
            count++;
        }
        if (count == 0) {
            return 0;
        }
        ByteBuffer data = heap > 0 ? s.data((int) heap) : null;
        try {
            long dataAddress = data == null ? 0 : s.addressOf(data);
            int at = 0;
            int k = 0;
            long requested = 0;
            for (int i = offset; i < end; i++) {
                ByteBuffer b = bufs[i];
                int r = b.remaining();
                if (r == 0) {
                    continue;
                }
                long base;
                if (b.isDirect()) {
                    base = s.directAddress(b) + b.position();
                } else {
                    base = dataAddress + at;
                    if (write) {
                        data.put(at, b, b.position(), r);
                    }
                    at += r;
                }
                int iov = s.iov + k * c.iovecSize();
                putWord(area, iov, c.pointerSize, base);
                putWord(area, iov + c.pointerSize, c.pointerSize, r);
                requested += r;
                k++;
            }
            long n = write ? sendmsgLoop(fd, s, count, 0, 0, 0) : readvLoop(fd, s, count, requested);
            if (n <= 0) {
                return n;
            }
            // Pass 2: advance positions (and copy heap data in) in buffer order.
            long left = n;
            at = 0;
            for (int i = offset; i < end && left > 0; i++) {
                ByteBuffer b = bufs[i];
                int r = b.remaining();
                if (r == 0) {
                    continue;
                }
                int take = (int) Math.min(r, left);
                if (!b.isDirect()) {
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
            s.dropOneOff();
        }
    }

    private long readvLoop(int fd, Scratch s, int count, long requested) throws IOException {
        if (ended) {
            return 0;
        }
        int timeout = readTimeoutMillis;
        if (timeout > 0 && !nonBlocking) {
            long deadline = System.nanoTime() + timeout * 1_000_000L;
            for (;;) {
                long n = recvmsgOnce(fd, s, count, 0, c.MSG_DONTWAIT);
                if (n >= 0) {
                    return noteEnd(n);
                }
                int e = s.libc.errno();
                if (e != c.EINTR) {
                    if (tipcReset(e)) {
                        return 0;
                    }
                    checkWouldBlock("recvmsg", e, fd, requested);
                    if (shutDatagram()) {
                        return 0;
                    }
                    awaitUntil(fd, c.POLLIN, deadline, timeout);
                }
            }
        }
        for (;;) {
            long n = s.libc.readv(fd, s.areaAddress + s.iov, count);
            if (n >= 0) {
                return noteEnd(n);
            }
            int e = s.libc.errno();
            if (e != c.EINTR) {
                if (tipcReset(e)) {
                    return 0;
                }
                checkWouldBlock("readv", e, fd, requested);
                return WOULD_BLOCK;
            }
        }
    }

    /** Fills the msghdr for {@code count} iovecs and {@code controlLen} control bytes, then calls recvmsg once. */
    private long recvmsgOnce(int fd, Scratch s, int count, int controlLen, int flags) {
        fillMsghdr(s, count, controlLen);
        return s.libc.recvmsg(fd, s.areaAddress + s.msg, flags);
    }

    private void fillMsghdr(Scratch s, int count, int controlLen) {
        ByteBuffer a = s.area;
        for (int i = 0; i < c.msghdrSize; i += 4) {
            a.putInt(s.msg + i, 0);
        }
        putWord(a, s.msg + c.msgIovOffset, c.pointerSize, s.areaAddress + s.iov);
        putWord(a, s.msg + c.msgIovlenOffset, c.msgIovlenSize, count);
        if (controlLen > 0) {
            putWord(a, s.msg + c.msgControlOffset, c.pointerSize, s.areaAddress + s.control);
            putWord(a, s.msg + c.msgControllenOffset, c.msgControllenSize, controlLen);
        }
    }

    /** sendmsg with MSG_NOSIGNAL, EINTR retried; WOULD_BLOCK when it would block. */
    private long sendmsgLoop(int fd, Scratch s, int count, int controlLen, int flags, long requested)
            throws IOException {
        fillMsghdr(s, count, controlLen);
        for (;;) {
            long n = s.libc.sendmsg(fd, s.areaAddress + s.msg, flags | c.MSG_NOSIGNAL);
            if (n >= 0) {
                return n;
            }
            int e = s.libc.errno();
            if (e != c.EINTR) {
                checkWouldBlock("sendmsg", e, fd, requested);
                return WOULD_BLOCK;
            }
        }
    }

    static void putWord(ByteBuffer b, int offset, int size, long value) {
        if (size == 8) {
            b.putLong(offset, value);
        } else {
            b.putInt(offset, (int) value);
        }
    }

    static long getWord(ByteBuffer b, int offset, int size) {
        return size == 8 ? b.getLong(offset) : Integer.toUnsignedLong(b.getInt(offset));
    }

    // ---- batches --------------------------------------------------------------------------------------------------

    @Override
    public int sendBatch(ByteBuffer[] records, int offset, int length) throws IOException {
        checkBatch(records, offset, length, false);
        if (length == 0) {
            return 0;
        }
        int fd = acquire();
        try {
            Scratch s = writeScratch();
            int sent = 0;
            while (sent < length) {
                int want = Math.min(length - sent, Scratch.BATCH_MAX);
                int n = s.libc.hasMmsg() ? sendmmsgOnce(s, fd, records, offset + sent, want)
                        : sendLoop(s, fd, records, offset + sent, want);
                sent += n;
                if (n < want && nonBlocking) {
                    break;
                }
            }
            return sent;
        } finally {
            release();
        }
    }

    private static void checkBatch(ByteBuffer[] bufs, int offset, int length, boolean receive) {
        Objects.checkFromIndexSize(offset, length, bufs.length);
        for (int i = offset; i < offset + length; i++) {
            Objects.requireNonNull(bufs[i], "buffer");
            if (receive && bufs[i].isReadOnly()) {
                throw new IllegalArgumentException("read-only buffer");
            }
        }
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
     * Fills the mmsghdr/iovec arrays for {@code n} records (heap ones through the data area, copied in when
     * sending) and returns the data area used, or null when every record is direct.
     */
    private ByteBuffer fillMmsg(Scratch s, long vec, ByteBuffer[] bufs, int from, int n, boolean receive) {
        ByteBuffer v = s.batch();
        int mm = Scratch.mmsghdrSize(c);
        int iovBase = Scratch.BATCH_MAX * mm;
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
            int iov = iovBase + i * c.iovecSize();
            putWord(v, iov, c.pointerSize, address);
            putWord(v, iov + c.pointerSize, c.pointerSize, len);
            int m = i * mm;
            for (int k = 0; k < mm; k += 4) {
                v.putInt(m + k, 0);
            }
            putWord(v, m + c.msgIovOffset, c.pointerSize, vec + iov);
            putWord(v, m + c.msgIovlenOffset, c.msgIovlenSize, 1);
        }
        return data;
    }

    /** One sendmmsg over up to BATCH_MAX records: returns how many went (0 if it would block). */
    private int sendmmsgOnce(Scratch s, int fd, ByteBuffer[] bufs, int from, int want) throws IOException {
        int n = fitHeap(bufs, from, want, false);
        long vec = s.batchArea(c);
        try {
            fillMmsg(s, vec, bufs, from, n, false);
            int sent;
            for (;;) {
                sent = s.libc.sendmmsg(fd, vec, n, c.MSG_NOSIGNAL);
                if (sent >= 0) {
                    break;
                }
                int e = s.libc.errno();
                if (e != c.EINTR) {
                    checkWouldBlock("sendmmsg", e, fd, n);
                    return 0;
                }
            }
            int mm = Scratch.mmsghdrSize(c);
            ByteBuffer v = s.batch();
            for (int i = 0; i < sent; i++) {
                ByteBuffer b = bufs[from + i];
                b.position(b.position() + v.getInt(i * mm + c.msghdrSize));
            }
            return sent;
        } finally {
            s.dropOneOff();
        }
    }

    /** Where the OS has no sendmmsg: one send per record. */
    private int sendLoop(Scratch s, int fd, ByteBuffer[] bufs, int from, int want) throws IOException {
        for (int i = 0; i < want; i++) {
            ByteBuffer b = bufs[from + i];
            int pos = b.position();
            int len = b.limit() - pos;
            long n;
            if (b.isDirect()) {
                n = sendFrom(s, fd, s.directAddress(b) + pos, len, 0);
            } else {
                ByteBuffer data = s.data(len);
                try {
                    data.put(0, b, pos, len);
                    n = sendFrom(s, fd, s.addressOf(data), len, 0);
                } finally {
                    s.dropOneOff();
                }
            }
            if (n == WOULD_BLOCK) {
                return i;
            }
            b.position(pos + (int) n);
        }
        return want;
    }

    @Override
    public int receiveBatch(ByteBuffer[] buffers, int offset, int length) throws IOException {
        checkBatch(buffers, offset, length, true);
        if (length == 0) {
            return 0;
        }
        int fd = acquire();
        try {
            Scratch s = readScratch();
            int want = Math.min(length, Scratch.BATCH_MAX);
            return s.libc.hasMmsg() ? recvmmsgOnce(s, fd, buffers, offset, want)
                    : receiveLoop(s, fd, buffers, offset, want);
        } finally {
            release();
        }
    }

    private int recvmmsgOnce(Scratch s, int fd, ByteBuffer[] bufs, int from, int want) throws IOException {
        int n = fitHeap(bufs, from, want, true);
        long vec = s.batchArea(c);
        try {
            ByteBuffer data = fillMmsg(s, vec, bufs, from, n, true);
            int timeout = readTimeoutMillis;
            boolean timed = timeout > 0 && !nonBlocking;
            long deadline = timed ? System.nanoTime() + timeout * 1_000_000L : 0;
            int got;
            for (;;) {
                got = s.libc.recvmmsg(fd, vec, n, timed ? c.MSG_DONTWAIT : 0);
                if (got >= 0) {
                    break;
                }
                int e = s.libc.errno();
                if (e != c.EINTR) {
                    checkWouldBlock("recvmmsg", e, fd, n);
                    if (!timed) {
                        return 0;
                    }
                    awaitUntil(fd, c.POLLIN, deadline, timeout);
                }
            }
            int mm = Scratch.mmsghdrSize(c);
            ByteBuffer v = s.batch();
            int at = 0;
            for (int i = 0; i < got; i++) {
                ByteBuffer b = bufs[from + i];
                int pos = b.position();
                int room = b.limit() - pos;
                int len = Math.min(room, v.getInt(i * mm + c.msghdrSize));
                if (i == 0 && len == 0 && room > 0 && type != SocketType.DGRAM) {
                    if (closedMeanwhile()) {
                        throw new AsynchronousCloseException();
                    }
                    return -1;
                }
                if (!b.isDirect()) {
                    b.put(pos, data, at, len);
                    at += room;
                }
                b.position(pos + len);
            }
            return got;
        } finally {
            s.dropOneOff();
        }
    }

    /** Where the OS has no recvmmsg: one blocking read for the first record, then non-blocking ones. */
    private int receiveLoop(Scratch s, int fd, ByteBuffer[] bufs, int from, int want) throws IOException {
        for (int i = 0; i < want; i++) {
            ByteBuffer b = bufs[from + i];
            int pos = b.position();
            int len = b.limit() - pos;
            ByteBuffer data = b.isDirect() ? null : s.data(len);
            try {
                long address = data == null ? s.directAddress(b) + pos : s.addressOf(data);
                long n;
                if (i == 0) {
                    n = readInto(s, fd, address, len);
                } else {
                    n = s.libc.recv(fd, address, len, c.MSG_DONTWAIT);
                    if (n < 0) {
                        int e = s.libc.errno();
                        checkWouldBlock("recv", e, fd, len);
                        return i; // EAGAIN (or EINTR): what was queued has been taken
                    }
                }
                if (n == WOULD_BLOCK) {
                    return 0;
                }
                if (n == 0 && len > 0 && type != SocketType.DGRAM) {
                    if (i > 0) {
                        return i; // end of stream: reported by the next call
                    }
                    if (closedMeanwhile()) {
                        throw new AsynchronousCloseException();
                    }
                    return -1;
                }
                if (data != null && n > 0) {
                    b.put(pos, data, 0, (int) n);
                }
                b.position(pos + (int) n);
            } finally {
                s.dropOneOff();
            }
        }
        return want;
    }

    // ---- messages -----------------------------------------------------------------------------------------------

    @Override
    public Received receive(ByteBuffer dst, MessageFlag... flags) throws IOException {
        return receive(dst, -1, flags);
    }

    /**
     * {@link #receive(ByteBuffer, MessageFlag...)} with a control buffer of {@code controlBytes} (at most the scratch
     * control area; {@code -1} for all of it). Smaller sizes exist only so tests can provoke {@code MSG_CTRUNC},
     * which the full-size buffer never sees in normal use.
     */
    Received receive(ByteBuffer dst, int controlBytes, MessageFlag... flags) throws IOException {
        if (dst.isReadOnly()) {
            throw new IllegalArgumentException("read-only buffer");
        }
        int bits = 0;
        for (MessageFlag f : flags) {
            bits |= switch (Objects.requireNonNull(f, "flag")) {
                case PEEK -> c.MSG_PEEK;
                case DONTWAIT -> c.MSG_DONTWAIT;
                case WAITALL -> c.MSG_WAITALL;
                case OOB -> c.MSG_OOB;
                case EOR -> throw new IllegalArgumentException("EOR is a send flag");
            };
        }
        int fd = acquire();
        try {
            Scratch s = readScratch();
            int pos = dst.position();
            int rem = dst.limit() - pos;
            ByteBuffer data = null;
            try {
                long address;
                if (dst.isDirect()) {
                    address = s.directAddress(dst) + pos;
                } else {
                    data = s.data(records ? rem : Math.min(rem, Scratch.MAX_CACHED_DATA));
                    address = s.addressOf(data);
                    rem = records ? rem : Math.min(rem, data.capacity());
                }
                putWord(s.area, s.iov, c.pointerSize, address);
                putWord(s.area, s.iov + c.pointerSize, c.pointerSize, rem);
                int control = controlBytes < 0 ? s.controlSize : Math.min(controlBytes, s.controlSize);
                long n = receiveLoop(fd, s, control, bits | c.MSG_CMSG_CLOEXEC, rem);
                if (n == WOULD_BLOCK) {
                    return shutDatagram() ? new Received(-1, false, false, false, List.of()) : null;
                }
                if (n == ENDED) {
                    return new Received(-1, false, false, false, List.of());
                }
                List<Descriptor> fds = takeDescriptors(s, control);
                int msgFlags = s.area.getInt(s.msg + c.msgFlagsOffset);
                boolean truncated = (msgFlags & c.MSG_TRUNC) != 0;
                if (n > 0 && data != null) {
                    dst.put(pos, data, 0, (int) n);
                }
                if (n > 0) {
                    dst.position(pos + (int) n);
                }
                boolean eof = n == 0 && fds.isEmpty() && !truncated && !emptyDatagram() && rem > 0;
                if (eof && (bits & c.MSG_PEEK) == 0) {
                    noteEnd(0);
                }
                // A DGRAM recvmsg woken by close()'s shutdown also returns 0: no end of stream there, still a close.
                if (n == 0 && fds.isEmpty() && closedMeanwhile()) {
                    throw new AsynchronousCloseException();
                }
                return new Received(eof ? -1 : (int) n, truncated, (msgFlags & c.MSG_CTRUNC) != 0,
                        (msgFlags & c.MSG_EOR) != 0, fds);
            } finally {
                s.dropOneOff();
            }
        } finally {
            release();
        }
    }

    private long receiveLoop(int fd, Scratch s, int control, int flags, long requested) throws IOException {
        if (ended) {
            return ENDED;
        }
        int timeout = readTimeoutMillis;
        boolean timed = timeout > 0 && !nonBlocking && (flags & c.MSG_DONTWAIT) == 0;
        long deadline = timed ? System.nanoTime() + timeout * 1_000_000L : 0;
        for (;;) {
            long n = recvmsgOnce(fd, s, 1, control, timed ? flags | c.MSG_DONTWAIT : flags);
            if (n >= 0) {
                return n;
            }
            int e = s.libc.errno();
            if (e != c.EINTR) {
                if (tipcReset(e)) {
                    return ENDED;
                }
                checkWouldBlock("recvmsg", e, fd, requested);
                if (!timed || shutDatagram()) {
                    return WOULD_BLOCK;
                }
                awaitUntil(fd, c.POLLIN, deadline, timeout);
            }
        }
    }

    /**
     * Walks the control data recvmsg returned and takes ownership of every SCM_RIGHTS descriptor in it. After
     * {@code MSG_CTRUNC} the kernel has installed only the descriptors that fit and says so in {@code cmsg_len}
     * (Linux {@code scm_detach_fds}: the others are released in the kernel, never installed here), so walking the
     * messages as they are hands over every descriptor that did arrive. The numbers are collected first and wrapped
     * after, so that nothing between the kernel installing them and their owner existing can leak one.
     */
    private List<Descriptor> takeDescriptors(Scratch s, int control) {
        ByteBuffer a = s.area;
        long controlLen = Math.min(getWord(a, s.msg + c.msgControllenOffset, c.msgControllenSize), control);
        if (controlLen == 0) {
            return List.of();
        }
        int[] numbers = new int[Math.max(1, (int) controlLen / 4)];
        int count = 0;
        int header = c.cmsgHeaderSize();
        int dataOffset = c.cmsgAlign(header);
        long off = 0;
        while (off + header <= controlLen) {
            int at = s.control + (int) off;
            long len = getWord(a, at, c.cmsgLenSize);
            if (len < header || off + len > controlLen) {
                break; // malformed: the kernel never writes this, and no descriptor can lie beyond it
            }
            int level = a.getInt(at + c.cmsgLenSize);
            int kind = a.getInt(at + c.cmsgLenSize + 4);
            if (level == c.SOL_SOCKET && kind == c.SCM_RIGHTS && len > dataOffset) {
                int n = (int) ((len - dataOffset) / 4);
                for (int i = 0; i < n; i++) {
                    numbers[count++] = a.getInt(at + dataOffset + 4 * i);
                }
            }
            if (level == c.SOL_SOCKET && c.scmPidfd() != NativeConstants.ABSENT && kind == c.scmPidfd()
                    && len >= dataOffset + 4) {
                // Not ours to hand over (nobody asked for it through this API), but installed in this process.
                backend.closeQuietly(a.getInt(at + dataOffset));
            }
            off += c.cmsgAlign((int) len);
        }
        if (count == 0) {
            return List.of();
        }
        List<Descriptor> fds = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            if (c.MSG_CMSG_CLOEXEC == 0) {
                // No atomic MSG_CMSG_CLOEXEC here (macOS): set it now, best effort.
                libc.fcntl(numbers[i], c.F_SETFD, c.FD_CLOEXEC);
            }
            fds.add(new OwnedDescriptor(backend, numbers[i]));
        }
        return fds;
    }

    @Override
    public int sendDescriptors(ByteBuffer data, Descriptor... descriptors) throws IOException {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(descriptors, "descriptors");
        if (c.maxFdsPerMessage == 0) {
            throw new UnsupportedOperationException("descriptor passing is not available on " + backend.info().os());
        }
        if (domain != Domain.UNIX) {
            // SCM_RIGHTS is AF_UNIX's (unix(7)); TIPC's sendmsg ignores control data and would send the bytes while
            // the descriptors silently vanish.
            throw new UnsupportedOperationException("descriptor passing needs a UNIX socket, not " + domain);
        }
        if (!data.hasRemaining()) {
            throw new IllegalArgumentException("at least one data byte must travel with descriptors");
        }
        if (descriptors.length == 0 || descriptors.length > c.maxFdsPerMessage) {
            throw new IllegalArgumentException(descriptors.length + " descriptors: one message carries 1 to "
                    + c.maxFdsPerMessage + " on " + backend.info().os());
        }
        for (Descriptor d : descriptors) {
            Objects.requireNonNull(d, "descriptor");
        }
        int held = 0;
        int fd = acquire();
        try {
            Scratch s = writeScratch();
            ByteBuffer a = s.area;
            int n = descriptors.length;
            int space = c.cmsgSpace(4 * n);
            for (int i = 0; i < space; i += 4) {
                a.putInt(s.control + i, 0);
            }
            for (; held < n; held++) {
                a.putInt(s.control + c.cmsgAlign(c.cmsgHeaderSize()) + 4 * held, use(descriptors[held]));
            }
            putWord(a, s.control, c.cmsgLenSize, c.cmsgLen(4 * n));
            a.putInt(s.control + c.cmsgLenSize, c.SOL_SOCKET);
            a.putInt(s.control + c.cmsgLenSize + 4, c.SCM_RIGHTS);
            int pos = data.position();
            int rem = data.remaining();
            ByteBuffer heap = null;
            try {
                long address;
                if (data.isDirect()) {
                    address = s.directAddress(data) + pos;
                } else {
                    heap = s.data(rem);
                    heap.put(0, data, pos, rem);
                    address = s.addressOf(heap);
                }
                putWord(a, s.iov, c.pointerSize, address);
                putWord(a, s.iov + c.pointerSize, c.pointerSize, rem);
                long sent = sendmsgLoop(fd, s, 1, space, 0, rem);
                if (sent == WOULD_BLOCK) {
                    return 0;
                }
                data.position(pos + (int) sent);
                return (int) sent;
            } finally {
                s.dropOneOff();
            }
        } finally {
            for (int i = 0; i < held; i++) {
                if (descriptors[i] instanceof OwnedDescriptor o) {
                    o.release();
                }
            }
            release();
        }
    }

    /** Holds a descriptor open for the duration of a send (released by the caller). */
    private static int use(Descriptor d) throws ClosedChannelException {
        if (d instanceof OwnedDescriptor o) {
            return o.acquire();
        }
        int fd = d.fd();
        if (!d.isOpen() || fd < 0) {
            throw new ClosedChannelException();
        }
        return fd;
    }

    // ---- control ------------------------------------------------------------------------------------------------

    @Override
    public void shutdownInput() throws IOException {
        shutdown(c.SHUT_RD, "SHUT_RD");
        inputShut = true;
    }

    @Override
    public void shutdownOutput() throws IOException {
        shutdown(c.SHUT_WR, "SHUT_WR");
    }

    private void shutdown(int how, String name) throws IOException {
        int fd = acquire();
        try {
            if (libc.shutdown(fd, how) != 0) {
                throw backend.error("shutdown", libc.errno(), "fd=" + fd + ", " + name);
            }
        } finally {
            release();
        }
    }

    @Override
    protected void wakeBlocked(int fd) {
        // close(2) does not wake a thread blocked in read(2) on Linux; shutdown(2) does, on every OS here.
        libc.shutdown(fd, c.SHUT_RDWR);
    }

    @Override
    public Endpoint configureBlocking(boolean blocking) throws IOException {
        int fd = acquire();
        try {
            int fl = backend.fcntl(fd, c.F_GETFL, 0);
            int want = blocking ? fl & ~c.O_NONBLOCK : fl | c.O_NONBLOCK;
            if (want != fl) {
                backend.fcntl(fd, c.F_SETFL, want);
            }
            nonBlocking = !blocking;
            return this;
        } finally {
            release();
        }
    }

    @Override
    public boolean isBlocking() throws IOException {
        int fd = acquire();
        try {
            return (backend.fcntl(fd, c.F_GETFL, 0) & c.O_NONBLOCK) == 0;
        } finally {
            release();
        }
    }

    @Override
    public void setCloseOnExec(boolean closeOnExec) throws IOException {
        int fd = acquire();
        try {
            int fl = backend.fcntl(fd, c.F_GETFD, 0);
            int want = closeOnExec ? fl | c.FD_CLOEXEC : fl & ~c.FD_CLOEXEC;
            if (want != fl) {
                backend.fcntl(fd, c.F_SETFD, want);
            }
        } finally {
            release();
        }
    }

    @Override
    public boolean isCloseOnExec() throws IOException {
        int fd = acquire();
        try {
            return (backend.fcntl(fd, c.F_GETFD, 0) & c.FD_CLOEXEC) != 0;
        } finally {
            release();
        }
    }

    @Override
    public void setReadTimeout(Duration timeout) {
        readTimeoutMillis = toMillis(timeout);
    }

    @Override
    public Duration readTimeout() {
        return Duration.ofMillis(readTimeoutMillis);
    }

    /** A non-negative duration in whole milliseconds, rounded up, at most Integer.MAX_VALUE. */
    private static int toMillis(Duration d) {
        Objects.requireNonNull(d, "timeout");
        if (d.isNegative()) {
            throw new IllegalArgumentException("negative timeout: " + d);
        }
        if (d.compareTo(Duration.ofMillis(Integer.MAX_VALUE)) >= 0) {
            return Integer.MAX_VALUE;
        }
        long ms = d.toMillis();
        return (int) (Duration.ofMillis(ms).compareTo(d) < 0 ? ms + 1 : ms);
    }

    @Override
    public boolean awaitReadable(Duration timeout) throws IOException {
        return await(c.POLLIN, timeout);
    }

    @Override
    public boolean awaitWritable(Duration timeout) throws IOException {
        return await(c.POLLOUT, timeout);
    }

    private boolean await(int events, Duration timeout) throws IOException {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("negative timeout: " + timeout);
        }
        int fd = acquire();
        try {
            return awaitHeld(fd, events, timeout);
        } finally {
            release();
        }
    }

    private boolean awaitHeld(int fd, int events, Duration timeout) throws IOException {
        long nanos = timeout.compareTo(Duration.ofDays(365 * 100L)) > 0 ? Long.MAX_VALUE / 2 : timeout.toNanos();
        long deadline = System.nanoTime() + nanos;
        for (;;) {
            long left = deadline - System.nanoTime();
            int ms = (int) Math.min(Integer.MAX_VALUE, Math.max(0, (left + 999_999) / 1_000_000));
            if (poll(fd, events, ms)) {
                Scratch s = readScratch();
                if (s.area.getShort(s.pollfd + 6) != 0) {
                    return true;
                }
                // EINTR: go round again with what is left.
            } else if (deadline - System.nanoTime() <= 0) {
                return false;
            }
        }
    }

    @Override
    public PeerCredentials peerCredentials() throws IOException {
        int fd = acquire();
        try {
            return backend.peerCredentials(fd, type);
        } finally {
            release();
        }
    }

    @Override
    public int sendBufferSize() throws IOException {
        return intOption(c.SO_SNDBUF, "SO_SNDBUF");
    }

    @Override
    public void setSendBufferSize(int size) throws IOException {
        setIntOption(c.SO_SNDBUF, "SO_SNDBUF", size);
    }

    @Override
    public int receiveBufferSize() throws IOException {
        return intOption(c.SO_RCVBUF, "SO_RCVBUF");
    }

    @Override
    public void setReceiveBufferSize(int size) throws IOException {
        setIntOption(c.SO_RCVBUF, "SO_RCVBUF", size);
    }

    private int intOption(int name, String what) throws IOException {
        int fd = acquire();
        try {
            return backend.getIntOption(fd, c.SOL_SOCKET, name, what);
        } finally {
            release();
        }
    }

    private void setIntOption(int name, String what, int value) throws IOException {
        if (value <= 0) {
            throw new IllegalArgumentException(what + " must be positive: " + value);
        }
        int fd = acquire();
        try {
            backend.setIntOption(fd, c.SOL_SOCKET, name, value, what);
        } finally {
            release();
        }
    }

    // ---- streams ------------------------------------------------------------------------------------------------

    @Override
    public synchronized InputStream inputStream() {
        if (in == null) {
            in = new EndpointInputStream();
        }
        return in;
    }

    @Override
    public synchronized OutputStream outputStream() {
        if (out == null) {
            out = new EndpointOutputStream();
        }
        return out;
    }

    /** Reads into an array through scratch memory; waits for data even in non-blocking mode. */
    int readArray(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0;
        }
        int fd = acquire();
        try {
            Scratch s = readScratch();
            int want = records ? len : Math.min(len, Scratch.MAX_CACHED_DATA);
            ByteBuffer data = s.data(want);
            try {
                // one deadline for the whole call: a wake-up that finds nothing must not restart the timeout
                int timeout = readTimeoutMillis;
                long deadline = System.nanoTime() + timeout * 1_000_000L;
                for (;;) {
                    long n = readInto(s, fd, s.addressOf(data), want);
                    if (n > 0) {
                        data.get(0, b, off, (int) n);
                        return (int) n;
                    }
                    if (closedMeanwhile()) {
                        throw new AsynchronousCloseException();
                    }
                    if (n == 0) {
                        if (emptyDatagram()) {
                            // A stream has no records: an empty datagram carries no byte, read the next one
                            // (InputStream.read must not return 0 for len > 0; read() would spin on it).
                            continue;
                        }
                        return -1;
                    }
                    if (shutDatagram()) {
                        return -1; // would block with the input shut down: nothing is queued
                    }
                    if (timeout > 0) {
                        awaitUntil(fd, c.POLLIN, deadline, timeout);
                    } else {
                        awaitHeld(fd, c.POLLIN, Duration.ofMillis(Integer.MAX_VALUE));
                    }
                }
            } finally {
                s.dropOneOff();
            }
        } finally {
            release();
        }
    }

    /** Writes a whole array through scratch memory; waits for room even in non-blocking mode. */
    void writeArray(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0 && !records) {
            return;
        }
        int fd = acquire();
        try {
            Scratch s = writeScratch();
            do {
                int chunk = records ? len : Math.min(len, Scratch.MAX_CACHED_DATA);
                ByteBuffer data = s.data(chunk);
                try {
                    data.put(0, b, off, chunk);
                    long n = sendFrom(s, fd, s.addressOf(data), chunk, 0);
                    if (n == WOULD_BLOCK) {
                        awaitHeld(fd, c.POLLOUT, Duration.ofMillis(Integer.MAX_VALUE));
                        continue;
                    }
                    off += (int) n;
                    len -= (int) n;
                } finally {
                    s.dropOneOff();
                }
            } while (len > 0);
        } finally {
            release();
        }
    }

    private final class EndpointInputStream extends InputStream {
        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n;
            do {
                n = readArray(one, 0, 1);
            } while (n == 0);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return readArray(b, off, len);
        }

        @Override
        public void close() throws IOException {
            NativeEndpoint.this.close();
        }
    }

    private final class EndpointOutputStream extends OutputStream {
        @Override
        public void write(int b) throws IOException {
            writeArray(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            writeArray(b, off, len);
        }

        @Override
        public void close() throws IOException {
            NativeEndpoint.this.close();
        }
    }

    @Override
    public String toString() {
        return "Endpoint[fd=" + rawFd() + ", " + domain + "/" + type + (isOpen() ? "" : ", closed") + "]";
    }
}
