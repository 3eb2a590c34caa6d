package io.github.jsocketpair.internal;

import io.github.jsocketpair.BackendInfo;
import io.github.jsocketpair.Descriptor;
import io.github.jsocketpair.Domain;
import io.github.jsocketpair.Endpoint;
import io.github.jsocketpair.Errno;
import io.github.jsocketpair.PeerCredentials;
import io.github.jsocketpair.SocketFlag;
import io.github.jsocketpair.SocketPairException;
import io.github.jsocketpair.SocketType;
import io.github.jsocketpair.internal.spawn.SpawnLibc;
import io.github.jsocketpair.internal.spawn.Spawner;
import io.github.jsocketpair.spi.Backend;
import io.github.jsocketpair.spi.EndpointPair;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The POSIX logic every backend shares: creating pairs (atomic flag bits where the platform has them, {@code fcntl}
 * after creation where it does not, cleanup of both descriptors on any failure), errno translation, {@code EINTR}
 * retries, descriptors. A backend supplies its {@link Libc} binding, its {@link NativeConstants}, its
 * {@link BackendInfo} and the few things that genuinely differ per OS (peer credentials, refusals with OS-specific
 * explanations).
 */
public abstract class PosixBackend implements Backend {
    protected final Libc libc;
    protected final NativeConstants c;
    private final BackendInfo info;
    private final ScratchPool pool;
    private final WakeupPool wakeups = new WakeupPool(this);
    private volatile Pollers pollers;
    private final ReentrantLock pollersLock = new ReentrantLock();
    private final AtomicInteger pollerSlots = new AtomicInteger();
    /** Blocking in the call for platform threads, or null where a blocked call could not be woken; probed once. */
    private volatile Object kernelWaits;
    private static final Object NO_KERNEL_WAITS = new Object();

    protected PosixBackend(Libc libc, NativeConstants constants, BackendInfo info) {
        this.libc = libc;
        this.c = constants.freeze();
        this.info = info;
        this.pool = new ScratchPool(libc, c);
    }

    @Override
    public final BackendInfo info() {
        return info;
    }

    /** The platform's numbers, for the endpoint logic. */
    final NativeConstants constants() {
        return c;
    }

    final Libc libc() {
        return libc;
    }

    /** The native memory calls borrow for their length. */
    final ScratchPool pool() {
        return pool;
    }

    /**
     * A new endpoint's poller slot, round robin; a pair's two ends share one, so that a ping-pong between them is
     * drained by one poller and its wake-ups stay on one carrier (two pollers would hand every message over between
     * carriers).
     */
    private int nextPollerSlot() {
        return pollerSlots.getAndIncrement();
    }

    /**
     * The poller the virtual threads of {@code slot} park on; the pollers start at the first such wait. The threads
     * that come meanwhile wait on a {@link ReentrantLock}, not a monitor: the JVM hands a virtual thread blocked on a
     * monitor back to the scheduler's external queue, which carriers busy with the pollers' own work may not look at
     * for as long as the load lasts (seen: half the pairs of a 100-pair echo never ran); the lock's owner unparks its
     * successor from a carrier instead.
     */
    final Poller poller(int slot) throws IOException {
        Pollers p = pollers;
        if (p == null) {
            pollersLock.lock();
            try {
                p = pollers;
                if (p == null) {
                    p = pollers = Pollers.start(this::readiness, pool, "jsocketpair-poller-" + info.name());
                }
            } finally {
                pollersLock.unlock();
            }
        }
        return p.of(slot);
    }

    /** The wake-up descriptors platform threads borrow for a wait. */
    final WakeupPool wakeups() {
        return wakeups;
    }

    /**
     * How platform threads block in the call itself ({@link KernelWaits}), or null where they wait in
     * {@code poll(2)}; probed on first use (the probe initialises the JDK's {@code NativeThread}).
     */
    final KernelWaits kernelWaits() {
        Object k = kernelWaits;
        if (k == null) {
            KernelWaits.Verdict[] verdict = new KernelWaits.Verdict[1];
            KernelWaits probed = KernelWaits.probe(libc, constants(), verdict);
            if (verdict[0] == KernelWaits.Verdict.UNKNOWN) {
                return null; // the proof could not run now (no descriptor to spare): poll(2) this time, ask again later
            }
            k = probed != null ? probed : NO_KERNEL_WAITS;
            kernelWaits = k;
        }
        return k instanceof KernelWaits w ? w : null;
    }

