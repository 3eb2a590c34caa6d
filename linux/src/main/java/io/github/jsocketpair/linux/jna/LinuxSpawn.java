package io.github.jsocketpair.linux.jna;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.NativeLong;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import io.github.jsocketpair.internal.spawn.PidfdLibc;
import io.github.jsocketpair.internal.spawn.SpawnConstants;
import io.github.jsocketpair.internal.spawn.SpawnLibc;
import io.github.jsocketpair.linux.LinuxArch;
import java.nio.ByteBuffer;
import java.util.Map;

/**
 * posix_spawn, waitpid, waitid, kill and the pidfd reaper's calls from glibc or musl, through JNA interface mapping
 * (starting a process is not a hot path; interface mapping converts {@code String[]} to a {@code char **} for us).
 * Pointers travel as {@link Pointer}, so 32-bit ABIs get 32-bit pointers. The reaper's {@code pipe2}, {@code poll},
 * {@code read}, {@code write} and {@code close} are bound here rather than shared with the I/O engine's binding, so
 * the two never depend on each other.
 */
public final class LinuxSpawn implements SpawnLibc, PidfdLibc {
    /**
     * glibc {@code <spawn.h>}, {@code <bits/types/sigset_t.h>}, {@code <bits/types/siginfo_t.h>}; musl
     * {@code <spawn.h>}, {@code <signal.h>}; {@code <linux/wait.h>}. glibc's posix_spawn_file_actions_t is 80 bytes
     * and posix_spawnattr_t 336 on LP64 (both with reserved padding; musl's are smaller), sigset_t and siginfo_t 128
     * on every architecture: 1024/1024/256/256 leaves room for any version. The {@code <spawn.h>} flags are the same
     * in both C libraries: {@code POSIX_SPAWN_SETPGROUP 0x02}, {@code SETSIGDEF 0x04}, {@code SETSIGMASK 0x08},
     * {@code SETSID 0x80} (glibc 2.26+; an older glibc refuses the flag with {@code EINVAL} in
     * {@code posix_spawnattr_setflags}); no {@code CLOEXEC_DEFAULT}. {@code <linux/wait.h>}: {@code P_ALL 0},
     * {@code WEXITED 4}, {@code WNOWAIT 0x01000000}, {@code WNOHANG 1}, the kernel's on every architecture;
     * {@code SIGTERM 15} and {@code SIGKILL 9} too. {@code SIGSTOP} is 19 in {@code <asm-generic/signal.h>} (x86,
     * arm, powerpc, s390 and the generic ABIs have the same numbers) and 23 on mips ({@code
     * arch/mips/include/uapi/asm/signal.h}).
     */
    static SpawnConstants constants(LinuxArch arch) {
        int sigstop = arch.family() == LinuxArch.Family.MIPS ? 23 : 19;
        return new SpawnConstants(1024, 1024, 256, 256, 0x02, 0x04, 0x08, 0x80, 0, 0, 4, 0x01000000, 1, 15, 9,
                sigstop);
    }

    /**
     * {@code pidfd_open}: 434 in every unified syscall table since Linux 5.3 ({@code
     * arch/x86/entry/syscalls/syscall_64.tbl} and {@code syscall_32.tbl}, {@code arch/arm/tools/syscall.tbl},
     * {@code arch/powerpc/kernel/syscalls/syscall.tbl}, {@code arch/s390/kernel/syscalls/syscall.tbl},
     * {@code include/uapi/asm-generic/unistd.h} for arm64, riscv and loongarch); the mips n64 table
     * ({@code arch/mips/kernel/syscalls/syscall_n64.tbl}) numbers it 434 from its base of 5000.
     */
    static long pidfdOpenNumber(LinuxArch arch) {
        return arch.family() == LinuxArch.Family.MIPS ? 5434 : 434;
    }

    /** {@code O_CLOEXEC}: 02000000 in {@code <asm-generic/fcntl.h>}, which mips keeps too [K9, K10]. */
    static final int O_CLOEXEC = 0x80000;

    /** The C signatures; pid_t and int are Java int, short flags a Java short. */
    interface Binding extends Library {
        int posix_spawn_file_actions_init(Pointer actions);

