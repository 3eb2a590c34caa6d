package io.github.jsocketpair.linux.jna;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import io.github.jsocketpair.internal.Libc;
import java.nio.ByteBuffer;

/**
 * LP64 binding through java.lang.foreign (JDK 22+): the same calls as {@link LinuxLibcDirect}, as downcall handles
 * that capture errno ({@code Linker.Option.captureCallState("errno")}) into a per-thread segment, so errno keeps the
 * meaning the shared logic expects: what the last failed call on this thread left.
 *
 * <p>Pointers and {@code size_t} are passed as {@code long}: on every LP64 Linux ABI a pointer argument travels in
 * the same integer register or stack slot as a 64-bit integer, and this saves wrapping each address in a
 * {@code MemorySegment}. {@link #isolated()} gives each scratch area its own instance with its own capture segment,
 * so hot calls reach the segment with a field load; the shared instance finds the thread's segment in a
 * thread-local.
 */
@SuppressWarnings("restricted") // downcallHandle: needs --enable-native-access, as JNA does (module-info comment)
final class LinuxLibcForeign implements LinuxLibc, Libc.Isolating {
    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout STATE = Linker.Option.captureStateLayout();
    private static final long ERRNO = STATE.byteOffset(MemoryLayout.PathElement.groupElement("errno"));
    private static final SymbolLookup LIBC = LINKER.defaultLookup();