    /** How many virtual threads are parked on this backend's poller now (0 before it started); for tests. */
    public final int pollerWaiters() {
        Pollers p = pollers;
        return p == null ? 0 : p.waiters();
    }
    // ---- hooks --------------------------------------------------------------------------------------------------

    /**
     * Refuses, before any native call, what this platform cannot do, with the errno its kernel would give and a
     * message naming where the feature exists; {@code null} to go ahead. The default refuses a domain or type the
     * constants lack and flags with no bit and no fallback ({@code CLOFORK} without {@code SOCK_CLOFORK}).
     */
    protected SocketPairException refuse(Domain domain, SocketType type, int protocol, Set<SocketFlag> flags) {
        if (nativeDomain(domain) == NativeConstants.ABSENT) {
            return refusal(Errno.EAFNOSUPPORT, domain, type, protocol, flags,
                    domain + " is not available on " + info.os() + "; it exists on Linux only");
        }
        if (nativeType(type) == NativeConstants.ABSENT) {
            return refusal(Errno.ESOCKTNOSUPPORT, domain, type, protocol, flags,
                    type + " pairs are not available on " + info.os());
        }
        if (flags.contains(SocketFlag.CLOFORK) && c.SOCK_CLOFORK == 0) {
            return refusal(Errno.EINVAL, domain, type, protocol, flags, "SocketFlag.CLOFORK is not available on "
                    + info.os() + ": SOCK_CLOFORK exists on FreeBSD 15+, NetBSD 11+, OpenBSD 7.8+ and DragonFly 6.5+");
        }
        return null;
    }

    /**
     * Checks one end of a pair {@code socketpair} just created with {@code flags}, before any other step; an
     * exception closes both ends and leaves {@code open}. The default checks nothing; the BSD backend checks that a
     * kernel which may drop an unknown type bit gave the end close-on-fork.
     *
     * @param fd one end
     * @param flags what was asked for
     * @throws IOException to refuse the pair
     */
    protected void checkCreated(int fd, Set<SocketFlag> flags) throws IOException {
    }

    /** Adds an explanation to a failed {@code socketpair}, e.g. that the {@code tipc} module is not loaded. */
    protected String explainOpenFailure(Domain domain, SocketType type, Errno errno) {
        return null;
    }

    /** Reads the peer's credentials; the struct and option differ per OS. */
    protected abstract PeerCredentials peerCredentials(int fd, SocketType type) throws IOException;

    /**
     * Decodes the credentials control message ({@link NativeConstants#scmCredentials()}) whose {@code length} data
     * bytes start at {@code at} in {@code control}; the struct differs per OS. The default, for a platform with no
     * such message, returns {@code null}.
     *
     * @param control the control buffer, in native byte order
     * @param at where the message's data starts
     * @param length how many data bytes it has
     * @return the sender's credentials, or {@code null} if the bytes do not hold them
     */
    protected PeerCredentials messageCredentials(ByteBuffer control, int at, int length) {
        return null;
    }

    /**
     * Returns how many data bytes the credentials control message takes at most, so that a receive that refuses
     * descriptors still has room for it; 0 (the default) where the platform has none.
     *
     * @return the size in bytes
     */
    protected int messageCredentialsSize() {
        return 0;
    }

    /**
     * Returns the binding {@link Spawner} uses to start child processes, or {@code null} (the default) if this
     * backend cannot start them; {@link io.github.jsocketpair.ChildProcess} then throws
     * {@link UnsupportedOperationException}. Called once, on first use; may load native code.
     */
    protected SpawnLibc spawnLibc() {
        return null;
    }

