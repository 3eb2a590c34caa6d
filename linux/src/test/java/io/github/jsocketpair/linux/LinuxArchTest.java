package io.github.jsocketpair.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code os.arch} names as JDKs spell them, and what an unknown architecture gets. */
class LinuxArchTest {
    private String osName;
    private String osArch;

    @BeforeEach
    void remember() {
        osName = System.getProperty("os.name");
        osArch = System.getProperty("os.arch");
    }

    @AfterEach
    void restore() {
        System.setProperty("os.name", osName);
        System.setProperty("os.arch", osArch);
    }

    @ParameterizedTest
    @CsvSource({
        "x86, X86, x86, GENERIC, 4", "i386, X86, x86, GENERIC, 4", "i686, X86, x86, GENERIC, 4",
        "amd64, X86_64, x86-64, GENERIC, 8", "x86_64, X86_64, x86-64, GENERIC, 8",
        "arm, ARM, arm, GENERIC, 4", "armv7l, ARM, arm, GENERIC, 4", "armel, ARM, arm, GENERIC, 4",
        "aarch64, AARCH64, aarch64, GENERIC, 8", "AArch64, AARCH64, aarch64, GENERIC, 8",
        "ppc, PPC, ppc, POWERPC, 4", "powerpc, PPC, ppc, POWERPC, 4",
        "ppc64le, PPC64LE, ppc64le, POWERPC, 8",
        "mips64el, MIPS64EL, mips64el, MIPS, 8",
        "loongarch64, LOONGARCH64, loongarch64, GENERIC, 8",
        "s390x, S390X, s390x, GENERIC, 8",
        "riscv64, RISCV64, riscv64, GENERIC, 8",
    })
    void knownArchitectures(String osArch, LinuxArch arch, String label, LinuxArch.Family family, int pointer) {
        assertEquals(Optional.of(arch), LinuxArch.fromOsArch(osArch));
        assertEquals(label, arch.label());
        assertEquals(family, arch.family());
        assertEquals(pointer, arch.pointerSize());
    }

    /** JNA ships no library for these (big-endian ppc64, 32-bit mips, sparc, alpha...): never guess their numbers. */
    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"ppc64", "mips", "mipsel", "mips64", "sparcv9", "sparc", "alpha", "parisc", "ia64",
        "s390", "riscv32", "unknown"})
    void unknownArchitectures(String osArch) {
        assertEquals(Optional.empty(), LinuxArch.fromOsArch(osArch));
    }

    @Test
    void unsupportedArchitectureIsNamedWithTheSupportedList() {
        System.setProperty("os.name", "Linux");
        System.setProperty("os.arch", "sparcv9");
        LinuxBackendProvider p = new LinuxBackendProvider();
        assertFalse(p.isSupported());
        String reason = p.unsupportedReason();
        assertEquals("unsupported architecture sparcv9 (supported: x86, x86-64, arm, aarch64, ppc, ppc64le, mips64el, "
                + "loongarch64, s390x, riscv64)", reason);
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, p::create);
        assertEquals(reason, e.getMessage());
    }

    @Test
    void otherOperatingSystemsAreNotSupported() {
        System.setProperty("os.name", "FreeBSD");
        System.setProperty("os.arch", "amd64");
        LinuxBackendProvider p = new LinuxBackendProvider();
        assertFalse(p.isSupported());
        assertEquals("not for FreeBSD", p.unsupportedReason());
        System.setProperty("os.name", "Linux");
        assertTrue(p.isSupported());
        assertEquals("linux", p.name());
    }
}
