package io.github.jsocketpair.bsd.jna;

import io.github.jsocketpair.bsd.BsdPlatform;
import io.github.jsocketpair.internal.NativeConstants;
import io.github.jsocketpair.internal.spawn.SpawnConstants;

/**
 * OpenBSD numbers and layouts (amd64 and arm64): ../shared/reference/native-constants.md (keys OB-*) and
 * ../notes/bsd-header-findings.md. OpenBSD has no {@code SO_NOSIGPIPE}: every send passes {@code MSG_NOSIGNAL}.
 */
public final class OpenBsdConstants {
    private OpenBsdConstants() {
    }

    /**
     * ChildProcess numbers. {@code include/spawn.h}: {@code POSIX_SPAWN_SETPGROUP 0x02}, {@code SETSIGDEF 0x10},
     * {@code SETSIGMASK 0x20}, no {@code SETSID} and no {@code CLOEXEC_DEFAULT}; both opaque types are pointers.
     * {@code sys/sys/wait.h} (rev. 1.19 and later, OpenBSD 7.3, which added {@code waitid}): {@code WNOHANG 1},
     * {@code WEXITED 4}, {@code WNOWAIT 16}, and {@code idtype_t} is {@code P_ALL, P_PGID, P_PID}, so {@code P_ALL}
     * is 0. {@code sys/sys/signal.h}: {@code SIGKILL 9}, {@code SIGTERM 15}, {@code SIGSTOP 17}, {@code typedef
     * unsigned int sigset_t}; {@code sys/sys/siginfo.h}: {@code SI_MAXSZ 128} (3 ints and a union padded to it,
     * 136 bytes on LP64). 1024/1024/256/256 leaves room.
     */
    public static final SpawnConstants SPAWN = new SpawnConstants(1024, 1024, 256, 256, 0x02, 0x10, 0x20, 0, 0, 0, 4,
            0x10, 1, 15, 9, 17);

    /**
     * The first release with {@code SOCK_CLOFORK}: socket.h 1.108 and fcntl.h 1.23 (2025/08/04) add it, after 7.7
     * (202504) and before param.h 1.145 (2025/09/10) set {@code OpenBSD 202510} / {@code OpenBSD7_8}.
     */
    public static final int CLOFORK_SINCE_MAJOR = 7;
    /** See {@link #CLOFORK_SINCE_MAJOR}. */
    public static final int CLOFORK_SINCE_MINOR = 8;
    // sys/sys/fcntl.h 1.23 and sys/sys/socket.h 1.108 (2025/08/04), header-verified (reference §12.1)
    /** {@code FD_CLOFORK}, 7.8+. */
    public static final int FD_CLOFORK = 4;
    /** {@code MSG_CMSG_CLOFORK}, 7.8+: received descriptors of CLOFORK pairs get close-on-fork. */
    public static final int MSG_CMSG_CLOFORK = 0x2000;

    // <sys/socket.h> [OB-sock]: SO_PEERCRED at SOL_SOCKET -> struct sockpeercred { uid_t uid; gid_t gid; pid_t pid; }
    // (note the order: not Linux's pid, uid, gid)
    public static final int SO_PEERCRED = 0x1022;
    public static final int SOCKPEERCRED_SIZE = 12;
    public static final int SOCKPEERCRED_UID = 0;
    public static final int SOCKPEERCRED_GID = 4;
    public static final int SOCKPEERCRED_PID = 8;

    // sys/sys/event.h 1.74 (2025/05/10): EVFILT_READ (-1), EVFILT_WRITE (-2), EV_ADD 0x0001, EV_DELETE 0x0002,
    // EV_ONESHOT 0x0010, EV_ERROR 0x4000, EV_EOF 0x8000; struct kevent { __uintptr_t ident; short filter;
    // unsigned short flags; unsigned int fflags; __int64_t data; void *udata; }: 0/8/10/12/16/24, 32 bytes on LP64
    // (the same since 5.5 made data 64-bit); int kevent(int kq, const struct kevent *changelist, int nchanges,
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

    /** The complete table for {@code p}; {@code SOCK_CLOFORK} only from 7.8 on. */
    public static NativeConstants create(BsdPlatform p) {
        NativeConstants c = new NativeConstants();
        // <sys/socket.h> [OB-sock 1.108]
        c.AF_UNIX = 1;
        c.AF_TIPC = NativeConstants.ABSENT;
        c.SOCK_STREAM = 1;
        c.SOCK_DGRAM = 2;
        c.SOCK_SEQPACKET = 5;
        c.SOCK_NONBLOCK = 0x4000;
        c.SOCK_CLOEXEC = 0x8000;
        boolean clofork = p.version().atLeast(CLOFORK_SINCE_MAJOR, CLOFORK_SINCE_MINOR);
        c.SOCK_CLOFORK = clofork ? 0x0800 : 0;
        c.msgCmsgClofork(clofork ? MSG_CMSG_CLOFORK : 0);
        c.SOCK_NOSIGPIPE = 0;
        c.MSG_OOB = 0x1;
        c.MSG_PEEK = 0x2;
        c.MSG_EOR = 0x8;
        c.MSG_TRUNC = 0x10;
        c.MSG_CTRUNC = 0x20;
        c.MSG_WAITALL = 0x40;
        c.MSG_DONTWAIT = 0x80;
        c.MSG_NOSIGNAL = 0x400;
        c.MSG_CMSG_CLOEXEC = 0x800;
        c.SOL_SOCKET = 0xffff;
        c.SO_NOSIGPIPE = NativeConstants.ABSENT;
        c.SO_SNDBUF = 0x1001;
        c.SO_RCVBUF = 0x1002;
        c.SO_ERROR = 0x1007;
        c.SO_TYPE = 0x1008;
        c.SO_DOMAIN = NativeConstants.ABSENT; // 0x1024 in 1.108, absent in 1.88: release unknown, not used
        c.SO_PROTOCOL = 0x1025;
        c.SCM_RIGHTS = 0x01;
        c.soRcvlowat(0x1004); // SO_RCVLOWAT, the same on every BSD and macOS (<sys/socket.h>)
        c.SHUT_RD = 0;
        c.SHUT_WR = 1;
        c.SHUT_RDWR = 2;
        // <sys/fcntl.h> [OB-fcntl 1.23]
        c.F_GETFD = 1;
        c.F_SETFD = 2;
        c.F_GETFL = 3;
        c.F_SETFL = 4;
        c.FD_CLOEXEC = 1;
        c.O_NONBLOCK = 0x4;
        c.F_DUPFD_CLOEXEC = 10;
        // <sys/poll.h> [OB-poll; poll.h 1.16 2024: no POLLRDHUP]
        c.POLLIN = 0x1;
        c.POLLOUT = 0x4;
        c.POLLERR = 0x8;
        c.POLLHUP = 0x10;
        c.POLLNVAL = 0x20;
        // msghdr 48 (unsigned int msg_iovlen), cmsghdr 12 [OB-sock]; _ALIGNBYTES (sizeof(long) - 1) + 1 = 8 on amd64
        // and arm64 [OB-types]
        c.naturalLayout(8, 4, 8);
        c.iovMax = 1024; // IOV_MAX, <sys/syslimits.h>
        // A library limit: unp_internalize needs CMSG_SPACE(n * sizeof(struct fdpass)) (16 bytes each) in one
        // cluster, about 127 descriptors [OB-uipc]
        c.maxFdsPerMessage = 64;
        OpenBsdErrno.fill(c);
        return c;
    }
}