        int posix_spawn_file_actions_destroy(Pointer actions);

        int posix_spawn_file_actions_adddup2(Pointer actions, int fd, int newfd);

        int posix_spawn_file_actions_addclose(Pointer actions, int fd);

        int posix_spawn_file_actions_addchdir_np(Pointer actions, String path);

        int posix_spawn_file_actions_addclosefrom_np(Pointer actions, int from);

        int posix_spawnattr_init(Pointer attr);

        int posix_spawnattr_destroy(Pointer attr);

        int posix_spawnattr_setflags(Pointer attr, short flags);

        int posix_spawnattr_setsigmask(Pointer attr, Pointer sigset);

        int posix_spawnattr_setsigdefault(Pointer attr, Pointer sigset);

        int posix_spawnattr_setpgroup(Pointer attr, int pgroup);

        int sigemptyset(Pointer set);

        int sigfillset(Pointer set);

        int sigdelset(Pointer set, int signal);

        int getdtablesize();

        // long syscall(long number, ...): every argument a long, as the kernel's calling convention reads them
        NativeLong syscall(NativeLong number, Object... args);

        int pipe2(Pointer fds, int flags);

        // nfds_t is unsigned long in glibc and musl
        int poll(Pointer fds, NativeLong nfds, int timeout);

        NativeLong read(int fd, Pointer buf, NativeLong count);

        NativeLong write(int fd, Pointer buf, NativeLong count);

        int close(int fd);

        int posix_spawnp(Pointer pid, String file, Pointer actions, Pointer attr, String[] argv, String[] envp);

        int waitpid(int pid, Pointer status, int options);

        int waitid(int idtype, int id, Pointer infop, int options);

        int kill(int pid, int sig);
    }

    private final Binding c;
    private final SpawnConstants constants;
    private final NativeLong pidfdOpen;
    private final boolean addchdir;
    private final boolean addclosefrom;

    /** The test seam: a binding, the architecture, and what the symbol probes would have found. */
    LinuxSpawn(Binding c, LinuxArch arch, boolean addchdir, boolean addclosefrom) {
        this.c = c;
        this.constants = constants(arch);
        this.pidfdOpen = new NativeLong(pidfdOpenNumber(arch));
        this.addchdir = addchdir;
        this.addclosefrom = addclosefrom;
    }

    /**
     * Binds the C library. Strings (program, arguments, environment, directory) are encoded as the JDK encodes
     * file names and arguments ({@code sun.jnu.encoding}).
     *
     * @param arch the architecture, for the numbers that differ (the pidfd_open syscall, SIGSTOP)
     * @return the binding
     * @throws UnsatisfiedLinkError if a required function is missing
     */
    public static LinuxSpawn load(LinuxArch arch) {
        String encoding = System.getProperty("sun.jnu.encoding", Native.getDefaultStringEncoding());
        Binding b = Native.load(Platform.C_LIBRARY_NAME, Binding.class,
                Map.of(Library.OPTION_STRING_ENCODING, encoding));
        NativeLibrary lib = NativeLibrary.getInstance(Platform.C_LIBRARY_NAME);
        return new LinuxSpawn(b, arch, has(lib, "posix_spawn_file_actions_addchdir_np"),
                has(lib, "posix_spawn_file_actions_addclosefrom_np"));
    }

    private static boolean has(NativeLibrary lib, String symbol) {
        try {
            lib.getFunction(symbol);
            return true;
        } catch (UnsatisfiedLinkError e) {
            return false; // older glibc (addchdir_np: 2.29, addclosefrom_np: 2.34) or musl (no closefrom_np)
        }
    }

    private static Pointer p(long address) {
        return address == 0 ? null : new Pointer(address);
    }

    @Override
    public SpawnConstants constants() {
        return constants;
    }

    @Override
    public int posix_spawn_file_actions_init(long actions) {
        return c.posix_spawn_file_actions_init(p(actions));
    }

    @Override
    public int posix_spawn_file_actions_destroy(long actions) {
        return c.posix_spawn_file_actions_destroy(p(actions));
    }

    @Override
    public int posix_spawn_file_actions_adddup2(long actions, int fd, int newfd) {
        return c.posix_spawn_file_actions_adddup2(p(actions), fd, newfd);
    }

