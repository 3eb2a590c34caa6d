package io.github.jsocketpair.spi;

import io.github.jsocketpair.Endpoint;
import java.util.Objects;

/**
 * The two ends a backend created, {@code sv[0]} and {@code sv[1]}.
 *
 * @param first the first end
 * @param second the second end
 */
public record EndpointPair(Endpoint first, Endpoint second) {
    /**
     * Checks the components.
     *
     * @param first the first component
     * @param second the second component
     * @throws NullPointerException if an end is null
     */
    public EndpointPair {
        Objects.requireNonNull(first, "first");
        Objects.requireNonNull(second, "second");
    }
}
