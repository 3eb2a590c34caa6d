package io.github.jsocketpair.bsd.jna;

import io.github.jsocketpair.Errno;
import io.github.jsocketpair.internal.NativeConstants;

/**
 * OpenBSD's errno numbers: the shared 4.4BSD table plus EOPNOTSUPP 45 from OpenBSD {@code sys/sys/errno.h} at
 * revision 0ede50fc. That revision ends at ENOATTR 83; current OpenBSD's EOVERFLOW (87) and ENOTSUP (91) were found only in
 * secondary copies, not in a header, so they are left out and read as {@link Errno#UNKNOWN} (the message still gives
 * the number).
 */
public final class OpenBsdErrno {
    private OpenBsdErrno() {
    }

    /** Fills OpenBSD's table into {@code c}. */
    public static void fill(NativeConstants c) {
        BsdErrno.fillShared(c);
        c.errno(Errno.EOPNOTSUPP, 45);
    }
}
