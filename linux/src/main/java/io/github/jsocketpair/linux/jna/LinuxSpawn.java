package io.github.jsocketpair.linux.jna;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import io.github.jsocketpair.internal.SpawnConstants;
import io.github.jsocketpair.internal.SpawnLibc;
import java.nio.ByteBuffer;
import java.util.Map;

/**
 * posix_spawn, waitpid, waitid and kill from glibc or musl, through JNA interface mapping (starting a process is
 * not a hot path; interface mapping converts {@code String[]} to a {@code char **} for us). Pointers travel as
 * {@link Pointer}, so 32-bit ABIs get 32-bit pointers.
 */
public final class LinuxSpawn implements SpawnLibc {
    /**
     * glibc {@code <spawn.h>}, {@code <bits/types/sigset_t.h>}, {@code <bits/types/siginfo_t.h>}; musl
     * {@code <spawn.h>}, {@code <signal.h>}; {@code <linux/wait.h>}. glibc's posix_spawn_file_actions_t is 80 bytes
     * and posix_spawnattr_t 336 on LP64 (both with reserved padding; musl's are smaller), sigset_t and siginfo_t 128
     * on every architecture: 1024/1024/256/256 leaves room for any version. POSIX_SPAWN_SETSIGMASK is 0x08 in both C
     * libraries; P_PID 1, WEXITED 4, WNOWAIT 0x01000000, WNOHANG 1 are the kernel's, the same on every
     * architecture; SIGTERM 15 and SIGKILL 9 too.
     */
    static final SpawnConstants CONSTANTS = new SpawnConstants(1024, 1024, 256, 256, 0x08, 1, 4, 0x01000000, 1, 15,
            9);

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

        int sigemptyset(Pointer set);

        int posix_spawnp(Pointer pid, String file, Pointer actions, Pointer attr, String[] argv, String[] envp);

        int waitpid(int pid, Pointer status, int options);

        int waitid(int idtype, int id, Pointer infop, int options);

        int kill(int pid, int sig);
    }

    private final Binding c;
    private final boolean addchdir;
    private final boolean addclosefrom;

    private LinuxSpawn(Binding c, boolean addchdir, boolean addclosefrom) {
        this.c = c;
        this.addchdir = addchdir;
        this.addclosefrom = addclosefrom;
    }

    /**
     * Binds the C library. Strings (program, arguments, environment, directory) are encoded as the JDK encodes
     * file names and arguments ({@code sun.jnu.encoding}).
     *
     * @throws UnsatisfiedLinkError if a required function is missing
     */
    public static LinuxSpawn load() {
        String encoding = System.getProperty("sun.jnu.encoding", Native.getDefaultStringEncoding());
        Binding b = Native.load(Platform.C_LIBRARY_NAME, Binding.class,
                Map.of(Library.OPTION_STRING_ENCODING, encoding));
        NativeLibrary lib = NativeLibrary.getInstance(Platform.C_LIBRARY_NAME);
        return new LinuxSpawn(b, has(lib, "posix_spawn_file_actions_addchdir_np"),
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
        return CONSTANTS;
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
    public int sigemptyset(long set) {
        return c.sigemptyset(p(set));
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
