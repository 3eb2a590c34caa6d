package io.github.jsocketpair.bsd.jna;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import io.github.jsocketpair.bsd.BsdFlavour;
import io.github.jsocketpair.internal.spawn.SpawnConstants;
import io.github.jsocketpair.internal.spawn.SpawnLibc;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Objects;

/**
 * posix_spawn, waitpid, waitid and kill from the C library of a BSD or macOS, through JNA interface mapping (not a
 * hot path; interface mapping turns {@code String[]} into a {@code char **}). The calls and their C types are the
 * same on the five systems; the numbers come from the flavour's constants class ({@code SPAWN}), and the functions
 * that only some releases have are looked up once, at load:
 * <ul>
 * <li>{@code waitid}: FreeBSD, NetBSD, DragonFly and macOS declare it in {@code <sys/wait.h>}; OpenBSD only since
 * {@code sys/sys/wait.h} rev. 1.19 (2022/10/25, OpenBSD 7.3). Where it is missing, {@link #waitid} fails with
 * {@code ENOSYS} and the reaper polls each child with {@code waitpid(WNOHANG)} under its lock instead (see
 * {@link #waitid}).</li>
 * <li>a working directory: {@code posix_spawn_file_actions_addchdir} (POSIX.1-2024 name: OpenBSD's
 * {@code include/spawn.h} rev. 1.4) or {@code posix_spawn_file_actions_addchdir_np} (FreeBSD
 * {@code lib/libc/gen/posix_spawn.c}, macOS 10.15+ per xnu {@code libsyscall/wrappers/spawn/spawn.h}); both take
 * {@code (posix_spawn_file_actions_t *, const char *)}. Neither: {@code directory(...)} is refused.</li>
 * <li>{@code posix_spawn_file_actions_addclosefrom_np}: used on FreeBSD only, where {@code posix_spawn.c} also
 * ignores a close action on a descriptor that is not open ({@code FAE_CLOSE: (void)_close(...)}), which the
 * close-the-rest plan needs. macOS has no such function; on NetBSD, OpenBSD and DragonFly neither the function nor
 * that close behaviour was verified, so the child keeps inherited descriptors that lack close-on-exec there (every
 * descriptor this library creates has it).</li>
 * </ul>
 * Symbols are looked up in the process ({@code dlopen(NULL)}), as {@link BsdLibcDirect} does.
 */
public final class BsdSpawn implements SpawnLibc {
    /** {@code ENOSYS}: 78 on all five ({@link BsdErrno}); what {@link #waitid} reports where libc lacks it. */
    static final int ENOSYS = 78;

    /**
     * The C signatures; pid_t and int are Java int, the flags a Java short. {@code id_t} is 64 bits on FreeBSD
     * ({@code sys/sys/_types.h}: {@code typedef __int64_t __id_t}) and DragonFly ({@code sys/sys/wait.h}), so
     * {@code waitid} takes a Java long: on the LP64 ABIs this backend supports (x86-64, aarch64) the argument
     * travels in a 64-bit register, and a C library whose {@code id_t} is 32 bits reads the low half.
     */
    interface Binding extends Library {
        int posix_spawn_file_actions_init(Pointer actions);

        int posix_spawn_file_actions_destroy(Pointer actions);

        int posix_spawn_file_actions_adddup2(Pointer actions, int fd, int newfd);

        int posix_spawn_file_actions_addclose(Pointer actions, int fd);

        int posix_spawn_file_actions_addchdir(Pointer actions, String path);

        int posix_spawn_file_actions_addchdir_np(Pointer actions, String path);

        int posix_spawn_file_actions_addclosefrom_np(Pointer actions, int from);

        int posix_spawnattr_init(Pointer attr);

        int posix_spawnattr_destroy(Pointer attr);

        int posix_spawnattr_setflags(Pointer attr, short flags);

        int posix_spawnattr_setsigmask(Pointer attr, Pointer sigset);

        int posix_spawnattr_setsigdefault(Pointer attr, Pointer sigset);

        int posix_spawnattr_setpgroup(Pointer attr, int pgroup);

        // macOS only (libsyscall/wrappers/spawn/spawn.h, 10.7+)
        int posix_spawn_file_actions_addinherit_np(Pointer actions, int fd);

        int sigemptyset(Pointer set);

        int sigfillset(Pointer set);

        int sigdelset(Pointer set, int signal);

        // NetBSD's <signal.h>: sigemptyset, sigfillset and sigdelset are __RENAME(__sig*14); the plain symbols are
        // the compatibility versions for the 4-byte sigset_t of NetBSD 1.3
        int __sigemptyset14(Pointer set);

        int __sigfillset14(Pointer set);

        int __sigdelset14(Pointer set, int signal);

        int getdtablesize();

        int posix_spawnp(Pointer pid, String file, Pointer actions, Pointer attr, String[] argv, String[] envp);

        int waitpid(int pid, Pointer status, int options);

        int waitid(int idtype, long id, Pointer infop, int options);

        int kill(int pid, int sig);
    }

    /** What {@link #load} found in the C library. */
    enum Chdir {
        /** POSIX.1-2024 {@code posix_spawn_file_actions_addchdir}. */
        POSIX,
        /** {@code posix_spawn_file_actions_addchdir_np}. */
        NP,
        /** Neither. */
        NONE
    }

    private final BsdFlavour flavour;
    private final Binding c;
    private final boolean waitid;
    private final Chdir chdir;
    private final boolean closefrom;

