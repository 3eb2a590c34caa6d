package io.github.jsocketpair;

import java.util.Objects;
import java.util.OptionalLong;

/**
 * The credentials of the process at the other end of a pair, as the kernel recorded them when the pair was created.
 *
 * @param pid the peer's process id, empty where the OS does not give it
 * @param uid the peer's (effective) user id, an unsigned 32-bit value
 * @param gid the peer's (effective) group id, an unsigned 32-bit value
 */
public record PeerCredentials(OptionalLong pid, long uid, long gid) {
    /**
     * Checks the components.
     *
     * @param pid the pid component
     * @param uid the uid component
     * @param gid the gid component
     * @throws NullPointerException if {@code pid} is null
     */
    public PeerCredentials {
        Objects.requireNonNull(pid, "pid");
    }
}
