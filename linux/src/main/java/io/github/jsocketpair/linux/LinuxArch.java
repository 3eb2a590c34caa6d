package io.github.jsocketpair.linux;

import java.util.Locale;
import java.util.Optional;

/**
 * The Linux architectures JNA ships a native library for, as {@code os.arch} names them, with what differs in the
 * socket ABI: the constant family and the pointer size. Anything else is unsupported: its numbers are never guessed.
 */
public enum LinuxArch {
    X86("x86", Family.GENERIC, 4),
    X86_64("x86-64", Family.GENERIC, 8),
    /** armhf and armel: the same socket ABI. */
    ARM("arm", Family.GENERIC, 4),
    AARCH64("aarch64", Family.GENERIC, 8),
    /** 32-bit big-endian powerpc. */
    PPC("ppc", Family.POWERPC, 4),
    PPC64LE("ppc64le", Family.POWERPC, 8),
    MIPS64EL("mips64el", Family.MIPS, 8),
    LOONGARCH64("loongarch64", Family.GENERIC, 8),
    S390X("s390x", Family.GENERIC, 8),
    RISCV64("riscv64", Family.GENERIC, 8);

    /** Which kernel header set an architecture's socket constants come from. */
    public enum Family {
        /** {@code asm-generic}: x86, arm, arm64, riscv, s390, loongarch. */
        GENERIC,
        /** {@code arch/powerpc}: generic, but SO_RCVLOWAT..SO_PEERCRED are 16..21. */
        POWERPC,
        /** {@code arch/mips}: own socket types, SOL_SOCKET 0xffff, own SO_* and errno numbers. */
        MIPS
    }

    private final String label;
    private final Family family;
    private final int pointerSize;

    LinuxArch(String label, Family family, int pointerSize) {
        this.label = label;
        this.family = family;
        this.pointerSize = pointerSize;
    }

    public String label() {
        return label;
    }

    public Family family() {
        return family;
    }

    public int pointerSize() {
        return pointerSize;
    }

    /** Maps an {@code os.arch} value (as each JDK spells it) to an architecture, without loading native code. */
    public static Optional<LinuxArch> fromOsArch(String osArch) {
        String a = osArch == null ? "" : osArch.toLowerCase(Locale.ROOT).trim();
        return Optional.ofNullable(switch (a) {
            case "x86", "i386", "i486", "i586", "i686" -> X86;
            case "amd64", "x86_64", "x86-64" -> X86_64;
            case "arm", "armv7l", "armhf", "armel", "armv6l" -> ARM;
            case "aarch64", "arm64" -> AARCH64;
            case "ppc", "powerpc" -> PPC;
            case "ppc64le", "powerpc64le" -> PPC64LE;
            case "mips64el" -> MIPS64EL;
            case "loongarch64" -> LOONGARCH64;
            case "s390x" -> S390X;
            case "riscv64" -> RISCV64;
            default -> null;
        });
    }

    /** The list of supported {@code os.arch} labels, for error messages. */
    public static String supportedList() {
        StringBuilder b = new StringBuilder();
        for (LinuxArch a : values()) {
            b.append(b.length() == 0 ? "" : ", ").append(a.label);
        }
        return b.toString();
    }
}
