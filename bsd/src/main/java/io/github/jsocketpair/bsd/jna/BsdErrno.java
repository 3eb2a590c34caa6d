package io.github.jsocketpair.bsd.jna;

import io.github.jsocketpair.Errno;
import io.github.jsocketpair.internal.NativeConstants;

/**
 * The errno numbers the five BSD-derived systems share: all of 4.4BSD's {@code <sys/errno.h>} that the portable
 * {@link Errno} names, read line by line in FreeBSD {@code sys/sys/errno.h} @01ca612a, NetBSD @03d5d34f, OpenBSD
 * @0ede50fc, DragonFly @03eef8e3 and xnu {@code bsd/sys/errno.h} @94d3b452 (reference §3 for the socket errors).
 * They differ only above 78 and in {@code EOPNOTSUPP}/{@code ENOTSUP}; each flavour's class adds those.
 */
final class BsdErrno {
    private BsdErrno() {
    }

    /** Fills the shared numbers and the three the shared logic acts on. */
    static void fillShared(NativeConstants c) {
        c.errno(Errno.EPERM, 1).errno(Errno.ENOENT, 2).errno(Errno.ESRCH, 3).errno(Errno.EINTR, 4)
                .errno(Errno.EIO, 5).errno(Errno.ENXIO, 6).errno(Errno.E2BIG, 7).errno(Errno.ENOEXEC, 8)
                .errno(Errno.EBADF, 9).errno(Errno.ECHILD, 10).errno(Errno.ENOMEM, 12).errno(Errno.EACCES, 13)
                .errno(Errno.EFAULT, 14).errno(Errno.EBUSY, 16).errno(Errno.EEXIST, 17).errno(Errno.ENOTDIR, 20)
                .errno(Errno.EISDIR, 21).errno(Errno.EINVAL, 22).errno(Errno.ENFILE, 23).errno(Errno.EMFILE, 24)
                .errno(Errno.ENOTTY, 25).errno(Errno.ENOSPC, 28).errno(Errno.ESPIPE, 29).errno(Errno.EROFS, 30)
                .errno(Errno.EPIPE, 32)
                // 35: EAGAIN, and EWOULDBLOCK is EAGAIN on all five (11 is EDEADLK there)
                .errno(Errno.EAGAIN, 35)
                .errno(Errno.ENOTSOCK, 38).errno(Errno.EDESTADDRREQ, 39).errno(Errno.EMSGSIZE, 40)
                .errno(Errno.EPROTOTYPE, 41).errno(Errno.ENOPROTOOPT, 42).errno(Errno.EPROTONOSUPPORT, 43)
                .errno(Errno.ESOCKTNOSUPPORT, 44).errno(Errno.EAFNOSUPPORT, 47).errno(Errno.EADDRINUSE, 48)
                .errno(Errno.ECONNABORTED, 53).errno(Errno.ECONNRESET, 54).errno(Errno.ENOBUFS, 55)
                .errno(Errno.EISCONN, 56).errno(Errno.ENOTCONN, 57).errno(Errno.ESHUTDOWN, 58)
                .errno(Errno.ETOOMANYREFS, 59).errno(Errno.ETIMEDOUT, 60).errno(Errno.ECONNREFUSED, 61)
                .errno(Errno.ELOOP, 62).errno(Errno.ENAMETOOLONG, 63).errno(Errno.EHOSTUNREACH, 65)
                .errno(Errno.ENOSYS, 78);
        c.EINTR = 4;
        c.EAGAIN = 35;
        c.EWOULDBLOCK = 35;
    }
}
