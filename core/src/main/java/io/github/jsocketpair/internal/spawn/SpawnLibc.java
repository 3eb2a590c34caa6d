package io.github.jsocketpair.internal.spawn;

import java.nio.ByteBuffer;

/**
 * The C library calls {@link Spawner} needs to start and reap child processes, in Java types (addresses are
 * {@code long}). A backend that can start children implements it over its own binding and returns it from
 * {@link io.github.jsocketpair.internal.PosixBackend#spawnLibc()}; its numbers and struct sizes come with it in {@link #constants()}.
 *
 * <p>The {@code posix_spawn*} functions return an error number (0 on success) and do not set errno; the others
 * return {@code -1} and leave the error in {@link #errno()}. None of these is a hot path, so a binding may use JNA
 * interface mapping.
 */
public interface SpawnLibc {
    /** Returns the platform's numbers and the sizes to allocate for the opaque types. */
    SpawnConstants constants();

    // posix_spawn_file_actions_init(3)
    int posix_spawn_file_actions_init(long actions);

    // posix_spawn_file_actions_destroy(3)
    int posix_spawn_file_actions_destroy(long actions);

    // posix_spawn_file_actions_adddup2(3)
    int posix_spawn_file_actions_adddup2(long actions, int fd, int newfd);

    // posix_spawn_file_actions_addclose(3)
    int posix_spawn_file_actions_addclose(long actions, int fd);

    /** Tells whether {@code posix_spawn_file_actions_addchdir_np} exists in this C library. */
    boolean hasAddchdir();

    // posix_spawn_file_actions_addchdir_np(3): glibc 2.29+, musl 1.1.24+, FreeBSD 13.1+, macOS 10.15+
    int posix_spawn_file_actions_addchdir_np(long actions, String path);

    /**
     * Tells whether {@code posix_spawn_file_actions_addclosefrom_np} exists and close actions on descriptors that
     * are not open are ignored (glibc: {@code spawni.c} signals close errors only for numbers out of range).
     */
    boolean hasAddclosefrom();

    // posix_spawn_file_actions_addclosefrom_np(3): glibc 2.34+
    int posix_spawn_file_actions_addclosefrom_np(long actions, int from);

    // posix_spawnattr_init(3)
    int posix_spawnattr_init(long attr);

    // posix_spawnattr_destroy(3)
    int posix_spawnattr_destroy(long attr);

    // posix_spawnattr_setflags(3): flags is a short in <spawn.h>
    int posix_spawnattr_setflags(long attr, short flags);

    // posix_spawnattr_setsigmask(3)
    int posix_spawnattr_setsigmask(long attr, long sigset);

    // posix_spawnattr_setsigdefault(3)
    int posix_spawnattr_setsigdefault(long attr, long sigset);

    // posix_spawnattr_setpgroup(3): pid_t is an int on every supported system
    int posix_spawnattr_setpgroup(long attr, int pgroup);

    /**
     * {@code posix_spawn_file_actions_addinherit_np} (macOS 10.7+, xnu {@code libsyscall/wrappers/spawn/spawn.h}):
     * keeps {@code fd} open in a child started with {@code POSIX_SPAWN_CLOEXEC_DEFAULT}. Called only where
     * {@link SpawnConstants#POSIX_SPAWN_CLOEXEC_DEFAULT()} is not 0.
     */
    int posix_spawn_file_actions_addinherit_np(long actions, int fd);

    // sigemptyset(3): -1 and errno on failure
    int sigemptyset(long set);

    // sigfillset(3): -1 and errno on failure
    int sigfillset(long set);

    // sigdelset(3): -1 and errno on failure
    int sigdelset(long set, int signal);

    /**
     * {@code getdtablesize(3)}: the soft {@code RLIMIT_NOFILE}, the bound glibc's {@code adddup2} checks a number
     * against ({@code posix/spawn_faction_adddup2.c}: {@code __spawn_valid_fd}), read without a {@code struct rlimit}
     * whose field width differs between C libraries.
     */
    int getdtablesize();

    // posix_spawnp(3): argv and envp end with a null element
    int posix_spawnp(long pid, String file, long actions, long attr, String[] argv, String[] envp);

    // waitpid(2)
    int waitpid(int pid, long status, int options);

    // waitid(2): idtype_t is an int-sized enum
    int waitid(int idtype, int id, long infop, int options);

    // kill(2)
    int kill(int pid, int sig);

    /** Returns the errno the last failed call on this thread left. */
    int errno();

    /** Returns the native address of a direct buffer's first element. */
    long address(ByteBuffer direct);
}
