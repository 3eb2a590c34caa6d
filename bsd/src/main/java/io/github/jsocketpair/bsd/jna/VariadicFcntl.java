package io.github.jsocketpair.bsd.jna;

import com.sun.jna.Library;
import com.sun.jna.Native;

/**
 * {@code fcntl(2)} for macOS, called as the variadic function it is. Apple's arm64 ABI puts every variadic argument on
 * the stack, not in a register (Apple developer documentation, "Writing ARM64 code for Apple platforms", on variadic
 * functions; AAPCS64 itself would use registers), so a fixed-arity binding would leave {@code arg} in x2 while {@code fcntl} reads its stack
 * slot: {@code F_SETFL}/{@code F_SETFD} would set garbage. JNA direct mapping cannot express variadic functions; an
 * interface method with a Java varargs parameter makes JNA prepare the call with {@code ffi_prep_cif_var} and the two
 * fixed arguments counted, which is right on both macOS architectures. Its cost (boxing, reflection) does not matter:
 * {@code fcntl} is never on a hot path here. JNA promotes the {@code Integer} to a C {@code int}, as C's default
 * argument promotions do.
 *
 * <p>Package-private on purpose: the JDK then defines JNA's proxy class in this package and module, so nothing has
 * to be exported for the module path to work.
 */
interface VariadicFcntl extends Library {
    // fcntl(2): int fcntl(int fd, int cmd, ...)
    int fcntl(int fd, int cmd, Object... args);

    /** Loads the binding from the process (libSystem is linked by every JVM). */
    static BsdLibcDirect.Fcntl load() {
        VariadicFcntl f = Native.load((String) null, VariadicFcntl.class);
        return (fd, cmd, arg) -> f.fcntl(fd, cmd, arg);
    }
}
