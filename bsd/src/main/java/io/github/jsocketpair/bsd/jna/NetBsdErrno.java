package io.github.jsocketpair.bsd.jna;

import io.github.jsocketpair.Errno;
import io.github.jsocketpair.internal.NativeConstants;

/** NetBSD's errno numbers: the shared 4.4BSD table plus NetBSD {@code sys/sys/errno.h} @03d5d34f's own. */
public final class NetBsdErrno {
    private NetBsdErrno() {
    }

    /** Fills NetBSD's table into {@code c}. */
    public static void fill(NativeConstants c) {
        BsdErrno.fillShared(c);
        // NetBSD's ENOTSUP (86, from IEEE Std 1003.1-2001) is distinct from EOPNOTSUPP (45)
        c.errno(Errno.EOPNOTSUPP, 45).errno(Errno.EOVERFLOW, 84).errno(Errno.ENOTSUP, 86);
    }
}
