package io.github.jsocketpair.bsd.jna;

import io.github.jsocketpair.bsd.BsdPlatform;
import io.github.jsocketpair.internal.NativeConstants;
import io.github.jsocketpair.internal.spawn.SpawnConstants;

/**
 * FreeBSD numbers and layouts (amd64 and arm64). Values and citations: ../shared/reference/native-constants.md (keys
 * FB-*) and ../notes/bsd-header-findings.md; each group names its header.
 *
 * <p>{@code SOCK_CLOFORK}, {@code MSG_CMSG_CLOFORK} and {@code FD_CLOFORK} are FreeBSD 15.0's, but come from the
 * close-on-fork change as proposed (reference §12.1), not from a released 15.0 header: the table leaves them out,
 * and the backend puts them in only after the kernel proved them at run time. {@code SO_DOMAIN} (0x1019) is not
 * used: the release that added it was not found, and the shared logic works without it.
 */
public final class FreeBsdConstants {
    private FreeBsdConstants() {
    }

    /**
     * ChildProcess numbers. {@code include/spawn.h}: {@code POSIX_SPAWN_SETPGROUP 0x02}, {@code SETSIGDEF 0x10},
     * {@code SETSIGMASK 0x20}, no {@code SETSID} (not even in the 14/15 header, which adds
     * {@code POSIX_SPAWN_DISABLE_ASLR_NP 0x40}) and no {@code CLOEXEC_DEFAULT}; both opaque types are pointers
     * ({@code typedef struct __posix_spawnattr *posix_spawnattr_t}). {@code sys/sys/wait.h}: {@code WNOHANG 1},
     * {@code WNOWAIT 8}, {@code WEXITED 16}, and {@code idtype_t} is the Solaris order {@code P_PID, P_PPID, P_PGID,
     * P_SID, P_CID, P_UID, P_GID, P_ALL}, so {@code P_ALL} is 7. {@code sys/sys/signal.h}: {@code SIGKILL 9},
     * {@code SIGTERM 15}, {@code SIGSTOP 17}; {@code sigset_t} is {@code unsigned int __bits[_SIG_WORDS = 4]}
     * (16 bytes) and {@code siginfo_t} 80 bytes on LP64 (six ints, {@code si_addr}, {@code si_value}, the
     * {@code _reason} union), so 1024/1024/256/256 leaves room.
     */
    public static final SpawnConstants SPAWN = new SpawnConstants(1024, 1024, 256, 256, 0x02, 0x10, 0x20, 0, 0, 7, 16,
            8, 1, 15, 9, 17);

    /** The first release with {@code SOCK_CLOFORK} (FreeBSD {@code ucored}: "SOCK_CLOFORK wasn't introduced until 15.0"). */
    public static final int CLOFORK_SINCE_MAJOR = 15;

    // The close-on-fork change as proposed for 15.0 (FreeBSD pull request 1698, reference §12.1): sys/sys/socket.h
    // SOCK_CLOFORK beside SOCK_CLOEXEC 0x10000000 / SOCK_NONBLOCK 0x20000000, MSG_CMSG_CLOFORK; sys/sys/fcntl.h
    // FD_CLOFORK (its test output shows F_GETFD = 3 for CLOEXEC | CLOFORK). Used only once proven at run time.
    /** {@code SOCK_CLOFORK} as proposed for 15.0. */
    public static final int SOCK_CLOFORK = 0x40000000;
    /** {@code MSG_CMSG_CLOFORK} as proposed for 15.0. */
    public static final int MSG_CMSG_CLOFORK = 0x00400000;
    /** {@code FD_CLOFORK} as proposed for 15.0. */
    public static final int FD_CLOFORK = 2;

    // <sys/un.h> [FB-un]: local-domain options are read at level 0 (no SOL_LOCAL macro in that revision; 0 per GO-fb)
    public static final int SOL_LOCAL = 0;
    public static final int LOCAL_PEERCRED = 1;
    /**
     * {@code LOCAL_CREDS_PERSISTENT} 3 and {@code SCM_CREDS2} 8, FreeBSD 13.0+ (r367287; values per rust-lang/libc
     * [RL-fb], not read in a header: UNVERIFIED until a FreeBSD IT runs): the receiver gets a {@code struct sockcred2
     * { int sc_version; pid_t sc_pid; uid_t sc_uid, sc_euid; gid_t sc_gid, sc_egid; int sc_ngroups;
     * gid_t sc_groups[]; }} with every message.
     */
    public static final int LOCAL_CREDS_PERSISTENT = 3;
    public static final int SCM_CREDS2 = 0x08;
    public static final int LOCAL_CREDS_PERSISTENT_SINCE_MAJOR = 13;
    public static final int SOCKCRED2_PID = 4;
    public static final int SOCKCRED2_EUID = 12;
    public static final int SOCKCRED2_EGID = 20;
    /** sizeof(struct sockcred2) with CMGROUP_MAX (16) groups: 28 + 16 * 4. */
    public static final int SOCKCRED2_SIZE = 28 + 16 * 4;

    // <sys/ucred.h> [FB-ucred]: struct xucred { u_int cr_version; uid_t cr_uid; short cr_ngroups;
    // gid_t cr_groups[XU_NGROUPS = 16]; union { void *_cr_unused1; pid_t cr_pid; }; }, LP64
    public static final int XUCRED_VERSION = 0;
    public static final int XUCRED_SIZE = 88;
    public static final int XUCRED_UID = 4;
    public static final int XUCRED_NGROUPS = 8;
    public static final int XUCRED_GROUPS = 12; // cr_gid is cr_groups[0]
    public static final int XUCRED_PID = 80;
    /**
     * The first release whose kernel fills {@code cr_pid} (13.0 per rust-lang/libc; not read in a header of that
     * release). An older kernel leaves the union zero, which reads as "no pid".
     */
    public static final int CR_PID_SINCE_MAJOR = 13;

