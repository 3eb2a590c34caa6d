package io.github.jsocketpair.internal;

import java.nio.ByteBuffer;

/**
 * The C library calls the shared POSIX logic needs, in Java types: pointers and {@code size_t} are {@code long},
 * every other C integer is {@code int}. Each backend implements it over its own JNA binding, which absorbs the
 * ABI differences (an {@code nfds_t} that is {@code unsigned long} on Linux and {@code unsigned int} on the BSDs, a
 * 32-bit {@code size_t}); the numbers passed (flags, levels, options) are the platform's own, from its
 * {@link NativeConstants}.
 *
 * <p>Each call returns what the C function returns; after a {@code -1}, {@link #errno()} on the same thread gives the
 * error. Nothing here throws for a failed call: the shared logic decides what an error means.
 */
public interface Libc {
    // socketpair(2): sv points at int[2]
    int socketpair(int domain, int type, int protocol, long sv);

    // close(2)
    int close(int fd);

    // read(2)
    long read(int fd, long buf, long count);

    // write(2)
    long write(int fd, long buf, long count);

    // readv(2)
    long readv(int fd, long iov, int iovcnt);

    // writev(2)
    long writev(int fd, long iov, int iovcnt);

    // send(2)
    long send(int fd, long buf, long len, int flags);

    // recv(2)
    long recv(int fd, long buf, long len, int flags);

    // sendmsg(2)
    long sendmsg(int fd, long msg, int flags);

    // recvmsg(2)
    long recvmsg(int fd, long msg, int flags);

    // poll(2)
    int poll(long fds, int nfds, int timeout);

    /**
     * Tells whether {@link #sendmmsg} and {@link #recvmmsg} exist, with Linux's {@code struct mmsghdr}
     * ({@code struct msghdr msg_hdr; unsigned int msg_len;}). Without them, batches are a loop of single calls.
     */
    default boolean hasMmsg() {
        return false;
    }

    /** sendmmsg(2): {@code vlen} {@code struct mmsghdr} at {@code msgvec}; only when {@link #hasMmsg()}. */
    default int sendmmsg(int fd, long msgvec, int vlen, int flags) {
        throw new UnsupportedOperationException("sendmmsg");
    }

    /**
     * recvmmsg(2) with {@code MSG_WAITFORONE} added to {@code flags} (wait for the first message only) and no timeout;
     * only when {@link #hasMmsg()}.
     */
    default int recvmmsg(int fd, long msgvec, int vlen, int flags) {
        throw new UnsupportedOperationException("recvmmsg");
    }

    /**
     * Tells whether {@link #recvBuffer} and {@link #sendBuffer} exist: a binding that passes a buffer's own memory
     * segment to the kernel (java.lang.foreign critical downcalls with heap access, JDK 22+). A heap buffer's array
     * then goes to the kernel without a staging copy, and a buffer over an {@code Arena}'s segment stays alive for the
     * call (a closed one gives {@link IllegalStateException}, as the JDK's channels do). Safe only because every
     * transfer passes {@code MSG_DONTWAIT} and so returns at once: a critical call must be short.
     */
    default boolean bufferCalls() {
        return false;
    }

    /** recv(2) into a buffer from its position, {@code len} bytes at most; only when {@link #bufferCalls()}. */
    default long recvBuffer(int fd, ByteBuffer buffer, long len, int flags) {
        throw new UnsupportedOperationException("recvBuffer");
    }

    /** send(2) from a buffer's position, {@code len} bytes at most; only when {@link #bufferCalls()}. */
    default long sendBuffer(int fd, ByteBuffer buffer, long len, int flags) {
        throw new UnsupportedOperationException("sendBuffer");
    }

    /**
     * recv(2) into a direct buffer's own segment as an ordinary downcall, which may block (not a critical one); only
     * when {@link #bufferCalls()}. The segment keeps an {@code Arena}'s memory alive for the call, as with
     * {@link #recvBuffer}.
     */
    default long recvBufferBlocking(int fd, ByteBuffer direct, long len, int flags) {
        throw new UnsupportedOperationException("recvBufferBlocking");
    }

    /**
     * send(2) from a direct buffer's own segment as an ordinary downcall, which may block; as
     * {@link #recvBufferBlocking}.
     */
    default long sendBufferBlocking(int fd, ByteBuffer direct, long len, int flags) {
        throw new UnsupportedOperationException("sendBufferBlocking");
    }

    /**
     * Tells whether {@link #gettid}, {@link #tgkill} and {@link #signalHandler} exist: what {@link KernelWaits} needs
     * to let a platform thread block in the call itself and still be woken by a close.
     */
    default boolean threadSignals() {
        return false;
    }

    /** gettid(2): the calling thread's kernel id; only when {@link #threadSignals()}. */
    default int gettid() {
        throw new UnsupportedOperationException("gettid");
    }

    /** tgkill(2): sends {@code sig} to thread {@code tid} of process {@code tgid}; with {@link #threadSignals()}. */
    default int tgkill(int tgid, int tid, int sig) {
        throw new UnsupportedOperationException("tgkill");
    }

    /**
     * The handler sigaction(2) reports for {@code sig} (SIG_DFL 0, SIG_IGN 1, else its address), or -1 if the call
     * failed; only when {@link #threadSignals()}.
     */
    default long signalHandler(int sig) {
        throw new UnsupportedOperationException("signalHandler");
    }

    // fcntl(2) with an int argument (or none: pass 0)
    int fcntl(int fd, int cmd, int arg);

    // shutdown(2)
    int shutdown(int fd, int how);

    // getsockopt(2): optlen points at a socklen_t holding the buffer size
    int getsockopt(int fd, int level, int optname, long optval, long optlen);

    // setsockopt(2)
    int setsockopt(int fd, int level, int optname, long optval, int optlen);

    /** Returns the errno the last failed call on this thread left. */
    int errno();

    /** Returns the native address of a direct buffer's first element (not of its position). */
    long address(ByteBuffer direct);

    /**
     * A binding that keeps call state (java.lang.foreign's captured errno): each {@link Scratch} area makes its calls
     * through its own view, so that reaching that state costs a field load rather than a thread-local lookup, and so
     * that the state follows the area from thread to thread (a virtual thread may run on any carrier). A marker apart
     * from {@link Libc} itself, so that a mocked binding sees no extra call.
     */
    interface Isolating extends Libc {
        /**
         * Returns a new view: the same calls, with errno() for them kept apart from every other view; one thread at a
         * time may use it.
         */
        Libc isolated();
    }
}
