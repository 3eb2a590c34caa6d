package io.github.jsocketpair.linux.jna;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;

/**
 * gettid(2), tgkill(2) and sigaction(2) by JNA direct mapping, registered apart from {@link LinuxLibcDirect}: the
 * gettid and tgkill wrappers came with glibc 2.30, and a C library without them must cost only the in-call blocking
 * they serve (the backend then waits in poll(2)), not the whole binding. LP64 only, as {@link LinuxLibcDirect}.
 */
final class LinuxThreadSignals {
    /** Whether the three symbols were found. */
    static final boolean AVAILABLE = register();

    /**
     * sizeof(struct sigaction) is 152 on x86-64 and aarch64 glibc (handler, a 128-byte sigset_t, flags, restorer);
     * read into more than that, so any LP64 layout fits.
     */
    private static final int SIGACTION_ROOM = 256;

    private LinuxThreadSignals() {
    }

    private static boolean register() {
        try {
            Native.register(LinuxThreadSignals.class, NativeLibrary.getInstance(Platform.C_LIBRARY_NAME));
            return true;
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            return false;
        }
    }

    static native int gettid();

    static native int tgkill(int tgid, int tid, int sig);

    private static native int sigaction(int sig, long act, long oldact);

    /** The handler of {@code sig} (the first member of glibc's struct sigaction), or -1 if sigaction failed. */
    static long handler(int sig) {
        try (Memory old = new Memory(SIGACTION_ROOM)) {
            old.clear();
            if (sigaction(sig, 0L, com.sun.jna.Pointer.nativeValue(old)) != 0) {
                return -1;
            }
            return old.getLong(0);
        }
    }
}
