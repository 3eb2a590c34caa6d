package io.github.jsocketpair.linux.jna;

/**
 * The java.lang.foreign binding's loader. This is the JDK 17-21 version: there is none, the JNA binding serves. The
 * JDK 22+ version (META-INF/versions/22 of the multi-release jar) returns {@code LinuxLibcForeign}.
 */
final class ForeignLibc {
    private ForeignLibc() {
    }

    /** Returns the java.lang.foreign binding, or null where there is none. */
    static LinuxLibc load(int pointerSize) {
        return null;
    }
}
