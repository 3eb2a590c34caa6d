package io.github.jsocketpair.bsd;

import io.github.jsocketpair.BackendInfo;
import io.github.jsocketpair.Capabilities;
import io.github.jsocketpair.Domain;
import io.github.jsocketpair.Errno;
import io.github.jsocketpair.PeerCredentials;
import io.github.jsocketpair.SocketFlag;
import io.github.jsocketpair.SocketPairException;
import io.github.jsocketpair.SocketType;
import io.github.jsocketpair.bsd.jna.BsdLibc;
import io.github.jsocketpair.bsd.jna.KeventLayout;
import io.github.jsocketpair.internal.NativeConstants;
import io.github.jsocketpair.internal.PosixBackend;
import io.github.jsocketpair.internal.Readiness;
import io.github.jsocketpair.internal.spawn.SpawnLibc;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.EnumSet;
import java.util.OptionalLong;
import java.util.Set;

/**
 * What the five BSD flavours share on top of core's POSIX logic: the refusal of {@code CLOFORK} where the running
 * release lacks it (or its value is not verified, or the kernel did not prove it: {@link CloforkProof}), the check
 * that a proven {@code SOCK_CLOFORK} really gave each new pair close-on-fork, the capabilities derived from the
 * constants table, and the helpers their peer-credential options need. Each flavour's subclass keeps only what
 * differs: its constants, its credential option and struct, and the explanations.
 */
public abstract class BsdBackend extends PosixBackend {
    /** The running system. */
    protected final BsdPlatform platform;
    /** The binding, with {@code getpeereid}. */
    protected final BsdLibc bsdLibc;
    /** The close-on-fork proof made at creation; {@code null} where none applies (the value is verified or absent). */
    private final CloforkProof.Outcome cloforkProof;

    BsdBackend(BsdLibc libc, BsdPlatform platform, NativeConstants constants, Capabilities capabilities,
            String detail) {
        this(libc, platform, constants, capabilities, detail, null);
    }

    BsdBackend(BsdLibc libc, BsdPlatform platform, NativeConstants constants, Capabilities capabilities,
            String detail, CloforkProof.Outcome cloforkProof) {
        super(libc, constants, new BackendInfo(platform.flavour().backendName(), platform.describe(),
                platform.arch().label(), detail, "", capabilities));
        this.platform = platform;
        this.bsdLibc = libc;
        this.cloforkProof = cloforkProof;
    }

    /**
     * Runs {@link CloforkProof} with {@code candidate} and, if the kernel proves the numbers, writes
     * {@code SOCK_CLOFORK} and {@code MSG_CMSG_CLOFORK} into the (not yet frozen) table {@code c}; otherwise leaves
     * them 0, so {@code CLOFORK} is refused and not listed in the capabilities.
     *
     * @return the outcome, or {@code null} if {@code candidate} is {@code null} (no proof for this release)
     */
    static CloforkProof.Outcome proveClofork(BsdLibc libc, NativeConstants c, CloforkProof.Candidate candidate) {
        if (candidate == null) {
            return null;
        }
        CloforkProof.Outcome o = CloforkProof.run(libc, c, candidate);
        if (o.proven()) {
            c.SOCK_CLOFORK = candidate.sockClofork();
            c.msgCmsgClofork(candidate.msgCmsgClofork());
        }
        return o;
    }

    /** For {@code BackendInfo.detail()}: what the close-on-fork proof found, empty where none was made. */
    static String cloforkDetail(CloforkProof.Outcome o) {
        if (o == null) {
            return "";
        }
        return o.proven() ? "SOCK_CLOFORK 0x" + Integer.toHexString(o.candidate().sockClofork())
                + " proven at run time" : "CLOFORK refused, not proven at run time: " + o.failure();
    }

    /** The close-on-fork proof made when this backend was created, if one applied; for diagnostics and tests. */
    final java.util.Optional<CloforkProof.Outcome> cloforkProof() {
        return java.util.Optional.ofNullable(cloforkProof);
    }

    /**
     * Creates the backend for {@code platform} over a binding; the test seam (unit tests pass a mock).
     *
     * @param libc the binding
     * @param platform the system it runs on
     * @return the flavour's backend
     */
    public static BsdBackend create(BsdLibc libc, BsdPlatform platform) {
        return switch (platform.flavour()) {
            case FREEBSD -> new FreeBsdBackend(libc, platform);
            case NETBSD -> new NetBsdBackend(libc, platform);
            case OPENBSD -> new OpenBsdBackend(libc, platform);
            case DRAGONFLY -> new DragonFlyBackend(libc, platform);
            case MACOS -> new MacOsBackend(libc, platform);
        };
    }

    /** Binds posix_spawn on first use of {@link io.github.jsocketpair.ChildProcess}, not at backend selection. */
    @Override
    protected SpawnLibc spawnLibc() {
        return bsdLibc.spawnLibc(platform.flavour());
    }

    /** The system this backend runs on. */
    public final BsdPlatform platform() {
        return platform;
    }

    /** The frozen constants table in use (for diagnostics and tests). */
    final NativeConstants table() {
        return c;
    }

