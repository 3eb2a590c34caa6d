package io.github.jsocketpair.linux.jna;

import io.github.jsocketpair.Errno;
import io.github.jsocketpair.internal.NativeConstants;
import io.github.jsocketpair.linux.LinuxArch;

/**
 * Linux errno numbers per architecture family. Numbers 1-34 come from {@code <asm-generic/errno-base.h>} on every
 * architecture; the rest from {@code <asm-generic/errno.h>}, except on mips, which has its own
 * {@code arch/mips/include/uapi/asm/errno.h}. powerpc uses the generic table for everything named here (it differs
 * only in EDEADLOCK). Sources: ../shared/reference/native-constants.md §3 [K11, K12].
 */
public final class LinuxErrno {
    private LinuxErrno() {
    }

    /** Fills the errno table of {@code arch} into {@code c}. */
    public static void fill(NativeConstants c, LinuxArch arch) {
        base(c);
        if (arch.family() == LinuxArch.Family.MIPS) {
            mips(c);
        } else {
            generic(c);
        }
        c.EINTR = 4;
        c.EAGAIN = 11;
        c.EWOULDBLOCK = 11; // EWOULDBLOCK is EAGAIN on every Linux architecture JNA ships
    }

    // <asm-generic/errno-base.h>: the same on every architecture
    private static void base(NativeConstants c) {
        c.errno(Errno.EPERM, 1).errno(Errno.ENOENT, 2).errno(Errno.ESRCH, 3).errno(Errno.EINTR, 4)
                .errno(Errno.EIO, 5).errno(Errno.ENXIO, 6).errno(Errno.E2BIG, 7).errno(Errno.ENOEXEC, 8)
                .errno(Errno.EBADF, 9).errno(Errno.ECHILD, 10).errno(Errno.EAGAIN, 11).errno(Errno.ENOMEM, 12)
                .errno(Errno.EACCES, 13).errno(Errno.EFAULT, 14).errno(Errno.EBUSY, 16).errno(Errno.EEXIST, 17)
                .errno(Errno.ENOTDIR, 20).errno(Errno.EISDIR, 21).errno(Errno.EINVAL, 22).errno(Errno.ENFILE, 23)
                .errno(Errno.EMFILE, 24).errno(Errno.ENOTTY, 25).errno(Errno.ENOSPC, 28).errno(Errno.ESPIPE, 29)
                .errno(Errno.EROFS, 30).errno(Errno.EPIPE, 32);
    }

    // <asm-generic/errno.h>; ENOTSUP is EOPNOTSUPP on Linux (glibc bits/errno.h)
    private static void generic(NativeConstants c) {
        c.errno(Errno.ENAMETOOLONG, 36).errno(Errno.ENOSYS, 38).errno(Errno.ELOOP, 40)
                .errno(Errno.EOVERFLOW, 75).errno(Errno.ENOTSOCK, 88).errno(Errno.EDESTADDRREQ, 89)
                .errno(Errno.EMSGSIZE, 90).errno(Errno.EPROTOTYPE, 91).errno(Errno.ENOPROTOOPT, 92)
                .errno(Errno.EPROTONOSUPPORT, 93).errno(Errno.ESOCKTNOSUPPORT, 94).errno(Errno.EOPNOTSUPP, 95)
                .errno(Errno.EAFNOSUPPORT, 97).errno(Errno.EADDRINUSE, 98).errno(Errno.ECONNABORTED, 103)
                .errno(Errno.ECONNRESET, 104).errno(Errno.ENOBUFS, 105).errno(Errno.EISCONN, 106)
                .errno(Errno.ENOTCONN, 107).errno(Errno.ESHUTDOWN, 108).errno(Errno.ETOOMANYREFS, 109)
                .errno(Errno.ETIMEDOUT, 110).errno(Errno.ECONNREFUSED, 111).errno(Errno.EHOSTUNREACH, 113);
    }

    // arch/mips/include/uapi/asm/errno.h ("intended to be MIPS ABI compatible")
    private static void mips(NativeConstants c) {
        c.errno(Errno.ENAMETOOLONG, 78).errno(Errno.EOVERFLOW, 79).errno(Errno.ENOSYS, 89).errno(Errno.ELOOP, 90)
                .errno(Errno.ENOTSOCK, 95).errno(Errno.EDESTADDRREQ, 96).errno(Errno.EMSGSIZE, 97)
                .errno(Errno.EPROTOTYPE, 98).errno(Errno.ENOPROTOOPT, 99).errno(Errno.EPROTONOSUPPORT, 120)
                .errno(Errno.ESOCKTNOSUPPORT, 121).errno(Errno.EOPNOTSUPP, 122).errno(Errno.EAFNOSUPPORT, 124)
                .errno(Errno.EADDRINUSE, 125).errno(Errno.ECONNABORTED, 130).errno(Errno.ECONNRESET, 131)
                .errno(Errno.ENOBUFS, 132).errno(Errno.EISCONN, 133).errno(Errno.ENOTCONN, 134)
                .errno(Errno.ESHUTDOWN, 143).errno(Errno.ETOOMANYREFS, 144).errno(Errno.ETIMEDOUT, 145)
                .errno(Errno.ECONNREFUSED, 146).errno(Errno.EHOSTUNREACH, 148);
    }
}