    private static final MethodHandle SOCKETPAIR = bind("socketpair", JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT,
            JAVA_LONG);
    private static final MethodHandle CLOSE = bind("close", JAVA_INT, JAVA_INT);
    private static final MethodHandle READ = bind("read", JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG);
    private static final MethodHandle WRITE = bind("write", JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG);
    private static final MethodHandle READV = bind("readv", JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_INT);
    private static final MethodHandle WRITEV = bind("writev", JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_INT);
    private static final MethodHandle SEND = bind("send", JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT);
    private static final MethodHandle RECV = bind("recv", JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT);
    /** {@code MSG_DONTWAIT}, the same on every Linux architecture ({@code <linux/socket.h>}). */
    private static final int MSG_DONTWAIT = 0x40;
    /**
     * send/recv of native memory that cannot wait (MSG_DONTWAIT: the staged small heap buffers' path), as critical
     * downcalls: no thread-state transitions, and in C2's view a shorter call. Through the ordinary handles, some JVMs
     * (2 of 5 on one host) kept the errno capture's {@code asSlice} check un-inlined for their whole life, 40 bytes
     * per write and read.
     */
    private static final MethodHandle SEND_NOW = bindCritical("send", JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG,
            JAVA_INT);
    private static final MethodHandle RECV_NOW = bindCritical("recv", JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG,
            JAVA_INT);
    private static final MethodHandle SENDMSG = bind("sendmsg", JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_INT);
    private static final MethodHandle RECVMSG = bind("recvmsg", JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_INT);
    // sendmmsg(2)/recvmmsg(2): unsigned int vlen; recvmmsg's timeout pointer is always NULL here
    private static final MethodHandle SENDMMSG = bind("sendmmsg", JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_INT, JAVA_INT);
    private static final MethodHandle RECVMMSG = bind("recvmmsg", JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_INT, JAVA_INT,
            JAVA_LONG);
    // poll(2): nfds_t is unsigned long in glibc's <sys/poll.h>
    private static final MethodHandle POLL = bind("poll", JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT);
    // fcntl(2) is variadic: declared as such, so the int travels as the ABI passes variadic ints
    private static final MethodHandle FCNTL = LINKER.downcallHandle(find("fcntl"),
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT), Linker.Option.firstVariadicArg(2),
            Linker.Option.captureCallState("errno"));
    private static final MethodHandle SHUTDOWN = bind("shutdown", JAVA_INT, JAVA_INT, JAVA_INT);
    private static final MethodHandle GETSOCKOPT = bind("getsockopt", JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT,
            JAVA_LONG, JAVA_LONG);
    private static final MethodHandle SETSOCKOPT = bind("setsockopt", JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT,
            JAVA_LONG, JAVA_INT);

    private static final MethodHandle EPOLL_CREATE1 = bind("epoll_create1", JAVA_INT, JAVA_INT);
    private static final MethodHandle EPOLL_CTL = bind("epoll_ctl", JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT,
            JAVA_LONG);
    private static final MethodHandle EPOLL_WAIT = bind("epoll_wait", JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_INT,
            JAVA_INT);
    private static final MethodHandle EVENTFD = bind("eventfd", JAVA_INT, JAVA_INT, JAVA_INT);

    /**
     * recv/send over a buffer's own memory segment, as critical downcalls that may touch the Java heap
     * ({@code Linker.Option.critical(true)}): a heap buffer's array goes to the kernel with no staging copy, a
     * segment's scope is held for the call (a closed Arena's buffer fails with IllegalStateException instead of
     * being read or written after free), and a critical call skips the thread-state transitions of a normal one. A
     * critical call must be short and must not block; every transfer here passes MSG_DONTWAIT, so it returns at once.
     * Bound lazily, so that a JDK that refuses the option only loses this path.
     */
    private static final class SegmentCalls {
        static final MethodHandle RECV = critical("recv");
        static final MethodHandle SEND = critical("send");
        /** -Djsocketpair.heapAccess=false keeps heap buffers on the staging copy. */
        static final boolean OK = !"false".equals(System.getProperty("jsocketpair.heapAccess")) && RECV != null
                && SEND != null && works();

        private static MethodHandle critical(String name) {
            try {
                return LINKER.downcallHandle(find(name), FunctionDescriptor.of(JAVA_LONG, JAVA_INT,
                        java.lang.foreign.ValueLayout.ADDRESS, JAVA_LONG, JAVA_INT),
                        Linker.Option.captureCallState("errno"), Linker.Option.critical(true));
            } catch (RuntimeException | LinkageError e) {
                return null;
            }
        }

        /** One call on a closed descriptor through a heap segment: the handle links and runs. */
        private static boolean works() {
            try (Arena a = Arena.ofConfined()) {
                long r = (long) RECV.invokeExact(a.allocate(STATE), -1, MemorySegment.ofArray(new byte[1]), 1L, 0);
                return r == -1;
            } catch (Throwable t) {
                return false;
            }
        }
    }

    /**
     * recv/send over a direct buffer's segment as ordinary downcalls, for a platform thread that blocks in the call
     * ({@link io.github.jsocketpair.internal.Libc#recvBufferBlocking}): the segment's scope is held for the call as
     * with {@link SegmentCalls}, without the critical option that a blocking call must not have.
     */
    private static final class BlockingSegmentCalls {
        static final MethodHandle RECV = ordinary("recv");
        static final MethodHandle SEND = ordinary("send");

        private static MethodHandle ordinary(String name) {
            return LINKER.downcallHandle(find(name), FunctionDescriptor.of(JAVA_LONG, JAVA_INT,
                    java.lang.foreign.ValueLayout.ADDRESS, JAVA_LONG, JAVA_INT),
                    Linker.Option.captureCallState("errno"));
        }
    }

    /**
     * gettid(2), tgkill(2) (glibc 2.30+) and sigaction(2), bound lazily and optionally: without them a platform
     * thread waits in poll(2) rather than in the call.
     */
    private static final class ThreadSignals {
        static final MethodHandle GETTID = optional("gettid", FunctionDescriptor.of(JAVA_INT));
        static final MethodHandle TGKILL = optional("tgkill", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT,
                JAVA_INT));
        static final MethodHandle SIGACTION = optional("sigaction", FunctionDescriptor.of(JAVA_INT, JAVA_INT,
                JAVA_LONG, JAVA_LONG));
        static final boolean OK = GETTID != null && TGKILL != null && SIGACTION != null;
        /** More than sizeof(struct sigaction) on any LP64 glibc (152 on x86-64 and aarch64). */
        static final int SIGACTION_ROOM = 256;

        private static MethodHandle optional(String name, FunctionDescriptor d) {
            return LIBC.find(name).map(a -> LINKER.downcallHandle(a, d)).orElse(null);
        }
    }

    private static final LinuxLibcForeign SHARED = new LinuxLibcForeign(null);
    private static final ThreadLocal<LinuxLibcForeign> PER_THREAD = ThreadLocal.withInitial(LinuxLibcForeign::new);

    /** This thread's errno slot; null in the shared instance. */
    private final MemorySegment state;

    private LinuxLibcForeign() {
        this(Arena.ofAuto().allocate(STATE));
    }

    private LinuxLibcForeign(MemorySegment state) {
        this.state = state;
    }

    static LinuxLibcForeign shared() {
        return SHARED;
    }

    private static MemorySegment find(String name) {
        return LIBC.find(name).orElseThrow(() -> new UnsatisfiedLinkError("libc has no " + name));
    }

    private static MethodHandle bind(String name, java.lang.foreign.MemoryLayout result,
            java.lang.foreign.MemoryLayout... args) {
        return LINKER.downcallHandle(find(name), FunctionDescriptor.of(result, args),
                Linker.Option.captureCallState("errno"));
    }

    private static MethodHandle bindCritical(String name, java.lang.foreign.MemoryLayout result,
            java.lang.foreign.MemoryLayout... args) {
        return LINKER.downcallHandle(find(name), FunctionDescriptor.of(result, args),
                Linker.Option.captureCallState("errno"), Linker.Option.critical(false));
    }

    private MemorySegment state() {
        return state != null ? state : PER_THREAD.get().state;
    }

    @Override
    public Libc isolated() {
        return new LinuxLibcForeign();
    }

    @Override
    public String binding() {
        return "libc through java.lang.foreign";
    }

    @Override
    public int errno() {
        return state().get(JAVA_INT, ERRNO);
    }

    @Override
    public long address(ByteBuffer direct) {
        return MemorySegment.ofBuffer(direct).address() - direct.position();
    }

    // Every handle throws only what its target throws: nothing. invokeExact's Throwable is rethrown unchecked.
    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            throw r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException(t);
    }

    @Override
    public int socketpair(int domain, int type, int protocol, long sv) {
        try {
            return (int) SOCKETPAIR.invokeExact(state(), domain, type, protocol, sv);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public int close(int fd) {
        try {
            return (int) CLOSE.invokeExact(state(), fd);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public long read(int fd, long buf, long count) {
        try {
            return (long) READ.invokeExact(state(), fd, buf, count);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public long write(int fd, long buf, long count) {
        try {
            return (long) WRITE.invokeExact(state(), fd, buf, count);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public long readv(int fd, long iov, int iovcnt) {
        try {
            return (long) READV.invokeExact(state(), fd, iov, iovcnt);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public long writev(int fd, long iov, int iovcnt) {
        try {
            return (long) WRITEV.invokeExact(state(), fd, iov, iovcnt);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public long send(int fd, long buf, long len, int flags) {
        try {
            return (flags & MSG_DONTWAIT) != 0 ? (long) SEND_NOW.invokeExact(state(), fd, buf, len, flags)
                    : (long) SEND.invokeExact(state(), fd, buf, len, flags);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public long recv(int fd, long buf, long len, int flags) {
        try {
            return (flags & MSG_DONTWAIT) != 0 ? (long) RECV_NOW.invokeExact(state(), fd, buf, len, flags)
                    : (long) RECV.invokeExact(state(), fd, buf, len, flags);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public long sendmsg(int fd, long msg, int flags) {
        try {
            return (long) SENDMSG.invokeExact(state(), fd, msg, flags);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public long recvmsg(int fd, long msg, int flags) {
        try {
            return (long) RECVMSG.invokeExact(state(), fd, msg, flags);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public boolean hasMmsg() {
        return true;
    }

    @Override
    public int sendmmsg(int fd, long msgvec, int vlen, int flags) {
        try {
            return (int) SENDMMSG.invokeExact(state(), fd, msgvec, vlen, flags);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public int recvmmsg(int fd, long msgvec, int vlen, int flags) {
        try {
            return (int) RECVMMSG.invokeExact(state(), fd, msgvec, vlen,
                    flags | LinuxLibcDirect.MSG_WAITFORONE, 0L);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public int poll(long fds, int nfds, int timeout) {
        try {
            return (int) POLL.invokeExact(state(), fds, (long) nfds, timeout);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public int fcntl(int fd, int cmd, int arg) {
        try {
            return (int) FCNTL.invokeExact(state(), fd, cmd, arg);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public int shutdown(int fd, int how) {
        try {
            return (int) SHUTDOWN.invokeExact(state(), fd, how);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public int getsockopt(int fd, int level, int optname, long optval, long optlen) {
        try {
            return (int) GETSOCKOPT.invokeExact(state(), fd, level, optname, optval, optlen);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public int setsockopt(int fd, int level, int optname, long optval, int optlen) {
        try {
            return (int) SETSOCKOPT.invokeExact(state(), fd, level, optname, optval, optlen);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public int epoll_create1(int flags) {
        try {
            return (int) EPOLL_CREATE1.invokeExact(state(), flags);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public int epoll_ctl(int epfd, int op, int fd, long event) {
        try {
            return (int) EPOLL_CTL.invokeExact(state(), epfd, op, fd, event);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public int epoll_wait(int epfd, long events, int maxevents, int timeout) {
        try {
            return (int) EPOLL_WAIT.invokeExact(state(), epfd, events, maxevents, timeout);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public int eventfd(int initval, int flags) {
        try {
            return (int) EVENTFD.invokeExact(state(), initval, flags);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public long recvBufferBlocking(int fd, ByteBuffer direct, long len, int flags) {
        try {
            return (long) BlockingSegmentCalls.RECV.invokeExact(state(), fd, MemorySegment.ofBuffer(direct), len,
                    flags);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public long sendBufferBlocking(int fd, ByteBuffer direct, long len, int flags) {
        try {
            return (long) BlockingSegmentCalls.SEND.invokeExact(state(), fd, MemorySegment.ofBuffer(direct), len,
                    flags);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public boolean threadSignals() {
        return ThreadSignals.OK;
    }

    @Override
    public int gettid() {
        try {
            return (int) ThreadSignals.GETTID.invokeExact();
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public int tgkill(int tgid, int tid, int sig) {
        try {
            return (int) ThreadSignals.TGKILL.invokeExact(tgid, tid, sig);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public long signalHandler(int sig) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment old = a.allocate(ThreadSignals.SIGACTION_ROOM, 16);
            if ((int) ThreadSignals.SIGACTION.invokeExact(sig, 0L, old.address()) != 0) {
                return -1;
            }
            return old.get(JAVA_LONG, 0); // glibc's struct sigaction starts with the handler (LinuxConstants)
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public boolean bufferCalls() {
        return SegmentCalls.OK;
    }

    @Override
    public long recvBuffer(int fd, ByteBuffer buffer, long len, int flags) {
        try {
            return (long) SegmentCalls.RECV.invokeExact(state(), fd, MemorySegment.ofBuffer(buffer), len, flags);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public long sendBuffer(int fd, ByteBuffer buffer, long len, int flags) {
        try {
            return (long) SegmentCalls.SEND.invokeExact(state(), fd, MemorySegment.ofBuffer(buffer), len, flags);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }
}
