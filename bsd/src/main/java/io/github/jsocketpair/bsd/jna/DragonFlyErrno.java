package io.github.jsocketpair.bsd.jna;

import io.github.jsocketpair.Errno;
import io.github.jsocketpair.internal.NativeConstants;

/**
 * DragonFly's errno numbers: the shared 4.4BSD table plus DragonFly {@code sys/sys/errno.h} @03eef8e3's own. ENOTSUP is
 * EOPNOTSUPP there, as on FreeBSD.
 */
public final class DragonFlyErrno {
    private DragonFlyErrno() {
    }

    /** Fills DragonFly's table into {@code c}. */
    public static void fill(NativeConstants c) {
        BsdErrno.fillShared(c);
        c.errno(Errno.EOPNOTSUPP, 45).errno(Errno.EOVERFLOW, 84);
    }
}
