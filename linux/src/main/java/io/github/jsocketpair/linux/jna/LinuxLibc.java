package io.github.jsocketpair.linux.jna;

import io.github.jsocketpair.internal.Libc;

/**
 * The Linux C library as the backend uses it: the shared {@link Libc} calls, bound by {@link LinuxLibcDirect} with
 * JNA direct mapping. Unit tests mock this interface.
 */
public interface LinuxLibc extends Libc {
    /** Loads glibc (or musl) with the binding that fits the pointer size. */
    static LinuxLibc load(int pointerSize) {
        return pointerSize == 8 ? new LinuxLibcDirect() : new LinuxLibcDirect32();
    }
}
