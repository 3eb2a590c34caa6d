package io.github.jsocketpair.bsd.jna;

import io.github.jsocketpair.bsd.BsdPlatform;
import io.github.jsocketpair.internal.NativeConstants;
import io.github.jsocketpair.internal.spawn.SpawnConstants;

/**
 * macOS numbers and layouts (x86-64 and arm64), from xnu-11417.101.15: ../shared/reference/native-constants.md (keys
 * XN-*). macOS has no atomic type flags ({@code SOCK_NONBLOCK}/{@code SOCK_CLOEXEC} are not in
 * {@code bsd/sys/socket.h}: the shared logic sets them with {@code fcntl}), no {@code MSG_CMSG_CLOEXEC}, no
 * {@code SOCK_CLOFORK} ({@code O_CLOFORK} is kernel-only), and no {@code SOCK_SEQPACKET} protocol in the local
 * domain, although the constant exists.
 */
public final class MacOsConstants {
    private MacOsConstants() {
    }

    /**
     * ChildProcess numbers. xnu {@code bsd/sys/spawn.h}: {@code POSIX_SPAWN_SETPGROUP 0x0002}, {@code SETSIGDEF
     * 0x0004}, {@code SETSIGMASK 0x0008} (Apple numbers its flags differently from the BSDs), {@code SETSID 0x0400}
     * and {@code CLOEXEC_DEFAULT 0x4000} (both Darwin extensions); {@code libsyscall/wrappers/spawn/spawn.h}: both
     * opaque types are {@code void *}. {@code bsd/sys/wait.h}: {@code idtype_t} is {@code P_ALL, P_PID, P_PGID}, so
     * {@code P_ALL} is 0; {@code WNOHANG 0x1}, {@code WEXITED 0x4}, {@code WNOWAIT 0x20}. {@code bsd/sys/signal.h}:
     * {@code SIGKILL 9}, {@code SIGTERM 15}, {@code SIGSTOP 17}; {@code siginfo_t} is six ints, {@code si_addr},
     * {@code si_value}, {@code si_band} and {@code unsigned long __pad[7]} (104 bytes on LP64). 1024/1024/256/256
     * leaves room.
     */
    public static final SpawnConstants SPAWN = new SpawnConstants(1024, 1024, 256, 256, 0x02, 0x04, 0x08, 0x400,
            0x4000, 0, 4, 0x20, 1, 15, 9, 17);

    /** {@code MSG_NOSIGNAL} is honoured since macOS 11 (xnu-7195, XN-7195); before it {@code SO_NOSIGPIPE} alone. */
    public static final int MSG_NOSIGNAL_SINCE_MAJOR = 11;

    // <sys/un.h> [XN-un:85-89]
    public static final int SOL_LOCAL = 0;
    public static final int LOCAL_PEERCRED = 0x001;
    public static final int LOCAL_PEERPID = 0x002; // pid_t
    // <sys/ucred.h> [XN-ucred:203-209]: struct xucred { u_int cr_version; uid_t cr_uid; short cr_ngroups;
    // gid_t cr_groups[NGROUPS = 16]; }: 76 bytes, no pid
    public static final int XUCRED_VERSION = 0;
    public static final int XUCRED_SIZE = 76;
    public static final int XUCRED_UID = 4;
    public static final int XUCRED_NGROUPS = 8;
    public static final int XUCRED_GROUPS = 12;

    // xnu-11417.101.15 bsd/sys/event.h: EVFILT_READ (-1), EVFILT_WRITE (-2), EV_ADD 0x0001, EV_DELETE 0x0002,
    // EV_ONESHOT 0x0010, EV_ERROR 0x4000, EV_EOF 0x8000; #pragma pack(4) struct kevent { uintptr_t ident;
    // int16_t filter; uint16_t flags; uint32_t fflags; intptr_t data; void *udata; }: 0/8/10/12/16/24, 32 bytes on
    // LP64 (pack(4) moves no field there); int kevent(int kq, const struct kevent *changelist, int nchanges,
    // struct kevent *eventlist, int nevents, const struct timespec *timeout), not renamed.
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

    /** The complete table for {@code p}; {@code MSG_NOSIGNAL} only from macOS 11 on. */
    public static NativeConstants create(BsdPlatform p) {
        NativeConstants c = new NativeConstants();
        // <sys/socket.h> [XN-sock]
        c.AF_UNIX = 1;
        c.AF_TIPC = NativeConstants.ABSENT;
        c.SOCK_STREAM = 1;
        c.SOCK_DGRAM = 2;
        c.SOCK_SEQPACKET = 5; // defined [XN-sock:119], but the local domain has no such protocol: refused
        c.SOCK_NONBLOCK = 0;
        c.SOCK_CLOEXEC = 0;
        c.SOCK_CLOFORK = 0;
        c.SOCK_NOSIGPIPE = 0;
        c.MSG_OOB = 0x1;
        c.MSG_PEEK = 0x2;
        c.MSG_EOR = 0x8;
        c.MSG_TRUNC = 0x10;
        c.MSG_CTRUNC = 0x20;
        c.MSG_WAITALL = 0x40;
        c.MSG_DONTWAIT = 0x80;
        // A JDK built with an SDK older than 11 sees macOS 11+ as "10.16": MSG_NOSIGNAL is then left out, which is
        // safe, because SO_NOSIGPIPE is set on every end anyway.
        c.MSG_NOSIGNAL = p.version().atLeast(MSG_NOSIGNAL_SINCE_MAJOR, 0) ? 0x80000 : 0;
        c.MSG_CMSG_CLOEXEC = 0;
        c.SOL_SOCKET = 0xffff;
        c.SO_NOSIGPIPE = 0x1022; // "APPLE: No SIGPIPE on EPIPE"
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
        // <sys/fcntl.h> [XN-fcntl]
        c.F_GETFD = 1;
        c.F_SETFD = 2;
        c.F_GETFL = 3;
        c.F_SETFL = 4;
        c.FD_CLOEXEC = 1;
        c.O_NONBLOCK = 0x4;
        c.F_DUPFD_CLOEXEC = 67;
        // <poll.h> [XN-poll]
        c.POLLIN = 0x1;
        c.POLLOUT = 0x4;
        c.POLLERR = 0x8;
        c.POLLHUP = 0x10;
        c.POLLNVAL = 0x20;
        // msghdr 48 / cmsghdr 12 [XN-sock:603-611, 652]; CMSG data is aligned with __DARWIN_ALIGN32 (4 bytes) on
        // every architecture, arm64 included: CMSG_DATA at 12, CMSG_SPACE(4) = 16 [XN-sock:687-718, XN-param]
        c.naturalLayout(8, 4, 4);
        c.iovMax = 1024; // IOV_MAX, <limits.h>
        c.maxFdsPerMessage = 64; // a library limit
        MacOsErrno.fill(c);
        return c;
    }
}
