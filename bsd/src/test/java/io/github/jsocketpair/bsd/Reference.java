package io.github.jsocketpair.bsd;

import io.github.jsocketpair.Errno;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Expected values, typed in from ../shared/reference/native-constants.md (§2-§8, per OS column),
 * ../notes/bsd-header-findings.md and the errno.h files named in the errno classes, NOT computed from the code under
 * test. Where the backend deliberately departs from the reference (a value the reference marks UNVERIFIED or secondary
 * only, or one whose release is unknown), the line says so and expects what the backend must use instead.
 */
final class Reference {
    private Reference() {
    }

    /** Parses "NAME=value" lines (values in Java integer syntax, -1 for absent); '#' starts a comment. */
    static Map<String, Integer> table(String text) {
        Map<String, Integer> m = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            String l = line.replaceAll("#.*", "").trim();
            if (l.isEmpty()) {
                continue;
            }
            for (String item : l.split("\\s+")) {
                String[] kv = item.split("=");
                if (m.put(kv[0], Integer.decode(kv[1])) != null) {
                    throw new IllegalArgumentException("twice: " + kv[0]);
                }
            }
        }
        return m;
    }

    // The values every BSD column of the reference shares (§1, §2.1, §4, §5.2, §6, §7, §8.6) and the LP64 msghdr
    // layout with int lengths (§8.1: 0/8/16/24/32/40/44, size 48; §8.2: socklen_t cmsg_len). Each flavour below
    // repeats them so a table can be read on its own.
    private static final String SHARED = """
            AF_UNIX=1 AF_TIPC=-1
            SOCK_STREAM=1 SOCK_DGRAM=2 SOCK_SEQPACKET=5
            MSG_OOB=0x1 MSG_PEEK=0x2 MSG_DONTWAIT=0x80 MSG_WAITALL=0x40 MSG_TRUNC=0x10 MSG_CTRUNC=0x20 MSG_EOR=0x8
            SOL_SOCKET=0xffff SO_TYPE=0x1008 SO_ERROR=0x1007 SO_SNDBUF=0x1001 SO_RCVBUF=0x1002 SCM_RIGHTS=0x01
            SHUT_RD=0 SHUT_WR=1 SHUT_RDWR=2
            F_GETFD=1 F_SETFD=2 F_GETFL=3 F_SETFL=4 FD_CLOEXEC=1 O_NONBLOCK=0x4
            POLLIN=0x1 POLLOUT=0x4 POLLERR=0x8 POLLHUP=0x10 POLLNVAL=0x20
            POLLRDHUP=-1          # not used on the BSDs: SEQPACKET's end of stream keeps its 0-is-the-end rule there
            EINTR=4 EAGAIN=35 EWOULDBLOCK=35
            pointerSize=8 msghdrSize=48 msgIovOffset=16 msgIovlenOffset=24 msgIovlenSize=4 msgControlOffset=32
            msgControllenOffset=40 msgControllenSize=4 msgFlagsOffset=44 cmsgLenSize=4
            iovMax=1024
            """;

    static final Map<String, Integer> FREEBSD = table(SHARED + """
            SOCK_NONBLOCK=0x20000000 SOCK_CLOEXEC=0x10000000
            SOCK_CLOFORK=0        # reference: UNVERIFIED (15.0+): refused, never guessed
            SOCK_NOSIGPIPE=0      # reference: -
            MSG_NOSIGNAL=0x20000 MSG_CMSG_CLOEXEC=0x40000
            SO_DOMAIN=-1          # reference: 0x1019 (FB-sock2), release that added it unknown: not used
            SO_PROTOCOL=0x1016 SO_NOSIGPIPE=0x0800
            F_DUPFD_CLOEXEC=17
            cmsgAlign=8 maxFdsPerMessage=64
            """);

    static final Map<String, Integer> NETBSD_AMD64 = table(SHARED + """
            SOCK_NONBLOCK=0x20000000 SOCK_CLOEXEC=0x10000000
            SOCK_CLOFORK=0        # reference: UNVERIFIED (NetBSD 11)
            SOCK_NOSIGPIPE=0x40000000
            MSG_NOSIGNAL=0x400 MSG_CMSG_CLOEXEC=0x800
            SO_DOMAIN=-1 SO_PROTOCOL=-1 SO_NOSIGPIPE=0x0800
            F_DUPFD_CLOEXEC=12
            cmsgAlign=8 maxFdsPerMessage=64   # amd64 cdefs.h: sizeof(long) - 1
            """);

    static final Map<String, Integer> NETBSD_AARCH64 = with(NETBSD_AMD64, "cmsgAlign", 16); // arm/cdefs.h AAPCS64

    static final Map<String, Integer> OPENBSD_77 = table(SHARED + """
            SOCK_NONBLOCK=0x4000 SOCK_CLOEXEC=0x8000
            SOCK_CLOFORK=0        # 0x0800 only from 7.8
            SOCK_NOSIGPIPE=0
            MSG_NOSIGNAL=0x400 MSG_CMSG_CLOEXEC=0x800
            SO_DOMAIN=-1          # reference: 0x1024 in socket.h 1.108, absent in 1.88: release unknown, not used
            SO_PROTOCOL=0x1025
            SO_NOSIGPIPE=-1       # OpenBSD has none
            F_DUPFD_CLOEXEC=10
            cmsgAlign=8 maxFdsPerMessage=64
            """);

    static final Map<String, Integer> OPENBSD_78 = with(OPENBSD_77, "SOCK_CLOFORK", 0x0800);

    static final Map<String, Integer> DRAGONFLY_64 = table(SHARED + """
            SOCK_NONBLOCK=0x20000000 SOCK_CLOEXEC=0x10000000   # §12.1: socket.h 36e1dffed7, DragonFly 4.4+
            SOCK_CLOFORK=0        # §12.1: absent in the 2020 tree, proposal's value unknown
            SOCK_NOSIGPIPE=0
            MSG_NOSIGNAL=0x400    # header socket.h @60a260ad
            MSG_CMSG_CLOEXEC=0x1000   # §12.1: socket.h d4e572342e, 4.4+
            SO_DOMAIN=-1 SO_PROTOCOL=-1 SO_NOSIGPIPE=0x0800
            F_DUPFD_CLOEXEC=17
            cmsgAlign=8 maxFdsPerMessage=64   # §12.1: 8 from 5.8.0 (alignbytes.h, b3aa44a1fb)
            """);

    /** 5.6: still 4-byte CMSG alignment (§12.1: 4 up to 5.6.x). */
    static final Map<String, Integer> DRAGONFLY_56 = with(DRAGONFLY_64, "cmsgAlign", 4);

    /** 5.7, the branch the alignment changed in: either may run, so no descriptor passing (8 is a placeholder). */
    static final Map<String, Integer> DRAGONFLY_57 = with(DRAGONFLY_64, "maxFdsPerMessage", 0);

    /** 4.2: before the atomic flags (§12.1: first released in 4.4.0): fcntl after creation and receive. */
    static final Map<String, Integer> DRAGONFLY_42 = with(with(with(with(DRAGONFLY_56, "SOCK_NONBLOCK", 0),
            "SOCK_CLOEXEC", 0), "MSG_CMSG_CLOEXEC", 0), "cmsgAlign", 4);

    static final Map<String, Integer> MACOS_14 = table(SHARED + """
            SOCK_NONBLOCK=0 SOCK_CLOEXEC=0 SOCK_CLOFORK=0 SOCK_NOSIGPIPE=0
            MSG_NOSIGNAL=0x80000  # since macOS 11 (xnu-7195)
            MSG_CMSG_CLOEXEC=0
            SO_DOMAIN=-1 SO_PROTOCOL=-1 SO_NOSIGPIPE=0x1022
            F_DUPFD_CLOEXEC=67
            cmsgAlign=4 maxFdsPerMessage=64   # __DARWIN_ALIGN32 on x86_64 and arm64
            """);

    static final Map<String, Integer> MACOS_10 = with(MACOS_14, "MSG_NOSIGNAL", 0);

    private static Map<String, Integer> with(Map<String, Integer> base, String name, int value) {
        Map<String, Integer> m = new LinkedHashMap<>(base);
        if (m.put(name, value) == null) {
            throw new IllegalArgumentException(name);
        }
        return m;
    }

    // ---- errno (§3 for the socket errors; the rest from the errno.h files read: FB @01ca612a, NB @03d5d34f,
    // OB @0ede50fc, DF @03eef8e3, xnu bsd/sys/errno.h) ----------------------------------------------------------

    private static final String ERRNO_SHARED = """
            EPERM=1 ENOENT=2 ESRCH=3 EINTR=4 EIO=5 ENXIO=6 E2BIG=7 ENOEXEC=8 EBADF=9 ECHILD=10 ENOMEM=12 EACCES=13
            EFAULT=14 EBUSY=16 EEXIST=17 ENOTDIR=20 EISDIR=21 EINVAL=22 ENFILE=23 EMFILE=24 ENOTTY=25 ENOSPC=28
            ESPIPE=29 EROFS=30 EPIPE=32 EAGAIN=35 ENOTSOCK=38 EDESTADDRREQ=39 EMSGSIZE=40 EPROTOTYPE=41
            ENOPROTOOPT=42 EPROTONOSUPPORT=43 ESOCKTNOSUPPORT=44 EAFNOSUPPORT=47 EADDRINUSE=48 ECONNABORTED=53
            ECONNRESET=54 ENOBUFS=55 EISCONN=56 ENOTCONN=57 ESHUTDOWN=58 ETOOMANYREFS=59 ETIMEDOUT=60
            ECONNREFUSED=61 ELOOP=62 ENAMETOOLONG=63 EHOSTUNREACH=65 ENOSYS=78
            """;

    static Map<Errno, Integer> errnos(BsdFlavour f) {
        String own = switch (f) {
            case FREEBSD, DRAGONFLY -> "EOPNOTSUPP=45 EOVERFLOW=84"; // ENOTSUP is EOPNOTSUPP there
            case NETBSD -> "EOPNOTSUPP=45 EOVERFLOW=84 ENOTSUP=86";
            case OPENBSD -> "EOPNOTSUPP=45 EOVERFLOW=87 ENOTSUP=91"; // errno.h 1.25 (reference §12.2)
            case MACOS -> "EOPNOTSUPP=102 ENOTSUP=45 EOVERFLOW=84";
        };
        Map<Errno, Integer> m = new EnumMap<>(Errno.class);
        table(ERRNO_SHARED + own).forEach((k, v) -> m.put(Errno.valueOf(k), v));
        return m;
    }
}
