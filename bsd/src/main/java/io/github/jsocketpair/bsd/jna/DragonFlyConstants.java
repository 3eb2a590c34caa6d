package io.github.jsocketpair.bsd.jna;

import io.github.jsocketpair.bsd.BsdPlatform;
import io.github.jsocketpair.internal.NativeConstants;
import io.github.jsocketpair.internal.spawn.SpawnConstants;

/**
 * DragonFly numbers and layouts (x86-64): ../shared/reference/native-constants.md (keys DF-*, §12.1) and
 * ../notes/bsd-header-findings.md.
 * <ul>
 * <li>{@code SOCK_CLOEXEC} 0x10000000 / {@code SOCK_NONBLOCK} 0x20000000 ({@code sys/sys/socket.h}, commit
 * 36e1dffed7, 2015-10-28, honoured by {@code kern_socketpair()}) and {@code MSG_CMSG_CLOEXEC} 0x1000 (commit
 * d4e572342e, 2015-10-31) are used from 4.4, the first release with them; before it the flags are set with
 * {@code fcntl} after creation and after each receive;</li>
 * <li>no {@code SOCK_CLOFORK}: absent in the 2020 tree, and the 2025 proposal's value is unknown;</li>
 * <li>the CMSG alignment is 4 up to 5.6 ({@code (n + 3) & ~3}, socket.h @60a260ad) and 8 from 5.8
 * ({@code sys/cpu/x86_64/include/alignbytes.h}, commit b3aa44a1fb, {@code __DragonFly_version} 500705). 5.7 is the
 * development branch the change landed in, so a 5.7 kernel may have either: descriptor passing is not offered
 * there.</li>
 * </ul>
 */
public final class DragonFlyConstants {
    private DragonFlyConstants() {
    }

    /**
     * ChildProcess numbers. {@code include/spawn.h}: {@code POSIX_SPAWN_SETPGROUP 0x02}, {@code SETSIGDEF 0x10},
     * {@code SETSIGMASK 0x20}, no {@code SETSID} and no {@code CLOEXEC_DEFAULT}; both opaque types are pointers.
     * {@code sys/sys/wait.h}: {@code WNOHANG 0x0001}, {@code WNOWAIT 0x0008}, {@code WEXITED 0x0010}, and
     * {@code idtype_t} is the Solaris order of FreeBSD ({@code P_PID} first), so {@code P_ALL} is 7.
     * {@code sys/sys/signal.h}: {@code SIGKILL 9}, {@code SIGTERM 15}, {@code SIGSTOP 17}; {@code sigset_t} is
     * {@code unsigned int __bits[_SIG_WORDS]} and {@code siginfo_t} six ints, {@code si_addr}, {@code si_value},
     * {@code si_band} and {@code int __spare__[7]} (80 bytes on LP64). 1024/1024/256/256 leaves room.
     */
    public static final SpawnConstants SPAWN = new SpawnConstants(1024, 1024, 256, 256, 0x02, 0x10, 0x20, 0, 0, 7,
            0x10, 0x08, 1, 15, 9, 17);

    /** The release expected to bring {@code SOCK_CLOFORK} (6.5, the development branch after 6.4). */
    public static final int CLOFORK_SINCE_MAJOR = 6;
    /** See {@link #CLOFORK_SINCE_MAJOR}. */
    public static final int CLOFORK_SINCE_MINOR = 5;
    /** The first release with {@code SOCK_CLOEXEC}, {@code SOCK_NONBLOCK} and {@code MSG_CMSG_CLOEXEC} (4.4.0). */
    public static final int ATOMIC_SINCE_MAJOR = 4;
    /** See {@link #ATOMIC_SINCE_MAJOR}. */
    public static final int ATOMIC_SINCE_MINOR = 4;
    /** The first release whose CMSG alignment is 8 (5.8.0; the change is 500705, inside the 5.7 branch). */
    public static final int CMSG8_SINCE_MAJOR = 5;
    /** See {@link #CMSG8_SINCE_MAJOR}. */
    public static final int CMSG8_SINCE_MINOR = 8;
    /** The development branch in which the alignment changed: either value may be running. */
    private static final int CMSG_CHANGING_MINOR = 7;

    // <sys/un.h> [DF-un]: LOCAL_PEERCRED 0x001 at level 0 (no SOL_LOCAL macro)
    public static final int SOL_LOCAL = 0;
    public static final int LOCAL_PEERCRED = 0x001;
    // <sys/ucred.h> [DF-ucred]: struct xucred as old FreeBSD: version, uid, ngroups, gid_t cr_groups[NGROUPS = 16]
    // (NGROUPS_MAX 16, sys/syslimits.h @c66c7e2f), void *_cr_unused1 @80: 88 bytes, no pid
    public static final int XUCRED_VERSION = 0;
    public static final int XUCRED_SIZE = 88;
    public static final int XUCRED_UID = 4;
    public static final int XUCRED_NGROUPS = 8;
    public static final int XUCRED_GROUPS = 12;

