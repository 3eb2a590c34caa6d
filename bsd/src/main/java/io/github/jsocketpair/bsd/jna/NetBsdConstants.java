package io.github.jsocketpair.bsd.jna;

import io.github.jsocketpair.bsd.BsdArch;
import io.github.jsocketpair.bsd.BsdPlatform;
import io.github.jsocketpair.internal.NativeConstants;
import io.github.jsocketpair.internal.spawn.SpawnConstants;

/**
 * NetBSD numbers and layouts (amd64 and aarch64), from the netbsd-10 headers: ../shared/reference/native-constants.md
 * (keys NB-*) and ../notes/bsd-header-findings.md.
 *
 * <p>NetBSD 11's close-on-fork: no NetBSD 11 header could be read, so its numbers are inferred (reference §12.1) and
 * left out of the table; the backend puts {@code SOCK_CLOFORK} in only after the kernel proved them at run time. No
 * {@code MSG_CMSG_CLOFORK} value was found at all.
 */
public final class NetBsdConstants {
    private NetBsdConstants() {
    }

    /**
     * ChildProcess numbers. {@code sys/sys/spawn.h}: {@code POSIX_SPAWN_SETPGROUP 0x02}, {@code SETSIGDEF 0x10},
     * {@code SETSIGMASK 0x20}, no {@code SETSID} ({@code 0x40} is NetBSD's test-only {@code RETURNERROR}) and no
     * {@code CLOEXEC_DEFAULT}; unlike the other BSDs the opaque types are structs ({@code struct
     * posix_spawn_file_actions} 16 bytes, {@code struct posix_spawnattr} 48 on LP64), so 1024 each leaves room.
     * {@code sys/sys/idtype.h}: {@code P_MYID = -1, P_ALL, P_PID}, so {@code P_ALL} is 0. {@code sys/sys/wait.h}:
     * {@code WNOHANG 0x1}, {@code WEXITED 0x20}, {@code WNOWAIT 0x10000}. {@code sys/sys/signal.h}: {@code SIGKILL
     * 9}, {@code SIGTERM 15}, {@code SIGSTOP 17}. {@code sys/sys/sigtypes.h}: {@code sigset_t} is {@code __uint32_t
     * __bits[4]} (16 bytes); {@code sys/sys/siginfo.h}: {@code siginfo_t} is a union with {@code char si_pad[128]};
     * 256 each leaves room.
     */
    public static final SpawnConstants SPAWN = new SpawnConstants(1024, 1024, 256, 256, 0x02, 0x10, 0x20, 0, 0, 0,
            0x20, 0x10000, 1, 15, 9, 17);

    /** The first release expected to have {@code SOCK_CLOFORK} (NetBSD-current since July 2025). */
    public static final int CLOFORK_SINCE_MAJOR = 11;
    /**
     * {@code SOCK_CLOFORK}, inferred: NetBSD-current {@code sys/sys/socket.h} 1.132 has {@code SOCK_FLAGS_MASK}
     * 0xf0000000 with CLOEXEC 0x10000000, NONBLOCK 0x20000000 and NOSIGPIPE 0x40000000, so 0x80000000 is the only
     * free bit. Used only once proven at run time.
     */
    public static final int SOCK_CLOFORK = 0x80000000;
    /** {@code FD_CLOFORK}, inferred from the output of NetBSD's close-on-fork test; proven at run time. */
    public static final int FD_CLOFORK = 2;

    // <sys/un.h> [NB-un]: SOL_LOCAL 0, LOCAL_PEEREID 3 -> struct unpcbid { pid_t unp_pid; uid_t unp_euid;
    // gid_t unp_egid; } (12 bytes)
    public static final int SOL_LOCAL = 0;
    public static final int LOCAL_PEEREID = 3;
    public static final int UNPCBID_SIZE = 12;
    public static final int UNPCBID_PID = 0;
    public static final int UNPCBID_EUID = 4;
    public static final int UNPCBID_EGID = 8;
    /**
     * {@code LOCAL_CREDS} 0x0004 [NB-un] and {@code SCM_CREDS} 0x10 [NB-sock] since NetBSD 10, when {@code struct
     * sockcred} gained {@code sc_pid}: {@code { pid_t sc_pid; uid_t sc_uid, sc_euid; gid_t sc_gid, sc_egid;
     * int sc_ngroups; gid_t sc_groups[]; }}. Before 10 SCM_CREDS was 0x04 with no pid: not offered there.
     */
    public static final int LOCAL_CREDS = 0x0004;
    public static final int SCM_CREDS = 0x10;
    public static final int SCM_CREDS_SOCKCRED_SINCE_MAJOR = 10;
    public static final int SOCKCRED_PID = 0;
    public static final int SOCKCRED_EUID = 8;
    public static final int SOCKCRED_EGID = 16;
    /** sizeof(struct sockcred) with NGROUPS (16) groups: 24 + 16 * 4. */
    public static final int SOCKCRED_SIZE = 24 + 16 * 4;

