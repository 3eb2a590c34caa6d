package io.github.jsocketpair.bsd.jna;

import io.github.jsocketpair.Errno;
import io.github.jsocketpair.internal.NativeConstants;

/**
 * FreeBSD's errno numbers: the shared 4.4BSD table plus FreeBSD {@code sys/sys/errno.h} @01ca612a's own. ENOTSUP is
 * {@code #define ENOTSUP EOPNOTSUPP} there, so 45 reads as EOPNOTSUPP.
 */
public final class FreeBsdErrno {
    private FreeBsdErrno() {
    }

    /** Fills FreeBSD's table into {@code c}. */
    public static void fill(NativeConstants c) {
        BsdErrno.fillShared(c);
        c.errno(Errno.EOPNOTSUPP, 45).errno(Errno.EOVERFLOW, 84);
    }
}
