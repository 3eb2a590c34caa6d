package io.github.jsocketpair.linux.jna;

/**
 * The java.lang.foreign binding's loader, JDK 22 and later: LP64 only (the ILP32 ABIs keep JNA), and any failure to
 * link (native access denied, a symbol missing) falls back to JNA.
 */
final class ForeignLibc {
    private ForeignLibc() {
    }

    /** Returns the java.lang.foreign binding, or null where it cannot serve. */
    static LinuxLibc load(int pointerSize) {
        if (pointerSize != 8) {
            return null;
        }
        try {
            return LinuxLibcForeign.shared();
        } catch (RuntimeException | LinkageError e) {
            return null;
        }
    }
}
