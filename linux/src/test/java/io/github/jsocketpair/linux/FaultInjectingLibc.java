package io.github.jsocketpair.linux;

import com.sun.jna.Pointer;
import io.github.jsocketpair.internal.NativeConstants;
import io.github.jsocketpair.linux.jna.LinuxLibc;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The real libc with faults injected the way the kernel produces them, so the shared logic meets them with real data
 * flowing underneath:
 * <ul>
 * <li>{@code EINTR} before any byte moves, on the calls a signal can interrupt (the transfer calls and
 * {@code poll(2)}, which fails with EINTR on any handled signal whatever {@code SA_RESTART} says: signal(7));</li>
 * <li>{@code EINTR} from {@code close(2)} <em>after</em> the descriptor was released, as Linux does (close(2):
 * "the file descriptor is guaranteed to be closed" even then), so a retry would close a number that is no longer
 * ours;</li>
 * <li>short transfers on stream sockets (what a signal arriving mid-transfer gives), never on record sockets;</li>
 * <li>one-shot errors queued per call ({@code ENOBUFS}, {@code ENFILE}, ...).</li>
 * </ul>
 * It also keeps the books on descriptors: every number the library closes must be one this process opened and has not
 * closed since, else a double close (or a close of someone else's number) is recorded as a violation.
 */
final class FaultInjectingLibc implements LinuxLibc {
    /** The calls faults can be injected into. */
    enum Call {
        SOCKETPAIR, CLOSE, READ, WRITE, READV, WRITEV, SEND, RECV, SENDMSG, RECVMSG, POLL
    }

    /** At most this many injected EINTRs in a row on one thread, so every call makes progress. */
    private static final int MAX_IN_A_ROW = 4;

    private final LinuxLibc real;
    private final NativeConstants c;
    private final ThreadLocal<int[]> state = ThreadLocal.withInitial(() -> new int[2]); // [injected errno, streak]
    private final ThreadLocal<ByteBuffer> optBuf = ThreadLocal.withInitial(
            () -> ByteBuffer.allocateDirect(16).order(ByteOrder.nativeOrder()));
    private final Map<Call, AtomicLong> eintrs = new EnumMap<>(Call.class);
    private final Map<Call, AtomicLong> shortened = new EnumMap<>(Call.class);
    private final Map<Call, Queue<Integer>> oneShot = new EnumMap<>(Call.class);
    private final Set<Integer> open = ConcurrentHashMap.newKeySet();
    private final List<String> violations = Collections.synchronizedList(new ArrayList<>());
    private final AtomicLong closes = new AtomicLong();
    private volatile double eintrRate;
    private volatile Set<Call> eintrCalls = Set.of();
    private volatile boolean shortStreams;

    FaultInjectingLibc(LinuxLibc real, NativeConstants constants) {
        this.real = real;
        this.c = constants;
        for (Call k : Call.values()) {
            eintrs.put(k, new AtomicLong());
            shortened.put(k, new AtomicLong());
            oneShot.put(k, new ConcurrentLinkedQueue<>());
        }
    }

    /** Injects EINTR into {@code rate} of the given calls (0 turns it off). */
    void eintr(double rate, Set<Call> calls) {
        this.eintrCalls = calls;
        this.eintrRate = rate;
    }

    /** Shortens stream transfers at random, as a signal arriving mid-transfer does. */
    void shortStreams(boolean on) {
        this.shortStreams = on;
    }

    /** Makes the next {@code call} fail with {@code errno} without reaching the kernel. */
    void failNext(Call call, int errno) {
        oneShot.get(call).add(errno);
    }

    long eintrs(Call call) {
        return eintrs.get(call).get();
    }

    long shortened(Call call) {
        return shortened.get(call).get();
    }

    long closes() {
        return closes.get();
    }

    List<String> violations() {
        synchronized (violations) {
            return List.copyOf(violations);
        }
    }

    /** Numbers opened through this libc and not closed yet. */
    Set<Integer> openNumbers() {
        return Set.copyOf(open);
    }

    // ---- injection ----------------------------------------------------------------------------------------------

    /** Starts a call: clears the injected errno; returns the errno to fail with, or 0 to go to the kernel. */
    private int fault(Call call, boolean interruptible) {
        int[] s = state.get();
        s[0] = 0;
        Integer queued = oneShot.get(call).poll();
        if (queued != null) {
            if (queued == c.EINTR) {
                eintrs.get(call).incrementAndGet();
            }
            s[0] = queued;
            return queued;
        }
        if (interruptible && eintrRate > 0 && eintrCalls.contains(call) && s[1] < MAX_IN_A_ROW
                && ThreadLocalRandom.current().nextDouble() < eintrRate) {
            s[1]++;
            eintrs.get(call).incrementAndGet();
            s[0] = c.EINTR;
            return c.EINTR;
        }
        s[1] = 0;
        return 0;
    }

    private boolean isStream(int fd) {
        ByteBuffer b = optBuf.get();
        long a = real.address(b);
        b.putInt(0, 0);
        b.putInt(8, 4);
        return real.getsockopt(fd, c.SOL_SOCKET, c.SO_TYPE, a, a + 8) == 0 && b.getInt(0) == c.SOCK_STREAM;
    }

    /** A random shorter length for a stream transfer, or {@code len}. */
    private long shorten(Call call, int fd, long len) {
        if (!shortStreams || len < 2 || !ThreadLocalRandom.current().nextBoolean() || !isStream(fd)) {
            return len;
        }
        shortened.get(call).incrementAndGet();
        return 1 + ThreadLocalRandom.current().nextLong(len - 1);
    }

    // ---- Libc ---------------------------------------------------------------------------------------------------

    @Override
    public int socketpair(int domain, int type, int protocol, long sv) {
        if (fault(Call.SOCKETPAIR, true) != 0) {
            return -1;
        }
        int r = real.socketpair(domain, type, protocol, sv);
        if (r == 0) {
            Pointer p = new Pointer(sv); // int sv[2] in the library's scratch memory
            open.add(p.getInt(0));
            open.add(p.getInt(4));
        }
        return r;
    }

    @Override
    public int close(int fd) {
        closes.incrementAndGet();
        if (!open.remove(fd)) {
            violations.add("close(" + fd + "): not a number this libc opened, or closed twice");
        }
        int injected = fault(Call.CLOSE, true);
        int r = real.close(fd);
        if (r != 0) {
            violations.add("close(" + fd + ") failed in the kernel: errno " + real.errno());
            return r;
        }
        if (injected != 0) {
            // Linux: the number is released even when close reports EINTR; a retry would hit a reused number.
            state.get()[0] = injected;
            return -1;
        }
        return 0;
    }

    @Override
    public long read(int fd, long buf, long count) {
        return fault(Call.READ, true) != 0 ? -1 : real.read(fd, buf, shorten(Call.READ, fd, count));
    }

    @Override
    public long write(int fd, long buf, long count) {
        return fault(Call.WRITE, true) != 0 ? -1 : real.write(fd, buf, shorten(Call.WRITE, fd, count));
    }

    @Override
    public long readv(int fd, long iov, int iovcnt) {
        return fault(Call.READV, true) != 0 ? -1 : real.readv(fd, iov, iovcnt);
    }

    @Override
    public long writev(int fd, long iov, int iovcnt) {
        return fault(Call.WRITEV, true) != 0 ? -1 : real.writev(fd, iov, iovcnt);
    }

    @Override
    public long send(int fd, long buf, long len, int flags) {
        return fault(Call.SEND, true) != 0 ? -1 : real.send(fd, buf, shorten(Call.SEND, fd, len), flags);
    }

    @Override
    public long recv(int fd, long buf, long len, int flags) {
        return fault(Call.RECV, true) != 0 ? -1 : real.recv(fd, buf, shorten(Call.RECV, fd, len), flags);
    }

    @Override
    public long sendmsg(int fd, long msg, int flags) {
        return fault(Call.SENDMSG, true) != 0 ? -1 : real.sendmsg(fd, msg, flags);
    }

    @Override
    public long recvmsg(int fd, long msg, int flags) {
        return fault(Call.RECVMSG, true) != 0 ? -1 : real.recvmsg(fd, msg, flags);
    }

    @Override
    public int poll(long fds, int nfds, int timeout) {
        return fault(Call.POLL, true) != 0 ? -1 : real.poll(fds, nfds, timeout);
    }

    @Override
    public int fcntl(int fd, int cmd, int arg) {
        state.get()[0] = 0; // fcntl on sockets never fails with EINTR (only the lock commands can)
        int r = real.fcntl(fd, cmd, arg);
        if (cmd == c.F_DUPFD_CLOEXEC && r >= 0) {
            open.add(r);
        }
        return r;
    }

    @Override
    public int shutdown(int fd, int how) {
        state.get()[0] = 0;
        return real.shutdown(fd, how);
    }

    @Override
    public int getsockopt(int fd, int level, int optname, long optval, long optlen) {
        state.get()[0] = 0;
        return real.getsockopt(fd, level, optname, optval, optlen);
    }

    @Override
    public int setsockopt(int fd, int level, int optname, long optval, int optlen) {
        state.get()[0] = 0;
        return real.setsockopt(fd, level, optname, optval, optlen);
    }

    @Override
    public int epoll_create1(int flags) {
        return real.epoll_create1(flags);
    }

    @Override
    public int epoll_ctl(int epfd, int op, int fd, long event) {
        return real.epoll_ctl(epfd, op, fd, event);
    }

    @Override
    public int epoll_wait(int epfd, long events, int maxevents, int timeout) {
        return real.epoll_wait(epfd, events, maxevents, timeout);
    }

    @Override
    public int eventfd(int initval, int flags) {
        return real.eventfd(initval, flags);
    }

    @Override
    public int errno() {
        int injected = state.get()[0];
        return injected != 0 ? injected : real.errno();
    }

    @Override
    public long address(ByteBuffer direct) {
        return real.address(direct);
    }
}
