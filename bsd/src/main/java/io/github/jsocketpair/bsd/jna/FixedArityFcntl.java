package io.github.jsocketpair.bsd.jna;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;

/**
 * {@code fcntl(2)} bound with a fixed third {@code int}, by direct mapping. Correct where the C calling convention
 * passes a variadic {@code int} exactly like a fixed one: x86-64 System V (FreeBSD, NetBSD, OpenBSD, DragonFly) and
 * AAPCS64 (FreeBSD, NetBSD, OpenBSD on aarch64). Not on macOS: see {@link VariadicFcntl}.
 */
final class FixedArityFcntl {
    static {
        Native.register(FixedArityFcntl.class, NativeLibrary.getProcess());
    }

    private FixedArityFcntl() {
    }

    static native int fcntl(int fd, int cmd, int arg); // fcntl(2)

    /** Returns the binding, registering it now, so that a JNA failure shows at backend selection, not first use. */
    static BsdLibcDirect.Fcntl load() {
        return FixedArityFcntl::fcntl;
    }
}