    /**
     * Opens a kernel readiness queue for the {@link Poller} ({@code epoll}, {@code kqueue}); called at the first
     * virtual thread that has to wait, once for the poller and, where it runs on the carriers, once more for its
     * master.
     *
     * @throws IOException if the kernel refuses
     */
    protected abstract Readiness readiness() throws IOException;

    /**
     * A readiness queue over plain {@code poll(2)} and a wake-up socket pair, for a backend that has no binding for
     * its kernel's own queue.
     *
     * @throws IOException if the wake-up pair cannot be opened
     */
    protected final Readiness pollReadiness() throws IOException {
        return new PollReadiness(this);
    }

    /**
     * Opens a platform thread's wake-up descriptor: {@code {readFd, writeFd}}, both non-blocking and close-on-exec.
     * The default is a UNIX stream socket pair; a backend with something lighter ({@code eventfd}) overrides it and
     * returns one number twice.
     *
     * @throws IOException if the kernel refuses
     */
    protected int[] openWakeup() throws IOException {
        int type = c.SOCK_STREAM | c.SOCK_NONBLOCK | c.SOCK_CLOEXEC | c.SOCK_NOSIGPIPE;
        int[] sv = socketpair(c.AF_UNIX, type, 0, () -> "wake-up pair", null, null);
        try {
            for (int fd : sv) {
                if (c.SOCK_NONBLOCK == 0) {
                    fcntl(fd, c.F_SETFL, fcntl(fd, c.F_GETFL, 0) | c.O_NONBLOCK);
                }
                if (c.SOCK_CLOEXEC == 0) {
                    fcntl(fd, c.F_SETFD, fcntl(fd, c.F_GETFD, 0) | c.FD_CLOEXEC);
                }
                if (c.SO_NOSIGPIPE != NativeConstants.ABSENT) {
                    setIntOption(fd, c.SOL_SOCKET, c.SO_NOSIGPIPE, 1, "SO_NOSIGPIPE");
                }
            }
        } catch (IOException | RuntimeException e) {
            closeBoth(sv, e);
            throw e;
        }
        return sv;
    }

    private volatile Spawner spawner;

    /** Returns the spawner over {@link #spawnLibc()}, created on first use, or {@code null} if there is none. */
    public final Spawner spawner() {
        Spawner s = spawner;
        if (s == null) {
            synchronized (this) {
                s = spawner;
                if (s == null) {
                    SpawnLibc l = spawnLibc();
                    if (l == null) {
                        return null;
                    }
                    s = spawner = new Spawner(c, l);
                }
            }
        }
        return s;
    }

    /**
     * Opens and closes a UNIX stream pair, so that a broken JNA or libc fails at selection, not at first use (Netty's
     * Epoll probe does the same).
     *
     * @return this backend
     * @throws UnsupportedOperationException with the cause if the probe fails
     */
    public final PosixBackend probe() {
        try {
            EndpointPair p = open(Domain.UNIX, SocketType.STREAM, 0, EnumSet.of(SocketFlag.CLOEXEC));
            try {
                p.first().close();
            } finally {
                p.second().close();
            }
            return this;
        } catch (IOException | RuntimeException | LinkageError e) {
            throw new UnsupportedOperationException(info.name() + ": probe socketpair(AF_UNIX, SOCK_STREAM) failed: "
                    + e, e);
        }
    }

    // ---- Backend ------------------------------------------------------------------------------------------------