    @Override
    public int posix_spawn_file_actions_addclose(long actions, int fd) {
        return c.posix_spawn_file_actions_addclose(p(actions), fd);
    }

    @Override
    public boolean hasAddchdir() {
        return addchdir;
    }

    @Override
    public int posix_spawn_file_actions_addchdir_np(long actions, String path) {
        return c.posix_spawn_file_actions_addchdir_np(p(actions), path);
    }

    @Override
    public boolean hasAddclosefrom() {
        return addclosefrom;
    }

    @Override
    public int posix_spawn_file_actions_addclosefrom_np(long actions, int from) {
        return c.posix_spawn_file_actions_addclosefrom_np(p(actions), from);
    }

    @Override
    public int posix_spawnattr_init(long attr) {
        return c.posix_spawnattr_init(p(attr));
    }

    @Override
    public int posix_spawnattr_destroy(long attr) {
        return c.posix_spawnattr_destroy(p(attr));
    }

    @Override
    public int posix_spawnattr_setflags(long attr, short flags) {
        return c.posix_spawnattr_setflags(p(attr), flags);
    }

    @Override
    public int posix_spawnattr_setsigmask(long attr, long sigset) {
        return c.posix_spawnattr_setsigmask(p(attr), p(sigset));
    }

    @Override
    public int posix_spawnattr_setsigdefault(long attr, long sigset) {
        return c.posix_spawnattr_setsigdefault(p(attr), p(sigset));
    }

    @Override
    public int posix_spawnattr_setpgroup(long attr, int pgroup) {
        return c.posix_spawnattr_setpgroup(p(attr), pgroup);
    }

    /** Never called: Linux has no {@code POSIX_SPAWN_CLOEXEC_DEFAULT} (its constant is 0). */
    @Override
    public int posix_spawn_file_actions_addinherit_np(long actions, int fd) {
        throw new UnsupportedOperationException("posix_spawn_file_actions_addinherit_np is macOS's");
    }

    @Override
    public int sigemptyset(long set) {
        return c.sigemptyset(p(set));
    }

    @Override
    public int sigfillset(long set) {
        return c.sigfillset(p(set));
    }

    @Override
    public int sigdelset(long set, int signal) {
        return c.sigdelset(p(set), signal);
    }

    @Override
    public int getdtablesize() {
        return c.getdtablesize();
    }

    @Override
    public int pidfd_open(int pid) {
        return c.syscall(pidfdOpen, new NativeLong(pid), new NativeLong(0)).intValue();
    }

    @Override
    public int pipe_cloexec(long fds) {
        return c.pipe2(p(fds), O_CLOEXEC);
    }

    @Override
    public int poll(long fds, int nfds, int timeout) {
        return c.poll(p(fds), new NativeLong(nfds), timeout);
    }

    @Override
    public int read(int fd, long buf, int count) {
        return c.read(fd, p(buf), new NativeLong(count)).intValue();
    }

    @Override
    public int write(int fd, long buf, int count) {
        return c.write(fd, p(buf), new NativeLong(count)).intValue();
    }

    @Override
    public int close(int fd) {
        return c.close(fd);
    }

    /** {@code POLLIN}: 0x0001 in {@code <asm-generic/poll.h>}, which every architecture here uses [K13]. */
    @Override
    public short POLLIN() {
        return 1;
    }

    @Override
    public int posix_spawnp(long pid, String file, long actions, long attr, String[] argv, String[] envp) {
        return c.posix_spawnp(p(pid), file, p(actions), p(attr), argv, envp);
    }

    @Override
    public int waitpid(int pid, long status, int options) {
        return c.waitpid(pid, p(status), options);
    }

    @Override
    public int waitid(int idtype, int id, long infop, int options) {
        return c.waitid(idtype, id, p(infop), options);
    }

    @Override
    public int kill(int pid, int sig) {
        return c.kill(pid, sig);
    }

    @Override
    public int errno() {
        return Native.getLastError();
    }

    @Override
    public long address(ByteBuffer direct) {
        return Pointer.nativeValue(Native.getDirectBufferPointer(direct));
    }
}
