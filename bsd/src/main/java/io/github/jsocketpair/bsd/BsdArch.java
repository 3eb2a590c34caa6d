package io.github.jsocketpair.bsd;

import java.util.Locale;
import java.util.Optional;

/**
 * The 64-bit architectures the BSD backend knows, as {@code os.arch} names them. Both are LP64, so every struct
 * layout here assumes 8-byte pointers; 32-bit BSDs (FreeBSD/OpenBSD i386) are not served: their CMSG alignment was not
 * read for every system, and FreeBSD 15 drops the i386 kernel.
 */
public enum BsdArch {
    X86_64("x86-64"),
    AARCH64("aarch64");

    private final String label;

    BsdArch(String label) {
        this.label = label;
    }

    /** The label used in messages and {@code BackendInfo.arch()}. */
    public String label() {
        return label;
    }

    /** Maps an {@code os.arch} value ("amd64" on the BSDs, "x86_64"/"aarch64" on macOS) to an architecture. */
    public static Optional<BsdArch> fromOsArch(String osArch) {
        String a = osArch == null ? "" : osArch.toLowerCase(Locale.ROOT).trim();
        return Optional.ofNullable(switch (a) {
            case "amd64", "x86_64", "x86-64" -> X86_64;
            case "aarch64", "arm64" -> AARCH64;
            default -> null;
        });
    }
}