    @Override
    public EndpointPair open(Domain domain, SocketType type, int protocol, Set<SocketFlag> flags) throws IOException {
        SocketPairException refused = refuse(domain, type, protocol, flags);
        if (refused != null) {
            throw refused;
        }
        int nativeType = nativeType(type);
        boolean nonBlocking = flags.contains(SocketFlag.NONBLOCK);
        boolean cloexec = flags.contains(SocketFlag.CLOEXEC);
        if (nonBlocking) {
            nativeType |= c.SOCK_NONBLOCK;
        }
        if (cloexec) {
            nativeType |= c.SOCK_CLOEXEC;
        }
        if (flags.contains(SocketFlag.CLOFORK)) {
            nativeType |= c.SOCK_CLOFORK;
        }
        // No SIGPIPE ever: where the type takes a bit for it (NetBSD), set it on every pair.
        nativeType |= c.SOCK_NOSIGPIPE;
        int[] sv = socketpair(nativeDomain(domain), nativeType, protocol, () -> describe(domain, type, protocol,
                flags), domain, type);
        try {
            for (int fd : sv) {
                checkCreated(fd, flags);
                if (nonBlocking && c.SOCK_NONBLOCK == 0) {
                    int fl = fcntl(fd, c.F_GETFL, 0);
                    fcntl(fd, c.F_SETFL, fl | c.O_NONBLOCK);
                }
                if (cloexec && c.SOCK_CLOEXEC == 0) {
                    fcntl(fd, c.F_SETFD, fcntl(fd, c.F_GETFD, 0) | c.FD_CLOEXEC);
                }
                if (c.SO_NOSIGPIPE != NativeConstants.ABSENT) {
                    setIntOption(fd, c.SOL_SOCKET, c.SO_NOSIGPIPE, 1, "SO_NOSIGPIPE");
                }
            }
        } catch (IOException | RuntimeException e) {
            closeBoth(sv, e);
            throw e;
        }
        boolean cloFork = flags.contains(SocketFlag.CLOFORK);
        int slot = nextPollerSlot();
        return new EndpointPair(new NativeEndpoint(this, sv[0], domain, type, nonBlocking, cloFork, slot),
                new NativeEndpoint(this, sv[1], domain, type, nonBlocking, cloFork, slot));
    }

    @Override
    public EndpointPair openNative(int domain, int type, int protocol) throws IOException {
        int[] sv = socketpair(domain, type, protocol, () -> domain + ", " + type + ", " + protocol, null, null);
        try {
            int slot = nextPollerSlot();
            Endpoint a = adoptNumber(sv[0], domain, slot);
            Endpoint b = adoptNumber(sv[1], domain, slot);
            return new EndpointPair(a, b);
        } catch (IOException | RuntimeException e) {
            closeBoth(sv, e);
            throw e;
        }
    }

    @Override
    public Endpoint adopt(Descriptor descriptor) throws IOException {
        if (!descriptor.isOpen()) {
            throw new ClosedChannelException();
        }
        if (descriptor instanceof Owned owned) {
            // Read everything from the kernel while the caller still owns the descriptor, so that a failure (not a
            // socket) leaves it open and theirs; after detach nothing can fail.
            Adopted a;
            int use = Owned.hold(owned);
            try {
                a = inspect(use, NativeConstants.ABSENT);
            } finally {
                Owned.unhold(owned);
            }
            int fd = owned instanceof NativeEndpoint e ? e.detachNumber() : ((OwnedDescriptor) owned).detach();
            return new NativeEndpoint(this, fd, a.domain, a.type, a.nonBlocking, false, nextPollerSlot());
        }
        int original = descriptor.fd();
        if (original < 0) {
            throw new ClosedChannelException();
        }
        // Borrowed (or a caller's own Descriptor): check first, then duplicate, so a non-socket creates nothing.
        inspect(original, NativeConstants.ABSENT);
        int fd = duplicateNumber(original);
        try {
            return adoptNumber(fd, NativeConstants.ABSENT, nextPollerSlot());
        } catch (IOException | RuntimeException e) {
            closeQuietly(fd);
            throw e;
        }
    }

    @Override
    public Descriptor duplicate(int fd) throws IOException {
        return new OwnedDescriptor(this, duplicateNumber(fd));
    }

    private int duplicateNumber(int fd) throws IOException {
        return fcntl(fd, c.F_DUPFD_CLOEXEC, 0);
    }

    /** Wraps an open socket number, reading domain, type and mode from the kernel; closes nothing on failure. */
    private Endpoint adoptNumber(int fd, int domainHint, int pollerSlot) throws IOException {
        Adopted a = inspect(fd, domainHint);
        return new NativeEndpoint(this, fd, a.domain, a.type, a.nonBlocking, false, pollerSlot);
    }