    // sys/sys/event.h of FreeBSD 12 and later (the revision with struct kevent_freebsd11 for the 11.x layout):
    // EVFILT_READ (-1), EVFILT_WRITE (-2), EV_ADD 0x0001, EV_DELETE 0x0002, EV_ONESHOT 0x0010, EV_ERROR 0x4000,
    // EV_EOF 0x8000; struct kevent { __uintptr_t ident; short filter; unsigned short flags; unsigned int fflags;
    // __int64_t data; void *udata; __uint64_t ext[4]; }: 0/8/10/12/16/24, ext at 32, 64 bytes on LP64.
    // int kevent(int kq, const struct kevent *changelist, int nchanges, struct kevent *eventlist, int nevents,
    // const struct timespec *timeout), not renamed in the header: dlsym finds the symbol's default version, the
    // one programs built against this header link (11.x's 32-byte layout lives on as a compat version only).
    public static final int EVFILT_READ = -1;
    public static final int EVFILT_WRITE = -2;
    public static final int EV_ADD = 0x0001;
    public static final int EV_DELETE = 0x0002;
    public static final int EV_ONESHOT = 0x0010;
    public static final int EV_ERROR = 0x4000;
    public static final int EV_EOF = 0x8000;
    /** The first release with the 64-byte {@code struct kevent}; before it the backend keeps {@code poll(2)}. */
    public static final int KEVENT_SINCE_MAJOR = 12;
    /** {@code struct kevent} and its numbers (see above). */
    public static final KeventLayout KEVENT = new KeventLayout("kevent", false, 64, 8, 2, 10, 2, 12, 16, 24,
            EVFILT_READ, EVFILT_WRITE, EV_ADD, EV_DELETE, EV_ONESHOT, EV_EOF, EV_ERROR);

    /** The complete table for {@code p}. */
    public static NativeConstants create(BsdPlatform p) {
        NativeConstants c = new NativeConstants();
        // <sys/socket.h> [FB-sock @00b5ffde, FB-sock2]
        c.AF_UNIX = 1;
        c.AF_TIPC = NativeConstants.ABSENT;
        c.SOCK_STREAM = 1;
        c.SOCK_DGRAM = 2;
        c.SOCK_SEQPACKET = 5;
        c.SOCK_CLOEXEC = 0x10000000; // __BSD_VISIBLE
        c.SOCK_NONBLOCK = 0x20000000;
        c.SOCK_CLOFORK = 0; // 15.0+: set by the backend once the kernel proved it (see class comment)
        c.SOCK_NOSIGPIPE = 0;
        c.MSG_OOB = 0x1;
        c.MSG_PEEK = 0x2;
        c.MSG_EOR = 0x8;
        c.MSG_TRUNC = 0x10;
        c.MSG_CTRUNC = 0x20;
        c.MSG_WAITALL = 0x40;
        c.MSG_DONTWAIT = 0x80;
        c.MSG_NOSIGNAL = 0x20000; // __POSIX_VISIBLE >= 200809
        c.MSG_CMSG_CLOEXEC = 0x40000; // __BSD_VISIBLE
        c.SOL_SOCKET = 0xffff;
        c.SO_NOSIGPIPE = 0x0800;
        c.SO_SNDBUF = 0x1001;
        c.SO_RCVBUF = 0x1002;
        c.SO_ERROR = 0x1007;
        c.SO_TYPE = 0x1008;
        c.SO_PROTOCOL = 0x1016;
        c.SO_DOMAIN = NativeConstants.ABSENT; // 0x1019 in FB-sock2, release unknown: not used
        c.SCM_RIGHTS = 0x01;
        c.soRcvlowat(0x1004); // SO_RCVLOWAT, the same on every BSD and macOS (<sys/socket.h>)
        if (p.version().atLeast(LOCAL_CREDS_PERSISTENT_SINCE_MAJOR, 0)) {
            // Every message gets its sender's struct sockcred2 (with pid); LOCAL_CREDS (2) would give a stream only
            // its first message's, without pid.
            c.passCredentials(SOL_LOCAL, LOCAL_CREDS_PERSISTENT, SCM_CREDS2);
        }
        c.SHUT_RD = 0;
        c.SHUT_WR = 1;
        c.SHUT_RDWR = 2;
        // <sys/fcntl.h> [FB-fcntl @0069e95e]
        c.F_GETFD = 1;
        c.F_SETFD = 2;
        c.F_GETFL = 3;
        c.F_SETFL = 4;
        c.FD_CLOEXEC = 1;
        c.O_NONBLOCK = 0x4;
        c.F_DUPFD_CLOEXEC = 17;
        // <sys/poll.h> [FB-poll @039ea811]
        c.POLLIN = 0x1;
        c.POLLOUT = 0x4;
        c.POLLERR = 0x8;
        c.POLLHUP = 0x10;
        c.POLLNVAL = 0x20;
        // struct msghdr with int msg_iovlen and socklen_t msg_controllen (48 bytes), struct cmsghdr with socklen_t
        // cmsg_len (12 bytes) [FB-sock]; CMSG alignment _ALIGNBYTES + 1 = 8 on amd64 (sizeof(register_t) - 1) and
        // arm64 (sizeof(long long) - 1) [FB-align]
        c.naturalLayout(8, 4, 8);
        c.iovMax = 1024; // IOV_MAX, <sys/syslimits.h>
        // A library limit, well below what unp_internalize accepts in one control mbuf cluster
        c.maxFdsPerMessage = 64;
        FreeBsdErrno.fill(c);
        return c;
    }
}
