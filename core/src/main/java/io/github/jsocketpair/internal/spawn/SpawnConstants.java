package io.github.jsocketpair.internal.spawn;

/**
 * One platform's numbers for {@code posix_spawn}, {@code wait} and signals, and how many bytes to allocate for the
 * opaque types. {@code posix_spawn_file_actions_t}, {@code posix_spawnattr_t}, {@code sigset_t} and
 * {@code siginfo_t} differ in size between C libraries and versions (glibc: 80, 336, 128 and 128 bytes on x86-64;
 * the BSDs: one pointer for the first two), and the C library only ever writes inside the object it was given, so a
 * backend gives a size at least as large as any version of its C library uses.
 *
 * @param fileActionsSize bytes to allocate for a {@code posix_spawn_file_actions_t}
 * @param attrSize bytes to allocate for a {@code posix_spawnattr_t}
 * @param sigsetSize bytes to allocate for a {@code sigset_t}
 * @param siginfoSize bytes to allocate for a {@code siginfo_t}
 * @param POSIX_SPAWN_SETPGROUP the {@code <spawn.h>} flag that puts the child in the group of
 *        {@code posix_spawnattr_setpgroup} (0: a new group led by the child)
 * @param POSIX_SPAWN_SETSIGDEF the {@code <spawn.h>} flag that resets the signals of
 *        {@code posix_spawnattr_setsigdefault} to their default disposition
 * @param POSIX_SPAWN_SETSIGMASK the {@code <spawn.h>} flag that sets the child's signal mask
 * @param POSIX_SPAWN_SETSID the {@code <spawn.h>} flag that starts a new session, or 0 where the C library has none
 * @param POSIX_SPAWN_CLOEXEC_DEFAULT the flag that closes every descriptor no file action names (macOS), or 0
 * @param P_ALL the {@code idtype_t} value for any child
 * @param WEXITED {@code waitid} option: wait for exited children
 * @param WNOWAIT {@code waitid} option: leave the child waitable
 * @param WNOHANG {@code waitpid}/{@code waitid} option: do not block
 * @param SIGTERM the termination signal
 * @param SIGKILL the kill signal
 * @param SIGSTOP the stop signal (no disposition can be set for it, nor for {@code SIGKILL})
 */
public record SpawnConstants(int fileActionsSize, int attrSize, int sigsetSize, int siginfoSize,
        int POSIX_SPAWN_SETPGROUP, int POSIX_SPAWN_SETSIGDEF, int POSIX_SPAWN_SETSIGMASK, int POSIX_SPAWN_SETSID,
        int POSIX_SPAWN_CLOEXEC_DEFAULT, int P_ALL, int WEXITED, int WNOWAIT, int WNOHANG, int SIGTERM, int SIGKILL,
        int SIGSTOP) {
}