    /** The test seam: a binding and what the probes would have found. */
    BsdSpawn(BsdFlavour flavour, Binding c, boolean waitid, Chdir chdir, boolean closefrom) {
        this.flavour = Objects.requireNonNull(flavour, "flavour");
        this.c = Objects.requireNonNull(c, "c");
        this.waitid = waitid;
        this.chdir = Objects.requireNonNull(chdir, "chdir");
        // Only where a close action on a closed descriptor is ignored (see the class comment).
        this.closefrom = closefrom && flavour == BsdFlavour.FREEBSD;
    }

    /**
     * Binds the C library of {@code flavour}. Strings (program, arguments, environment, directory) are encoded as
     * the JDK encodes file names and arguments ({@code sun.jnu.encoding}).
     *
     * @param flavour the running system
     * @return the binding
     * @throws UnsatisfiedLinkError if JNA cannot be loaded or the process has no symbols
     */
    public static BsdSpawn load(BsdFlavour flavour) {
        String encoding = System.getProperty("sun.jnu.encoding", Native.getDefaultStringEncoding());
        Binding b = Native.load((String) null, Binding.class, Map.of(Library.OPTION_STRING_ENCODING, encoding));
        NativeLibrary process = NativeLibrary.getProcess();
        Chdir chdir = has(process, "posix_spawn_file_actions_addchdir") ? Chdir.POSIX
                : has(process, "posix_spawn_file_actions_addchdir_np") ? Chdir.NP : Chdir.NONE;
        return new BsdSpawn(flavour, b, has(process, "waitid"), chdir,
                has(process, "posix_spawn_file_actions_addclosefrom_np"));
    }

    private static boolean has(NativeLibrary lib, String symbol) {
        try {
            lib.getFunction(symbol);
            return true;
        } catch (UnsatisfiedLinkError e) {
            return false; // an older release (see the class comment)
        }
    }

    private static Pointer p(long address) {
        return address == 0 ? null : new Pointer(address);
    }

    /** The flavour's numbers. */
    static SpawnConstants constants(BsdFlavour flavour) {
        return switch (flavour) {
            case FREEBSD -> FreeBsdConstants.SPAWN;
            case NETBSD -> NetBsdConstants.SPAWN;
            case OPENBSD -> OpenBsdConstants.SPAWN;
            case DRAGONFLY -> DragonFlyConstants.SPAWN;
            case MACOS -> MacOsConstants.SPAWN;
        };
    }

    @Override
    public SpawnConstants constants() {
        return constants(flavour);
    }

    /**
     * Tells whether this C library has {@code waitid}.
     *
     * @return {@code false} on OpenBSD before 7.3
     */
    public boolean hasWaitid() {
        return waitid;
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
        return chdir != Chdir.NONE;
    }

    /** Calls whichever of the two names this C library has. */
    @Override
    public int posix_spawn_file_actions_addchdir_np(long actions, String path) {
        return switch (chdir) {
            case POSIX -> c.posix_spawn_file_actions_addchdir(p(actions), path);
            case NP -> c.posix_spawn_file_actions_addchdir_np(p(actions), path);
            case NONE -> throw new UnsupportedOperationException("no posix_spawn_file_actions_addchdir(_np) in "
                    + flavour.label() + "'s C library");
        };
    }

    @Override
    public boolean hasAddclosefrom() {
        return closefrom;
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

    /** macOS's; the spawner calls it only where {@code POSIX_SPAWN_CLOEXEC_DEFAULT} is set, i.e. on macOS. */
    @Override
    public int posix_spawn_file_actions_addinherit_np(long actions, int fd) {
        return c.posix_spawn_file_actions_addinherit_np(p(actions), fd);
    }

    @Override
    public int sigemptyset(long set) {
        return flavour == BsdFlavour.NETBSD ? c.__sigemptyset14(p(set)) : c.sigemptyset(p(set));
    }

    @Override
    public int sigfillset(long set) {
        return flavour == BsdFlavour.NETBSD ? c.__sigfillset14(p(set)) : c.sigfillset(p(set));
    }

    @Override
    public int sigdelset(long set, int signal) {
        return flavour == BsdFlavour.NETBSD ? c.__sigdelset14(p(set), signal) : c.sigdelset(p(set), signal);
    }

    @Override
    public int getdtablesize() {
        return c.getdtablesize();
    }

    @Override
    public int posix_spawnp(long pid, String file, long actions, long attr, String[] argv, String[] envp) {
        return c.posix_spawnp(p(pid), file, p(actions), p(attr), argv, envp);
    }

    @Override
    public int waitpid(int pid, long status, int options) {
        return c.waitpid(pid, p(status), options);
    }

    /**
     * {@code waitid(2)}, or, where the C library has none (OpenBSD before 7.3), -1 with errno {@code ENOSYS}. The
     * reaper then polls {@code waitpid(pid, WNOHANG)} for each child under the child's lock, with a back-off up to
     * 100 ms. A blocking {@code waitpid(-1)} would notice the exit at once, but it would reap children that are not
     * ours (the JDK's), and it reaps outside the child's lock: between the reap and the reaper recording it,
     * {@code destroy()} could signal the pid after the kernel has given it to another process. Polling keeps both
     * guarantees at the cost of up to 100 ms of latency per exit and one thread waking every 100 ms.
     */
    @Override
    public int waitid(int idtype, int id, long infop, int options) {
        if (!waitid) {
            Native.setLastError(ENOSYS);
            return -1;
        }
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