    // sys/sys/event.h 1.54 (2022/07/19, before the netbsd-10 branch): EVFILT_READ 0U, EVFILT_WRITE 1U (NetBSD numbers
    // its filters from 0), EV_ADD 0x0001U, EV_DELETE 0x0002U, EV_ONESHOT 0x0010U, EV_ERROR 0x4000U, EV_EOF 0x8000U;
    // struct kevent { uintptr_t ident; uint32_t filter; uint32_t flags; uint32_t fflags; int64_t data; void *udata; }:
    // 0/8/12/16, 4 bytes of padding, data at 24, udata at 32, 40 bytes on LP64; and
    // int kevent(int, const struct kevent *, size_t, struct kevent *, size_t, const struct timespec *)
    // __RENAME(__kevent50): the plain "kevent" symbol is the pre-5.0 one with a 32-bit time_t timespec.
    public static final int EVFILT_READ = 0;
    public static final int EVFILT_WRITE = 1;
    public static final int EV_ADD = 0x0001;
    public static final int EV_DELETE = 0x0002;
    public static final int EV_ONESHOT = 0x0010;
    public static final int EV_ERROR = 0x4000;
    public static final int EV_EOF = 0x8000;
    // NetBSD 11 grew struct kevent by uint64_t ext[4] behind a new entry point, __kevent100, and kept the one above
    // for binaries built against older headers: sys/compat/sys/event.h 1.4 (2023/07/29) names the old layout
    // struct kevent100 (these very fields, 40 bytes) and declares
    //   int __kevent50(int, const struct kevent100 *, size_t, struct kevent100 *, size_t, const struct timespec *);
    // beside __kevent100 over the new struct, with the kernel's compat_100 copy-in/copy-out converting between them.
    // So the backend binds __kevent50 with this layout on every release from 5.0 on, 11 included: a layout read in a
    // header, where the new one was not (BsdKqueue checks at start that the entry point answers).
    /** {@code struct kevent} behind {@code __kevent50} (5.0 on; NetBSD 11's {@code struct kevent100}) and its numbers. */
    public static final KeventLayout KEVENT = new KeventLayout("__kevent50", true, 40, 8, 4, 12, 4, 16, 24, 32,
            EVFILT_READ, EVFILT_WRITE, EV_ADD, EV_DELETE, EV_ONESHOT, EV_EOF, EV_ERROR);

    /** The complete table for {@code p}. */
    public static NativeConstants create(BsdPlatform p) {
        NativeConstants c = new NativeConstants();
        // <sys/socket.h> [NB-sock 1.131.4.1]
        c.AF_UNIX = 1;
        c.AF_TIPC = NativeConstants.ABSENT;
        c.SOCK_STREAM = 1;
        c.SOCK_DGRAM = 2;
        c.SOCK_SEQPACKET = 5;
        c.SOCK_CLOEXEC = 0x10000000;
        c.SOCK_NONBLOCK = 0x20000000;
        c.SOCK_NOSIGPIPE = 0x40000000; // set on every pair: no SIGPIPE, atomically
        c.SOCK_CLOFORK = 0; // NetBSD 11: set by the backend once the kernel proved it (see class comment)
        c.MSG_OOB = 0x1;
        c.MSG_PEEK = 0x2;
        c.MSG_EOR = 0x8;
        c.MSG_TRUNC = 0x10;
        c.MSG_CTRUNC = 0x20;
        c.MSG_WAITALL = 0x40;
        c.MSG_DONTWAIT = 0x80;
        c.MSG_NOSIGNAL = 0x400;
        c.MSG_CMSG_CLOEXEC = 0x800; // _NETBSD_SOURCE
        c.SOL_SOCKET = 0xffff;
        c.SO_NOSIGPIPE = 0x0800; // redundant with SOCK_NOSIGPIPE, but also covers adopted sockets
        c.SO_SNDBUF = 0x1001;
        c.SO_RCVBUF = 0x1002;
        c.SO_ERROR = 0x1007;
        c.SO_TYPE = 0x1008;
        c.SO_DOMAIN = NativeConstants.ABSENT; // not in NB-sock
        c.SO_PROTOCOL = NativeConstants.ABSENT;
        c.SCM_RIGHTS = 0x01;
        c.soRcvlowat(0x1004); // SO_RCVLOWAT, the same on every BSD and macOS (<sys/socket.h>)
        if (p.version().atLeast(SCM_CREDS_SOCKCRED_SINCE_MAJOR, 0)) {
            c.passCredentials(SOL_LOCAL, LOCAL_CREDS, SCM_CREDS);
        }
        c.SHUT_RD = 0;
        c.SHUT_WR = 1;
        c.SHUT_RDWR = 2;
        // <sys/fcntl.h> [NB-fcntl 1.54]
        c.F_GETFD = 1;
        c.F_SETFD = 2;
        c.F_GETFL = 3;
        c.F_SETFL = 4;
        c.FD_CLOEXEC = 1;
        c.O_NONBLOCK = 0x4;
        c.F_DUPFD_CLOEXEC = 12;
        // <sys/poll.h> [NB-poll 1.16]
        c.POLLIN = 0x1;
        c.POLLOUT = 0x4;
        c.POLLERR = 0x8;
        c.POLLHUP = 0x10;
        c.POLLNVAL = 0x20;
        // msghdr 48 / cmsghdr 12 [NB-sock]; __CMSG_ALIGN is __ALIGNBYTES + 1: amd64 sizeof(long) - 1 -> 8
        // (sys/arch/amd64/include/cdefs.h @556ed45e); aarch64 includes arm/cdefs.h, which under __ARM_PCS_AAPCS64 is
        // sizeof(__int128_t) - 1 -> 16 (sys/arch/arm/include/cdefs.h @2ab21a5b)
        c.naturalLayout(8, 4, p.arch() == BsdArch.AARCH64 ? 16 : 8);
        c.iovMax = 1024; // IOV_MAX, <sys/syslimits.h>
        c.maxFdsPerMessage = 64; // a library limit
        NetBsdErrno.fill(c);
        return c;
    }
}
