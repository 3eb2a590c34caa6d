package io.github.jsocketpair.bsd.jna;

import io.github.jsocketpair.Errno;
import io.github.jsocketpair.internal.NativeConstants;

/**
 * macOS errno numbers: the shared 4.4BSD table plus xnu {@code bsd/sys/errno.h}'s own. On x86-64 and arm64
 * {@code __DARWIN_UNIX03} is always 1, so EOPNOTSUPP is the discrete 102 and 45 is ENOTSUP [XN-errno:146, 253]; a
 * socketpair of an unsupported family fails with 102 [XN-kern].
 */
public final class MacOsErrno {
    private MacOsErrno() {
    }

    /** Fills the macOS table into {@code c}. */
    public static void fill(NativeConstants c) {
        BsdErrno.fillShared(c);
        c.errno(Errno.EOPNOTSUPP, 102).errno(Errno.ENOTSUP, 45).errno(Errno.EOVERFLOW, 84);
    }
}
