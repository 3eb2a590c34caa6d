/**
 * Starting and reaping child processes for {@link io.github.jsocketpair.ChildProcess}: {@code posix_spawn} with the
 * descriptors a child is given ({@link io.github.jsocketpair.internal.spawn.Spawner}), the C library calls and struct
 * sizes a backend supplies for it ({@link io.github.jsocketpair.internal.spawn.SpawnLibc},
 * {@link io.github.jsocketpair.internal.spawn.SpawnConstants}), waiting for exit through a pidfd or {@code waitid}
 * ({@link io.github.jsocketpair.internal.spawn.Reaper}), and the {@code PATH} search a shell would make
 * ({@link io.github.jsocketpair.internal.spawn.PathSearch}).
 */
package io.github.jsocketpair.internal.spawn;
