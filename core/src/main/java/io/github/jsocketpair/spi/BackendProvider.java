package io.github.jsocketpair.spi;

/**
 * Found with {@link java.util.ServiceLoader}: says whether its backend fits the running OS and architecture, and
 * creates it. Implementations must not load native code in their constructor, static initialiser or
 * {@link #isSupported()}; only {@link #create()} may.
 */
public interface BackendProvider {

    /**
     * Returns the backend's name, used in diagnostics and by {@code -Djsocketpair.backend=NAME}.
     *
     * @return a short lower-case name, e.g. {@code "linux"}
     */
    String name();

    /**
     * Returns the priority; when several providers are supported, the highest wins.
     *
     * @return the priority
     */
    int priority();

    /**
     * Tells, from system properties alone, whether this backend fits the running OS and architecture.
     *
     * @return {@code true} if {@link #create()} may be tried
     */
    boolean isSupported();

    /**
     * Explains why {@link #isSupported()} is false, for the loader's error message.
     *
     * @return the reason, e.g. {@code "not for Windows 11"}
     */
    String unsupportedReason();

    /**
     * Loads the native binding, probes it with a real call and returns the backend.
     *
     * @return the ready backend
     * @throws UnsupportedOperationException (with the cause) if the binding cannot be loaded or the probe fails
     */
    Backend create();
}
