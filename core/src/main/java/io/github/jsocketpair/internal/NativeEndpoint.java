package io.github.jsocketpair.internal;

import io.github.jsocketpair.Descriptor;
import io.github.jsocketpair.Domain;
import io.github.jsocketpair.Endpoint;
import io.github.jsocketpair.MessageFlag;
import io.github.jsocketpair.PeerCredentials;
import io.github.jsocketpair.Received;
import io.github.jsocketpair.SocketPairOptions;
import io.github.jsocketpair.SocketType;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketOption;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousByteChannel;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.spi.AbstractInterruptibleChannel;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The one {@link Endpoint} implementation, the same on every OS: a thin facade over the I/O engine.
 *
 * <p>Each channel call's loop (the lock and a use of the number, the call, the wait, again within the deadline) is
 * {@link CallAndWait}'s, the message calls' {@link Messages}'. Every transfer is one non-blocking system call
 * ({@link Transfers}, {@link Vectors}, {@link Batches}, {@link DescriptorPassing}); when it would block and the
 * endpoint is blocking, the caller waits in one place, {@link #awaitReady}: a virtual thread parks on the backend's {@link Poller}, a platform thread polls the
 * socket and its {@link Wakeup}, or, for the plain stream calls on Linux, blocks in the call itself
 * ({@link #inCall}, {@link KernelWaits}). Close wakes every waiter through that path and never calls
 * {@code shutdown(2)}. One reader and one writer at a time ({@link ReentrantLock}s, which park rather than pin, as in
 * the JDK's {@code SocketChannelImpl}). Interrupts follow {@link AbstractInterruptibleChannel}: a thread interrupted
 * while it waits, or that enters a blocking call with its interrupt status set, closes the endpoint and gets
 * {@link java.nio.channels.ClosedByInterruptException}. As with the JDK's channels, a non-blocking call never waits
 * and so is never interrupted.
 */
final class NativeEndpoint extends AbstractInterruptibleChannel implements Endpoint, Owned {
    final PosixBackend backend;
    final NativeConstants c;
    final EndOfStream eos;
    /** DGRAM and SEQPACKET: one call moves one whole record, never split. */
    final boolean records;
    /**
     * What every recvmsg asks for received descriptors: close-on-exec from the first instant, and close-on-fork too
     * on a pair opened with CLOFORK where the OS has {@code MSG_CMSG_CLOFORK} (OpenBSD 7.8+, FreeBSD 15 once proven).
     */
    final int receiveFlags;
    private final int fd;
    private final DescriptorUse use = new DescriptorUse();
    private final Domain domain;
    private final SocketType type;
    /** Which of the backend's pollers this endpoint's virtual threads park on ({@link Pollers}). */
    private final int pollerSlot;
    private final ReentrantLock readLock = new ReentrantLock();
    private final ReentrantLock writeLock = new ReentrantLock();
    /**
     * Whether the next blocking call should wait before its first attempt ({@link DrainGuess}): a read that waits in
     * {@code poll(2)}, and a read or write that blocks in the call itself (under {@link #readLock} and
     * {@link #writeLock}). Writes that wait in {@code poll(2)} have no guess: 64 KiB {@code byte[]} chunks on one CPU
     * made as many failed sends with one and 3% more CPU time (measured, JDK 25). Each is made at the first call
     * that waits, under its lock: an endpoint that never waits (a pair opened and closed) allocates none.
     */
    private DrainGuess readGuess;
    private DrainGuess readCallGuess;
    private DrainGuess writeCallGuess;
    private volatile boolean nonBlocking;
    private volatile int readTimeoutMillis;
    private volatile int writeTimeoutMillis;
    /**
     * Who waits to read and to write: a virtual {@link Thread}, a platform thread's {@link Wakeup}, or a platform
     * thread blocked in the call ({@link KernelWaits.Waiter}); or null.
     */
    private volatile Object readWaiter;
    private volatile Object writeWaiter;
    /** How platform threads block in the call itself, or null where they wait in poll(2) ({@link KernelWaits}). */
    private final KernelWaits kernelWaits;
    private StreamViews streams;
    private AsynchronousView asynchronous;

    NativeEndpoint(PosixBackend backend, int fd, Domain domain, SocketType type, boolean nonBlocking,
            boolean cloFork, int pollerSlot) {
        this.pollerSlot = pollerSlot;
        this.backend = backend;
        this.c = backend.constants();
        this.fd = fd;
        this.domain = domain;
        this.type = type;
        this.records = type != SocketType.STREAM;
        this.eos = new EndOfStream(c, domain, type);
        this.receiveFlags = c.MSG_CMSG_CLOEXEC | (cloFork ? c.msgCmsgClofork() : 0);
        this.nonBlocking = nonBlocking;
        this.kernelWaits = backend.kernelWaits();
    }

    @Override
    public Domain domain() {
        return domain;
    }

    @Override
    public SocketType type() {
        return type;
    }

    @Override
    public int fd() {
        return use.isClosed() ? -1 : fd;
    }

    @Override
    public int rawFd() {
        return fd;
    }

    @Override
    public DescriptorUse use() {
        return use;
    }

    @Override
    public PosixBackend backend() {
        return backend;
    }

    // ---- the call frame and the one wait path --------------------------------------------------------------------

    /**
     * Takes the lock and a use of the number; closes on an interrupt already pending in a blocking call. A call that
     * finds the endpoint closed when it starts gets {@link ClosedChannelException}; one that was waiting for the lock
     * (behind another reader or writer) when the close came gets {@link AsynchronousCloseException}, like one that
     * was waiting for data.
     */
    private int enter(ReentrantLock lock, boolean blocking) throws IOException {
        if (!isOpen()) {
            throw new ClosedChannelException();
        }
        lock.lock();
        try {
            use.acquire();
        } catch (ClosedChannelException e) {
            lock.unlock();
            throw new AsynchronousCloseException();
        }
        if (blocking && Thread.currentThread().isInterrupted()) {
            try {
                begin(); // sees the pending interrupt and closes, as the JDK's channels do
                end(false);
            } finally {
                exit(lock);
            }
        }
        return fd;
    }

    private void exit(ReentrantLock lock) {
        releaseUse();
        lock.unlock();
    }

    /** {@link #enter} for a reader outside this class (the stream views): the read lock and a use of the number. */
    int enterRead(boolean blocking) throws IOException {
        return enter(readLock, blocking);
    }

    /** Ends what {@link #enterRead} began. */
    void exitRead() {
        exit(readLock);
    }

    /** {@link #enter} for a writer outside this class (the stream views): the write lock and a use of the number. */
    int enterWrite(boolean blocking) throws IOException {
        return enter(writeLock, blocking);
    }

    /** Ends what {@link #enterWrite} began. */
    void exitWrite() {
        exit(writeLock);
    }

    /** The read timeout in milliseconds, 0 for none. */
    int readTimeoutMillis() {
        return readTimeoutMillis;
    }

    /**
     * Starts a blocking read: on a platform thread, where the last reads here found the socket empty
     * ({@link DrainGuess}), waits for it to be readable before the first attempt. Returns the deadline for the read's
     * later waits, as {@link #awaitReady} does (0 if it did not wait and there is no timeout). Under the read lock.
     *
     * @throws java.nio.channels.AsynchronousCloseException if the endpoint was closed meanwhile
     * @throws java.nio.channels.ClosedByInterruptException if this thread was interrupted (the endpoint is closed)
     * @throws SocketTimeoutException if the read timeout passed
     */
    long awaitIfDrained(int fd) throws IOException {
        DrainGuess g = readGuess;
        return g != null && g.waitFirst() && !Threads.isVirtual(Thread.currentThread())
                ? awaitReady(fd, false, 0, readTimeoutMillis) : 0;
    }

    /** The write timeout in milliseconds, 0 for none. */
    int writeTimeoutMillis() {
        return writeTimeoutMillis;
    }

    /** Takes a use of the number for a call outside the locks (options, modes). */
    int acquire() throws ClosedChannelException {
        use.acquire();
        return fd;
    }

    void releaseUse() {
        if (use.release()) {
            // Deferred close: nobody is left to report an error to; close(2) has released the number either way.
            backend.closeQuietly(fd);
        }
    }

    /**
     * Waits until the socket may be ready for the direction: the one place every blocking call waits. A virtual
     * thread parks on the poller; a platform thread polls the socket and its wake-up descriptor. Returns the
     * deadline ({@code System.nanoTime()}, 0 for none), computed at the first wait of a call from
     * {@code timeoutMillis} (0: none), for the caller's next round.
     *
     * @throws java.nio.channels.AsynchronousCloseException if the endpoint was closed meanwhile
     * @throws java.nio.channels.ClosedByInterruptException if this thread was interrupted (the endpoint is closed)
     * @throws SocketTimeoutException if the deadline passed
     */
    long awaitReady(int fd, boolean write, long deadline, int timeoutMillis) throws IOException {
        if (deadline == 0 && timeoutMillis > 0) {
            deadline = (System.nanoTime() + timeoutMillis * 1_000_000L) | 1;
        }
        Thread me = Thread.currentThread();
        begin();
        try {
            if (Threads.isVirtual(me)) {
                setWaiter(write, me);
                try {
                    if (isOpen()) {
                        backend.poller(pollerSlot).await(this, fd, write, deadline);
                    }
                } finally {
                    setWaiter(write, null);
                }
            } else {
                if (!write && readLock.isHeldByCurrentThread()) {
                    if (readGuess == null) {
                        readGuess = DrainGuess.forPoll();
                    }
                    readGuess.drained(); // a read waits: the next one will likely find the socket empty too
                }
                Wakeup w = backend.wakeups().take();
                try {
                    setWaiter(write, w);
                    try {
                        if (isOpen()) {
                            w.await(fd, write ? c.POLLOUT : c.POLLIN, millisUntil(deadline));
                        }
                    } finally {
                        setWaiter(write, null);
                    }
                } finally {
                    backend.wakeups().give(w);
                }
            }
        } finally {
            end(isOpen());
        }
        if (deadline != 0 && deadline - System.nanoTime() <= 0) {
            throw new SocketTimeoutException((write ? "write" : "read") + " timed out after " + timeoutMillis
                    + " ms");
        }
        return deadline;
    }

    private static int millisUntil(long deadline) {
        if (deadline == 0) {
            return -1;
        }
        long left = deadline - System.nanoTime();
        return left <= 0 ? 0 : (int) Math.min(Integer.MAX_VALUE, (left + 999_999) / 1_000_000);
    }

    private void setWaiter(boolean write, Object waiter) {
        if (write) {
            writeWaiter = waiter;
        } else {
            readWaiter = waiter;
        }
    }

    /** Tells whether a thread is waiting in this endpoint now, to read or to write (for tests). */
    boolean hasWaiter(boolean write) {
        return (write ? writeWaiter : readWaiter) != null;
    }

    /** How many calls are blocked now: waiting for readiness, or queued behind another reader or writer (tests). */
    int blockedCalls() {
        return (readWaiter != null ? 1 : 0) + (writeWaiter != null ? 1 : 0) + readLock.getQueueLength()
                + writeLock.getQueueLength();
    }

    private void wake(Object waiter, boolean write) {
        if (waiter instanceof Wakeup w) {
            w.signal();
        } else if (waiter instanceof Thread t) {
            java.util.concurrent.locks.LockSupport.unpark(t);
        } else if (waiter instanceof KernelWaits.Waiter k) {
            kernelWaits.wake(k, () -> (write ? writeWaiter : readWaiter) == k);
        }
    }

    /**
     * Tells whether a blocking transfer of {@code b} by this thread blocks in the call itself ({@link KernelWaits}):
     * a platform thread, no timeout for the direction, a buffer an ordinary downcall can take (direct, or a heap
     * buffer the binding stages anyway; a large heap buffer goes to the kernel without a copy only through a critical
     * call, which must not block, so it waits in {@code poll(2)}), and for a read no low watermark: the kernel's own
     * {@code SO_RCVLOWAT}, which the option also sets, would hold a blocking call for the whole watermark after part
     * of it was already taken (the engine counts the watermark itself, {@link EndpointOptions#minimumRead}).
     */
    boolean blocksInCall(ByteBuffer b, boolean write) {
        return kernelWaits != null && (write ? writeTimeoutMillis : readTimeoutMillis) == 0
                && (write || options.minimumRead(true, 2) == 0)
                && (b.isDirect() || !backend.libc().bufferCalls() || b.remaining() < Staging.HEAP_SEGMENT_MIN)
                && !Threads.isVirtual(Thread.currentThread());
    }

    /**
     * Starts a blocking read that may block in the call: says whether its first attempt is made without blocking
     * (false where the last reads found the socket empty, {@link DrainGuess}: the read then blocks in the call at
     * once). Once per read, under the read lock.
     */
    boolean tryFirstInCall() {
        DrainGuess g = readCallGuess;
        return g == null || !g.waitFirst();
    }

    /**
     * One attempt of a blocking read that may block in the call: a non-blocking attempt when {@code tryFirst}, and
     * where that would block, the call that blocks ({@link #inCall}). Under the read lock.
     */
    long readInCall(int fd, ByteBuffer dst, boolean tryFirst) throws IOException {
        if (tryFirst) {
            long n = Transfers.read(this, fd, dst, 0);
            if (n != Transfers.WOULD_BLOCK) {
                return n;
            }
        }
        if (readCallGuess == null) {
            readCallGuess = DrainGuess.inCall();
        }
        readCallGuess.drained();
        return inCall(fd, dst, false, 0);
    }

    /**
     * Starts a blocking write that may block in the call: says whether it blocks in the call at once (where the last
     * writes had to wait, {@link DrainGuess}; counted as a wait) rather than making a non-blocking attempt first. Once
     * per write, under the write lock.
     */
    boolean blockFirstInCall() {
        DrainGuess g = writeCallGuess;
        if (g != null && g.waitFirst()) {
            g.drained();
            return true;
        }
        return false;
    }

    /** Records that a write's non-blocking attempt found the send buffer full: it now blocks in the call. */
    void writeBlocksInCall() {
        if (writeCallGuess == null) {
            writeCallGuess = DrainGuess.inCall();
        }
        writeCallGuess.drained();
    }

    /**
     * One transfer that blocks in the call, for what {@link #blocksInCall} allows: publishes this thread as the
     * direction's waiter, so that a close (or an interrupt, which closes) signals it out of the call, then makes the
     * call without {@code MSG_DONTWAIT}; after an {@code EINTR} it makes it again unless the endpoint was closed.
     * Returns the call's result: a count, {@link Transfers#END}, or {@link Transfers#WOULD_BLOCK} where another
     * holder set {@code O_NONBLOCK} on the file (the caller then waits in the one wait path).
     *
     * @throws java.nio.channels.AsynchronousCloseException if the endpoint was closed meanwhile
     * @throws java.nio.channels.ClosedByInterruptException if this thread was interrupted (the endpoint is closed)
     */
    long inCall(int fd, ByteBuffer b, boolean write, int flags) throws IOException {
        KernelWaits.Waiter w = kernelWaits.current();
        boolean completed = false;
        begin();
        try {
            setWaiter(write, w);
            try {
                while (isOpen()) {
                    long n = write ? Transfers.send(this, fd, b, flags, true)
                            : Transfers.read(this, fd, b, flags, true);
                    if (n != Transfers.INTERRUPTED) {
                        completed = true;
                        return n;
                    }
                }
                return 0;
            } finally {
                setWaiter(write, null);
            }
        } finally {
            end(completed);
        }
    }

    @Override
    protected void implCloseChannel() throws IOException {
        switch (use.markClosed()) {
            case NOW -> backend.closeChecked(fd);
            case DEFERRED -> {
                // Calls are in progress: wake the waiters; the last call out closes the number.
                wake(readWaiter, false);
                wake(writeWaiter, true);
            }
            case ALREADY -> {
                // detached, or closed through the number's other owner
            }
        }
    }

    /**
     * Gives up ownership without closing the number, for {@link Endpoint#adopt}: returns the number, and this
     * endpoint reads as closed.
     *
     * @throws ClosedChannelException if already closed
     * @throws IllegalStateException if a call is in progress
     */
    int detachNumber() throws IOException {
        if (!use.detach()) {
            throw new IllegalStateException("endpoint " + fd + " is in use by another thread");
        }
        close(); // marks the channel closed; implCloseChannel finds the number already released
        return fd;
    }

    /**
     * {@inheritDoc} Refuses rather than waits: a call in progress may be blocked for as long as the peer likes, and
     * waiting for it would need a way to hold new calls off meanwhile; the caller can end its own calls first.
     */
    @Override
    public int detach() throws IOException {
        return detachNumber();
    }

    // ---- the asynchronous view ----------------------------------------------------------------------------------

    @Override
    public synchronized AsynchronousByteChannel asynchronous() {
        if (asynchronous == null) {
            asynchronous = new AsynchronousView(this);
        }
        return asynchronous;
    }

    /**
     * One read for the asynchronous view: waits for data whatever the endpoint's mode, with no timeout, until the
     * socket is readable or the endpoint is closed; one record on a record type (0 for an empty one).
     */
    int readForView(ByteBuffer dst) throws IOException {
        int fd = enter(readLock, true);
        try {
            if (!dst.hasRemaining()) {
                return 0;
            }
            for (;;) {
                long n = Transfers.read(this, fd, dst, 0);
                if (n != Transfers.WOULD_BLOCK) {
                    return (int) n;
                }
                awaitReady(fd, false, 0, 0);
            }
        } finally {
            exit(readLock);
        }
    }

    /**
     * One send for the asynchronous view: waits for room whatever the endpoint's mode, with no timeout, then makes
     * one send (on a stream it may take fewer bytes than remain, as {@code AsynchronousSocketChannel} may).
     */
    int writeForView(ByteBuffer src) throws IOException {
        int fd = enter(writeLock, true);
        try {
            if (!src.hasRemaining() && !records) {
                return 0;
            }
            for (;;) {
                long n = Transfers.send(this, fd, src, 0);
                if (n != Transfers.WOULD_BLOCK) {
                    return (int) n;
                }
                awaitReady(fd, true, 0, 0);
            }
        } finally {
            exit(writeLock);
        }
    }

    // ---- read, write, batches (CallAndWait) ---------------------------------------------------------------------

    @Override
    public int read(ByteBuffer dst) throws IOException {
        return CallAndWait.read(this, dst);
    }

    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
        return CallAndWait.scatter(this, dsts, offset, length);
    }

    @Override
    public long read(ByteBuffer[] dsts) throws IOException {
        return read(dsts, 0, dsts.length);
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        return (int) CallAndWait.send(this, src, 0, true);
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
        return (int) CallAndWait.send(this, src, bits, false);
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        return CallAndWait.gather(this, srcs, offset, length);
    }

    @Override
    public long write(ByteBuffer[] srcs) throws IOException {
        return write(srcs, 0, srcs.length);
    }

    @Override
    public int sendBatch(ByteBuffer[] records, int offset, int length) throws IOException {
        return CallAndWait.sendBatch(this, records, offset, length);
    }

    @Override
    public int receiveBatch(ByteBuffer[] buffers, int offset, int length) throws IOException {
        return CallAndWait.receiveBatch(this, buffers, offset, length);
    }

    // ---- messages (Messages) -------------------------------------------------------------------------------------

    @Override
    public Received receive(ByteBuffer dst, MessageFlag... flags) throws IOException {
        return Messages.receive(this, dst, -1, flags);
    }

    @Override
    public int sendDescriptors(ByteBuffer data, Descriptor... descriptors) throws IOException {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(descriptors, "descriptors");
        if (descriptors.length == 0) {
            return (int) CallAndWait.send(this, data, 0, false); // a plain send, as Python's send_fds with none
        }
        return (int) Messages.send(this, new ByteBuffer[] {data}, descriptors, 0, false, false);
    }

    @Override
    public long sendMessage(ByteBuffer[] data, List<? extends Descriptor> descriptors, MessageFlag... flags)
            throws IOException {
        return Messages.sendMessage(this, data, descriptors, flags);
    }

    /** Tells whether the endpoint's own mode is non-blocking ({@link #isBlocking()} without the closed check). */
    boolean nonBlocking() {
        return nonBlocking;
    }

    // ---- readiness ----------------------------------------------------------------------------------------------

    @Override
    public boolean awaitReadable(Duration timeout) throws IOException {
        return await(false, timeout);
    }

    @Override
    public boolean awaitWritable(Duration timeout) throws IOException {
        return await(true, timeout);
    }

    /** Waits in the one wait path until poll(2) says the direction is ready; false when the timeout passes first. */
    private boolean await(boolean write, Duration timeout) throws IOException {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("negative timeout: " + timeout);
        }
        ReentrantLock lock = write ? writeLock : readLock;
        int fd = enter(lock, true);
        try {
            long nanos = timeout.compareTo(Duration.ofDays(365 * 100L)) > 0 ? Long.MAX_VALUE / 4 : timeout.toNanos();
            long deadline = (System.nanoTime() + nanos) | 1;
            for (;;) {
                if (Polls.ready(this, fd, write ? c.POLLOUT : c.POLLIN)) {
                    return true;
                }
                if (deadline - System.nanoTime() <= 0) {
                    return false;
                }
                try {
                    awaitReady(fd, write, deadline, 1);
                } catch (SocketTimeoutException e) {
                    return Polls.ready(this, fd, write ? c.POLLOUT : c.POLLIN);
                }
            }
        } finally {
            exit(lock);
        }
    }

    // ---- control ------------------------------------------------------------------------------------------------

    @Override
    public void shutdownInput() throws IOException {
        shutdown(c.SHUT_RD, "SHUT_RD");
        eos.inputShut();
    }

    @Override
    public void shutdownOutput() throws IOException {
        shutdown(c.SHUT_WR, "SHUT_WR");
    }

    private void shutdown(int how, String name) throws IOException {
        int fd = acquire();
        try {
            if (backend.libc().shutdown(fd, how) != 0) {
                throw backend.error("shutdown", backend.libc().errno(), "fd=" + fd + ", " + name);
            }
        } finally {
            releaseUse();
        }
    }

    @Override
    public Endpoint configureBlocking(boolean blocking) throws IOException {
        // Both locks, as SocketChannelImpl.configureBlocking: no call is half-way through under the old mode.
        readLock.lock();
        try {
            writeLock.lock();
            try {
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
                    releaseUse();
                }
            } finally {
                writeLock.unlock();
            }
        } finally {
            readLock.unlock();
        }
    }

    /**
     * {@inheritDoc} The endpoint's own mode: what {@link #configureBlocking} (or {@code NONBLOCK} at creation) set,
     * whatever another holder of the socket has since done to the file's {@code O_NONBLOCK}.
     */
    @Override
    public boolean isBlocking() throws IOException {
        if (!isOpen()) {
            throw new ClosedChannelException();
        }
        return !nonBlocking;
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
            releaseUse();
        }
    }

    @Override
    public boolean isCloseOnExec() throws IOException {
        int fd = acquire();
        try {
            return (backend.fcntl(fd, c.F_GETFD, 0) & c.FD_CLOEXEC) != 0;
        } finally {
            releaseUse();
        }
    }

    @Override
    public void setReadTimeout(Duration timeout) {
        readTimeoutMillis = EndpointOptions.toMillis(timeout);
    }

    @Override
    public Duration readTimeout() {
        return Duration.ofMillis(readTimeoutMillis);
    }

    @Override
    public void setWriteTimeout(Duration timeout) {
        writeTimeoutMillis = EndpointOptions.toMillis(timeout);
    }

    @Override
    public Duration writeTimeout() {
        return Duration.ofMillis(writeTimeoutMillis);
    }

    @Override
    public PeerCredentials peerCredentials() throws IOException {
        int fd = acquire();
        try {
            return backend.peerCredentials(fd, type);
        } finally {
            releaseUse();
        }
    }

    @Override
    public int sendBufferSize() throws IOException {
        return options.socketInt(c.SO_SNDBUF, "SO_SNDBUF");
    }

    @Override
    public void setSendBufferSize(int size) throws IOException {
        options.setSocketInt(c.SO_SNDBUF, "SO_SNDBUF", size);
    }

    @Override
    public int receiveBufferSize() throws IOException {
        return options.socketInt(c.SO_RCVBUF, "SO_RCVBUF");
    }

    @Override
    public void setReceiveBufferSize(int size) throws IOException {
        options.setSocketInt(c.SO_RCVBUF, "SO_RCVBUF", size);
    }



    // ---- socket options and peer identity ------------------------------------------------------------------------

    private final EndpointOptions options = new EndpointOptions(this);

    /** The options the engine keeps (descriptors refused, the low watermark) and the socket's own. */
    EndpointOptions options() {
        return options;
    }

    @Override
    public Set<SocketOption<?>> supportedOptions() {
        return options.supportedOptions();
    }

    @Override
    public <T> Endpoint setOption(SocketOption<T> name, T value) throws IOException {
        options.set(name, value);
        return this;
    }

    @Override
    public <T> T getOption(SocketOption<T> name) throws IOException {
        return options.get(name);
    }

    @Override
    public Optional<Descriptor> peerPidfd() throws IOException {
        return PeerIdentity.peerPidfd(this);
    }

    // ---- streams ------------------------------------------------------------------------------------------------

    private synchronized StreamViews streams() {
        if (streams == null) {
            streams = new StreamViews(this);
        }
        return streams;
    }

    @Override
    public InputStream inputStream() {
        return streams().input();
    }

    @Override
    public OutputStream outputStream() {
        return streams().output();
    }

    @Override
    public String toString() {
        return "Endpoint[fd=" + fd + ", " + domain + "/" + type + (isOpen() ? "" : ", closed") + "]";
    }
}