    /** What {@link #inspect} read from the kernel about a socket. */
    private record Adopted(Domain domain, SocketType type, boolean nonBlocking) {
    }

    /**
     * Reads a socket's domain, type and mode (and sets {@code SO_NOSIGPIPE} where the OS has it); touches nothing
     * else. A descriptor that is not a socket gets an {@code ENOTSOCK} error that says so.
     */
    private Adopted inspect(int fd, int domainHint) throws IOException {
        int nativeType;
        try {
            nativeType = getIntOption(fd, c.SOL_SOCKET, c.SO_TYPE, "SO_TYPE");
        } catch (SocketPairException e) {
            if (e.errno() == Errno.ENOTSOCK) {
                throw new SocketPairException(e.call(), e.errno(), e.nativeErrno(), "fd=" + fd + ", SO_TYPE",
                        "descriptor " + fd + " is not a socket; only a socket can become an Endpoint");
            }
            throw e;
        }
        int nativeDomain = domainHint;
        if (c.SO_DOMAIN != NativeConstants.ABSENT) {
            nativeDomain = getIntOption(fd, c.SOL_SOCKET, c.SO_DOMAIN, "SO_DOMAIN");
        } else if (nativeDomain == NativeConstants.ABSENT) {
            nativeDomain = c.AF_UNIX; // the BSDs without SO_DOMAIN: socketpair and SCM_RIGHTS peers are local
        }
        if (c.SO_NOSIGPIPE != NativeConstants.ABSENT) {
            setIntOption(fd, c.SOL_SOCKET, c.SO_NOSIGPIPE, 1, "SO_NOSIGPIPE");
        }
        boolean nonBlocking = (fcntl(fd, c.F_GETFL, 0) & c.O_NONBLOCK) != 0;
        return new Adopted(domainOf(nativeDomain), typeOf(nativeType), nonBlocking);
    }

    // ---- portable <-> native ------------------------------------------------------------------------------------

    final int nativeDomain(Domain d) {
        return switch (d) {
            case UNIX -> c.AF_UNIX;
            case TIPC -> c.AF_TIPC;
        };
    }

    final int nativeType(SocketType t) {
        return switch (t) {
            case STREAM -> c.SOCK_STREAM;
            case DGRAM -> c.SOCK_DGRAM;
            case SEQPACKET -> c.SOCK_SEQPACKET;
        };
    }

    final Domain domainOf(int nativeDomain) {
        if (nativeDomain == c.AF_UNIX) {
            return Domain.UNIX;
        }
        if (c.AF_TIPC != NativeConstants.ABSENT && nativeDomain == c.AF_TIPC) {
            return Domain.TIPC;
        }
        return null;
    }

    final SocketType typeOf(int nativeType) {
        if (nativeType == c.SOCK_STREAM) {
            return SocketType.STREAM;
        }
        if (nativeType == c.SOCK_DGRAM) {
            return SocketType.DGRAM;
        }
        if (c.SOCK_SEQPACKET != NativeConstants.ABSENT && nativeType == c.SOCK_SEQPACKET) {
            return SocketType.SEQPACKET;
        }
        return null;
    }

    // ---- calls --------------------------------------------------------------------------------------------------

    private int[] socketpair(int domain, int type, int protocol, java.util.function.Supplier<String> detail,
            Domain portableDomain, SocketType portableType) throws SocketPairException {
        Scratch s = pool.take();
        try {
            long sv = s.areaAddress + s.pair;
            for (;;) {
                if (s.libc.socketpair(domain, type, protocol, sv) == 0) {
                    return new int[] {s.area.getInt(s.pair), s.area.getInt(s.pair + 4)};
                }
                int e = s.libc.errno();
                if (e != c.EINTR) {
                    Errno name = c.toErrno(e);
                    String why = portableDomain == null ? null
                            : explainOpenFailure(portableDomain, portableType, name);
                    throw new SocketPairException("socketpair", name, e, detail.get(), why);
                }
            }
        } finally {
            pool.give(s);
        }
    }

