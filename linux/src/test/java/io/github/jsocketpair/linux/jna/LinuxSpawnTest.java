package io.github.jsocketpair.linux.jna;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jsocketpair.internal.spawn.SpawnConstants;
import io.github.jsocketpair.linux.LinuxArch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The spawn numbers per Linux architecture, typed from the kernel's and glibc's headers. */
class LinuxSpawnTest {
    @ParameterizedTest
    @EnumSource(LinuxArch.class)
    void numbersPerArchitecture(LinuxArch arch) {
        SpawnConstants k = LinuxSpawn.constants(arch);
        boolean mips = arch == LinuxArch.MIPS64EL;
        // arch/mips/kernel/syscalls/syscall_n64.tbl: 434 n64 pidfd_open, base 5000; 434 in every other table
        assertEquals(mips ? 5434 : 434, LinuxSpawn.pidfdOpenNumber(arch));
        // arch/mips/include/uapi/asm/signal.h SIGSTOP 23; <asm-generic/signal.h> 19 (x86, arm, powerpc, s390 too)
        assertEquals(mips ? 23 : 19, k.SIGSTOP());
        // glibc and musl <spawn.h>
        assertEquals(0x02, k.POSIX_SPAWN_SETPGROUP());
        assertEquals(0x04, k.POSIX_SPAWN_SETSIGDEF());
        assertEquals(0x08, k.POSIX_SPAWN_SETSIGMASK());
        assertEquals(0x80, k.POSIX_SPAWN_SETSID());
        assertEquals(0, k.POSIX_SPAWN_CLOEXEC_DEFAULT());
        // <linux/wait.h>
        assertEquals(0, k.P_ALL());
        assertEquals(4, k.WEXITED());
        assertEquals(0x01000000, k.WNOWAIT());
        assertEquals(1, k.WNOHANG());
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void theRealLibraryAnswers() {
        LinuxSpawn s = LinuxSpawn.load(LinuxArch.fromOsArch(System.getProperty("os.arch")).orElseThrow());
        int limit = s.getdtablesize();
        assertTrue(limit > 2, "getdtablesize " + limit);
        int fd = s.pidfd_open((int) ProcessHandle.current().pid());
        // Linux 5.3+: a descriptor (pidfd_open on ourselves is allowed); older kernels or seccomp: ENOSYS / EPERM
        assertTrue(fd >= 0 || s.errno() == 38 || s.errno() == 1, "pidfd_open: " + fd + ", errno " + s.errno());
        if (fd >= 0) {
            assertEquals(0, s.close(fd));
        }
    }
}