    // sys/sys/event.h @13d2f99b ($DragonFly: event.h,v 1.7 2007/01/15): EVFILT_READ (-1), EVFILT_WRITE (-2),
    // EV_ADD 0x0001, EV_DELETE 0x0002, EV_ONESHOT 0x0010, EV_ERROR 0x4000, EV_EOF 0x8000; struct kevent {
    // uintptr_t ident; short filter; u_short flags; u_int fflags; intptr_t data; void *udata; }: 0/8/10/12/16/24,
    // 32 bytes on x86-64; int kevent(int, const struct kevent *, int, struct kevent *, int,
    // const struct timespec *), not renamed.
    public static final int EVFILT_READ = -1;
    public static final int EVFILT_WRITE = -2;
    public static final int EV_ADD = 0x0001;
    public static final int EV_DELETE = 0x0002;
    public static final int EV_ONESHOT = 0x0010;
    public static final int EV_ERROR = 0x4000;
    public static final int EV_EOF = 0x8000;
    /** {@code struct kevent} and its numbers (see above). */
    public static final KeventLayout KEVENT = new KeventLayout("kevent", false, 32, 8, 2, 10, 2, 12, 16, 24,
            EVFILT_READ, EVFILT_WRITE, EV_ADD, EV_DELETE, EV_ONESHOT, EV_EOF, EV_ERROR);

    /**
     * This release's {@code CMSG_ALIGN} unit: 4 before 5.7, 8 from 5.8, 0 on 5.7 (unknown: no descriptor passing).
     *
     * @param p a DragonFly platform
     * @return 4, 8, or 0 if it cannot be told
     */
    public static int cmsgAlign(BsdPlatform p) {
        if (p.version().atLeast(CMSG8_SINCE_MAJOR, CMSG8_SINCE_MINOR)) {
            return 8;
        }
        return p.version().atLeast(CMSG8_SINCE_MAJOR, CMSG_CHANGING_MINOR) ? 0 : 4;
    }

    /**
     * Tells whether {@code p} has the atomic flags ({@code SOCK_CLOEXEC}, {@code SOCK_NONBLOCK},
     * {@code MSG_CMSG_CLOEXEC}).
     *
     * @param p a DragonFly platform
     * @return {@code true} from 4.4 on
     */
    public static boolean atomicFlags(BsdPlatform p) {
        return p.version().atLeast(ATOMIC_SINCE_MAJOR, ATOMIC_SINCE_MINOR);
    }

    /** The complete table for {@code p}. */
    public static NativeConstants create(BsdPlatform p) {
        NativeConstants c = new NativeConstants();
        // <sys/socket.h> [DF-sock, socket.h @60a260ad]
        c.AF_UNIX = 1;
        c.AF_TIPC = NativeConstants.ABSENT;
        c.SOCK_STREAM = 1;
        c.SOCK_DGRAM = 2;
        c.SOCK_SEQPACKET = 5; // localsw has SOCK_SEQPACKET (sys/kern/uipc_proto.c @002c1265)
        boolean atomic = atomicFlags(p);
        c.SOCK_NONBLOCK = atomic ? 0x20000000 : 0; // 4.4+ (36e1dffed7); fcntl before
        c.SOCK_CLOEXEC = atomic ? 0x10000000 : 0;
        c.SOCK_CLOFORK = 0;
        c.SOCK_NOSIGPIPE = 0;
        c.MSG_OOB = 0x1;
        c.MSG_PEEK = 0x2;
        c.MSG_EOR = 0x8;
        c.MSG_TRUNC = 0x10;
        c.MSG_CTRUNC = 0x20;
        c.MSG_WAITALL = 0x40;
        c.MSG_DONTWAIT = 0x80;
        c.MSG_NOSIGNAL = 0x400; // socket.h @60a260ad
        c.MSG_CMSG_CLOEXEC = atomic ? 0x1000 : 0; // 4.4+ (d4e572342e); FD_CLOEXEC by fcntl after receive before
        c.SOL_SOCKET = 0xffff;
        c.SO_NOSIGPIPE = 0x0800; // socket.h @60a260ad
        c.SO_SNDBUF = 0x1001;
        c.SO_RCVBUF = 0x1002;
        c.SO_ERROR = 0x1007;
        c.SO_TYPE = 0x1008;
        c.SO_DOMAIN = NativeConstants.ABSENT;
        c.SO_PROTOCOL = NativeConstants.ABSENT;
        c.SCM_RIGHTS = 0x01;
        c.soRcvlowat(0x1004); // SO_RCVLOWAT, the same on every BSD and macOS (<sys/socket.h>)
        c.SHUT_RD = 0;
        c.SHUT_WR = 1;
        c.SHUT_RDWR = 2;
        // <sys/fcntl.h> [DF-fcntl, fcntl.h @1c4819b6]
        c.F_GETFD = 1;
        c.F_SETFD = 2;
        c.F_GETFL = 3;
        c.F_SETFL = 4;
        c.FD_CLOEXEC = 1;
        c.O_NONBLOCK = 0x4;
        c.F_DUPFD_CLOEXEC = 17;
        // <sys/poll.h> @106a0f8b: the same bits as FreeBSD, nfds_t unsigned int, plain poll
        c.POLLIN = 0x1;
        c.POLLOUT = 0x4;
        c.POLLERR = 0x8;
        c.POLLHUP = 0x10;
        c.POLLNVAL = 0x20;
        // msghdr 48 / cmsghdr 12 [DF-sock]; alignment: see class comment
        int align = cmsgAlign(p);
        c.naturalLayout(8, 4, align == 0 ? 8 : align);
        c.iovMax = 1024; // IOV_MAX, <sys/syslimits.h>
        c.maxFdsPerMessage = align == 0 ? 0 : 64; // a library limit
        DragonFlyErrno.fill(c);
        return c;
    }
}