    /** "libc through JNA direct mapping, FreeBSD constants, 64-bit" and what differs. */
    static String detail(BsdPlatform p, String extra) {
        return "libc through JNA direct mapping" + (extra.isEmpty() ? "" : " (" + extra + ")") + ", "
                + p.flavour().label() + " " + p.arch().label() + " constants";
    }

    /**
     * Capabilities read off a constants table: flag bits present are atomic; {@code NOSIGPIPE} is atomic where a
     * type bit or {@code MSG_NOSIGNAL} on every send gives it from the first byte.
     */
    static Capabilities capabilities(NativeConstants c, Set<SocketType> types, boolean peerCredentials,
            boolean peerPid) {
        Set<SocketFlag> flags = EnumSet.of(SocketFlag.NONBLOCK, SocketFlag.CLOEXEC, SocketFlag.NOSIGPIPE);
        Set<SocketFlag> atomic = EnumSet.noneOf(SocketFlag.class);
        if (c.SOCK_NONBLOCK != 0) {
            atomic.add(SocketFlag.NONBLOCK);
        }
        if (c.SOCK_CLOEXEC != 0) {
            atomic.add(SocketFlag.CLOEXEC);
        }
        if (c.SOCK_CLOFORK != 0) {
            flags.add(SocketFlag.CLOFORK);
            atomic.add(SocketFlag.CLOFORK);
        }
        if (c.SOCK_NOSIGPIPE != 0 || c.MSG_NOSIGNAL != 0) {
            atomic.add(SocketFlag.NOSIGPIPE);
        }
        return new Capabilities(EnumSet.of(Domain.UNIX), types, flags, atomic, c.maxFdsPerMessage > 0,
                c.maxFdsPerMessage, peerCredentials, peerPid);
    }

    // ---- refusals -----------------------------------------------------------------------------------------------

    @Override
    protected SocketPairException refuse(Domain domain, SocketType type, int protocol, Set<SocketFlag> flags) {
        if (domain == Domain.UNIX) {
            SocketPairException r = refuseType(domain, type, protocol, flags);
            if (r != null) {
                return r;
            }
            if (flags.contains(SocketFlag.CLOFORK) && c.SOCK_CLOFORK == 0) {
                return cloforkProof != null ? unprovenClofork(domain, type, protocol, flags)
                        : refuseClofork(domain, type, protocol, flags);
            }
        }
        return super.refuse(domain, type, protocol, flags);
    }

    /** EINVAL where the kernel did not prove the close-on-fork numbers, naming the release and the failed step. */
    private SocketPairException unprovenClofork(Domain domain, SocketType type, int protocol, Set<SocketFlag> flags) {
        CloforkProof.Candidate k = cloforkProof.candidate();
        return refusal(Errno.EINVAL, domain, type, protocol, flags, "SocketFlag.CLOFORK is not available on "
                + platform.describe() + ": the kernel did not prove the close-on-fork numbers (SOCK_CLOFORK 0x"
                + Integer.toHexString(k.sockClofork()) + ", FD_CLOFORK 0x" + Integer.toHexString(k.fdClofork())
                + ", " + k.source() + ") when the backend was created: " + cloforkProof.failure());
    }

    /**
     * On a release whose {@code SOCK_CLOFORK} was proven at run time, checks that this end has {@code FD_CLOFORK}
     * (one {@code F_GETFD}): NetBSD before 11 drops unknown type bits silently, so a kernel that changed under the
     * proof, or one that ignores the bit for some socket type, must not hand out a pair without it.
     */
    @Override
    protected void checkCreated(int fd, Set<SocketFlag> flags) throws IOException {
        if (cloforkProof == null || !flags.contains(SocketFlag.CLOFORK)) {
            return;
        }
        int fdClofork = cloforkProof.candidate().fdClofork();
        int got = bsdLibc.fcntl(fd, c.F_GETFD, 0);
        if (got == -1) {
            int e = bsdLibc.errno();
            throw new SocketPairException("fcntl", c.toErrno(e), e, "fd=" + fd + ", F_GETFD");
        }
        if ((got & fdClofork) == 0) {
            throw new SocketPairException("socketpair", Errno.EINVAL, c.nativeErrno(Errno.EINVAL), "fd=" + fd
                    + ", F_GETFD 0x" + Integer.toHexString(got), "the kernel of " + platform.describe()
                    + " returned a descriptor without close-on-fork (FD_CLOFORK 0x" + Integer.toHexString(fdClofork)
                    + ") for SOCK_CLOFORK, which it had proven when the backend was created; both ends are closed");
        }
    }

    /** Refuses a socket type this flavour has no local-domain protocol for; none by default. */
    SocketPairException refuseType(Domain domain, SocketType type, int protocol, Set<SocketFlag> flags) {
        return null;
    }

    /**
     * Refuses {@code CLOFORK} on a release without {@code SOCK_CLOFORK}, or whose value was not verified, with the
     * errno that release's kernel gives for the unknown bit and a message naming the release that has it.
     */
    abstract SocketPairException refuseClofork(Domain domain, SocketType type, int protocol, Set<SocketFlag> flags);

