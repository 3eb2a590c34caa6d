package io.github.jsocketpair.internal;

/**
 * One platform's numbers for {@code posix_spawn} and {@code wait}, and how many bytes to allocate for the opaque
 * types. {@code posix_spawn_file_actions_t}, {@code posix_spawnattr_t}, {@code sigset_t} and {@code siginfo_t}
 * differ in size between C libraries and versions (glibc: 80, 336, 128 and 128 bytes on x86-64; the BSDs: one
 * pointer for the first two), and the C library only ever writes inside the object it was given, so a backend
 * gives a size at least as large as any version of its C library uses.
 *
 * @param fileActionsSize bytes to allocate for a {@code posix_spawn_file_actions_t}
 * @param attrSize bytes to allocate for a {@code posix_spawnattr_t}
 * @param sigsetSize bytes to allocate for a {@code sigset_t}
 * @param siginfoSize bytes to allocate for a {@code siginfo_t}
 * @param POSIX_SPAWN_SETSIGMASK the {@code <spawn.h>} flag
 * @param P_PID the {@code idtype_t} value for one process
 * @param WEXITED {@code waitid} option: wait for exited children
 * @param WNOWAIT {@code waitid} option: leave the child waitable
 * @param WNOHANG {@code waitpid} option: do not block
 * @param SIGTERM the termination signal
 * @param SIGKILL the kill signal
 */
public record SpawnConstants(int fileActionsSize, int attrSize, int sigsetSize, int siginfoSize,
        int POSIX_SPAWN_SETSIGMASK, int P_PID, int WEXITED, int WNOWAIT, int WNOHANG, int SIGTERM, int SIGKILL) {
}