    /** {@code fcntl} with {@code EINTR} retried. */
    final int fcntl(int fd, int cmd, int arg) throws SocketPairException {
        for (;;) {
            int r = libc.fcntl(fd, cmd, arg);
            if (r != -1) {
                return r;
            }
            int e = libc.errno();
            if (e != c.EINTR) {
                throw error("fcntl", e, "fd=" + fd + ", cmd=" + cmd + ", " + arg);
            }
        }
    }

    final int getIntOption(int fd, int level, int name, String what) throws SocketPairException {
        Scratch s = pool.take();
        try {
            s.area.putInt(s.opt, 0);
            s.area.putInt(s.optlen, 4);
            if (s.libc.getsockopt(fd, level, name, s.areaAddress + s.opt, s.areaAddress + s.optlen) != 0) {
                throw error("getsockopt", s.libc.errno(), "fd=" + fd + ", " + what);
            }
            return s.area.getInt(s.opt);
        } finally {
            pool.give(s);
        }
    }

    final void setIntOption(int fd, int level, int name, int value, String what) throws SocketPairException {
        Scratch s = pool.take();
        try {
            s.area.putInt(s.opt, value);
            if (s.libc.setsockopt(fd, level, name, s.areaAddress + s.opt, 4) != 0) {
                throw error("setsockopt", s.libc.errno(), "fd=" + fd + ", " + what + ", " + value);
            }
        } finally {
            pool.give(s);
        }
    }

    /**
     * Reads a socket option struct into a fresh array; for peer credentials.
     *
     * @return the bytes the kernel wrote (its {@code optlen} on return)
     */
    protected final ByteBuffer getOption(int fd, int level, int name, int size, String what)
            throws SocketPairException {
        if (size > 128) {
            throw new IllegalArgumentException("option too large: " + size);
        }
        Scratch s = pool.take();
        try {
            for (int i = 0; i < size; i++) {
                s.area.put(s.opt + i, (byte) 0);
            }
            s.area.putInt(s.optlen, size);
            if (s.libc.getsockopt(fd, level, name, s.areaAddress + s.opt, s.areaAddress + s.optlen) != 0) {
                throw error("getsockopt", s.libc.errno(), "fd=" + fd + ", " + what);
            }
            int len = s.area.getInt(s.optlen);
            ByteBuffer out = ByteBuffer.allocate(len).order(java.nio.ByteOrder.nativeOrder());
            for (int i = 0; i < len; i++) {
                out.put(i, s.area.get(s.opt + i));
            }
            return out;
        } finally {
            pool.give(s);
        }
    }

    /** Closes a number at once, reporting an error; {@code EINTR} is not an error (the number is gone, close(2)). */
    final void closeChecked(int fd) throws SocketPairException {
        if (libc.close(fd) != 0) {
            int e = libc.errno();
            if (e != c.EINTR) {
                throw error("close", e, "fd=" + fd);
            }
        }
    }

    /** Closes a number, ignoring errors; never retried, as close(2) demands. */
    final void closeQuietly(int fd) {
        libc.close(fd);
    }

    private void closeBoth(int[] sv, Throwable cause) {
        for (int fd : sv) {
            try {
                closeChecked(fd);
            } catch (SocketPairException e) {
                cause.addSuppressed(e);
            }
        }
    }

    /** Translates a native errno into the exception the API throws. */
    final SocketPairException error(String call, int nativeErrno, String detail) {
        return new SocketPairException(call, c.toErrno(nativeErrno), nativeErrno, detail);
    }

    /** An exception for a request refused before any native call, with the errno the kernel would give. */
    protected final SocketPairException refusal(Errno errno, Domain domain, SocketType type, int protocol,
            Set<SocketFlag> flags, String reason) {
        return new SocketPairException("socketpair", errno, c.nativeErrno(errno), describe(domain, type, protocol,
                flags), reason);
    }

    private static String describe(Domain domain, SocketType type, int protocol, Set<SocketFlag> flags) {
        return domain + ", " + type + ", " + protocol + ", " + flags;
    }
}