    /**
     * The refusal where a release has {@code SOCK_CLOFORK} but its number was never read in that release's header:
     * EINVAL, what the kernel gives for a type bit it does not know, and the message says this is the library's
     * limit, not the system's.
     */
    final SocketPairException unverifiedClofork(Domain domain, SocketType type, int protocol, Set<SocketFlag> flags,
            String release) {
        return refusal(Errno.EINVAL, domain, type, protocol, flags, "SocketFlag.CLOFORK is not available on "
                + platform.describe() + ": " + release + " has SOCK_CLOFORK, but its value has not been verified "
                + "against that release's <sys/socket.h>, and jsocketpair does not guess it; SOCK_CLOFORK is "
                + "verified on OpenBSD 7.8 and later");
    }

    // ---- peer credentials ---------------------------------------------------------------------------------------

    /** Reads a credential option; if the kernel does not know the option, falls back to {@code getpeereid(3)}. */
    final PeerCredentials withPeereidFallback(int fd, CredentialReader reader) throws IOException {
        try {
            return reader.read();
        } catch (SocketPairException e) {
            if (e.errno() == Errno.ENOPROTOOPT) {
                return peereid(fd);
            }
            throw e;
        }
    }

    /** Reads a struct credential option. */
    @FunctionalInterface
    interface CredentialReader {
        PeerCredentials read() throws IOException;
    }

    /** {@code getpeereid(3)}: effective uid and gid of the peer, no pid. */
    final PeerCredentials peereid(int fd) throws SocketPairException {
        // A rare call: a fresh direct buffer is simpler than sharing the per-thread scratch memory of core.
        ByteBuffer ids = ByteBuffer.allocateDirect(8).order(ByteOrder.nativeOrder());
        long at = bsdLibc.address(ids);
        if (bsdLibc.getpeereid(fd, at, at + 4) != 0) {
            int e = bsdLibc.errno();
            throw new SocketPairException("getpeereid", c.toErrno(e), e, "fd=" + fd);
        }
        return new PeerCredentials(OptionalLong.empty(), Integer.toUnsignedLong(ids.getInt(0)),
                Integer.toUnsignedLong(ids.getInt(4)));
    }

    /**
     * Decodes a {@code struct xucred} (FreeBSD, DragonFly, macOS): {@code cr_version} must be 0, {@code cr_uid} is the
     * effective uid, {@code cr_groups[0]} the effective gid.
     */
    final PeerCredentials xucred(ByteBuffer x, int uid, int ngroups, int groups, OptionalLong pid, String what) {
        if (x.capacity() < groups + 4 || x.getInt(0) != 0 || x.getShort(ngroups) < 1) {
            throw new IllegalStateException(what + " returned an unexpected struct xucred (" + x.capacity()
                    + " bytes, version " + (x.capacity() >= 4 ? x.getInt(0) : -1) + ")");
        }
        return new PeerCredentials(pid, Integer.toUnsignedLong(x.getInt(uid)), Integer.toUnsignedLong(x.getInt(groups)));
    }

    /** The exception for a socket the kernel records no credentials for. */
    final UnsupportedOperationException noCredentials(SocketType type, String why) {
        return new UnsupportedOperationException(platform.describe() + " gives no peer credentials for this " + type
                + " socket: " + why);
    }

    /**
     * The poller's readiness queue: a kqueue ({@link BsdKqueue}) where this release's {@code struct kevent} was read
     * in its header ({@link KeventLayout#of}); plain poll(2) where it was not (FreeBSD before 12) or where the kqueue
     * fails its start-up check (a kernel or libc without the entry point): slower with many waiters, never wrong.
     */
    @Override
    protected Readiness readiness() throws IOException {
        java.util.Optional<KeventLayout> k = KeventLayout.of(platform);
        if (k.isPresent()) {
            try {
                return new BsdKqueue(bsdLibc, c, k.get());
            } catch (SocketPairException e) {
                if (e.errno() != Errno.ENOSYS) {
                    throw e; // EMFILE and the like: the same would stop poll(2)'s wake-up pair
                }
            } catch (IOException e) {
                if (!(e.getCause() instanceof LinkageError)) {
                    throw e;
                }
            }
        }
        return pollReadiness();
    }

    /**
     * The sender's credentials from a {@code struct sockcred}-like control message ({@code sockcred2} on FreeBSD,
     * {@code sockcred} on NetBSD): pid (empty when 0), effective uid and gid at the flavour's offsets; null when the
     * message is too short to hold them.
     */
    protected static PeerCredentials sentBy(ByteBuffer control, int at, int length, int pidOffset, int euidOffset,
            int egidOffset) {
        if (length < Math.max(pidOffset, Math.max(euidOffset, egidOffset)) + 4) {
            return null;
        }
        int pid = control.getInt(at + pidOffset);
        return new PeerCredentials(pid > 0 ? OptionalLong.of(pid) : OptionalLong.empty(),
                Integer.toUnsignedLong(control.getInt(at + euidOffset)),
                Integer.toUnsignedLong(control.getInt(at + egidOffset)));
    }
}
