package io.github.jsocketpair.bsd.jna;

import io.github.jsocketpair.Errno;
import io.github.jsocketpair.internal.NativeConstants;

/**
 * OpenBSD's errno numbers: the shared 4.4BSD table plus EOPNOTSUPP 45 from OpenBSD {@code sys/sys/errno.h} (commit
 * 0ede50fc), and EOVERFLOW 87 and ENOTSUP 91 from {@code sys/sys/errno.h} 1.25 (reference §12.2; golang/sys
 * {@code zerrors_openbsd_*} agree). ENOTSUP is a number of its own on OpenBSD, apart from EOPNOTSUPP.
 */
public final class OpenBsdErrno {
    private OpenBsdErrno() {
    }

    /** Fills OpenBSD's table into {@code c}. */
    public static void fill(NativeConstants c) {
        BsdErrno.fillShared(c);
        c.errno(Errno.EOPNOTSUPP, 45).errno(Errno.EOVERFLOW, 87).errno(Errno.ENOTSUP, 91);
    }
}
