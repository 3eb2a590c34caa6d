package io.github.jsocketpair;

import java.util.Objects;

/**
 * Which backend serves this JVM and what it can do.
 *
 * @param name the backend's name, e.g. {@code "linux"}, {@code "freebsd"}; what {@code -Djsocketpair.backend} takes
 * @param os the operating system it runs on, e.g. {@code "Linux 6.18.44"}
 * @param arch the architecture whose constants are in use, e.g. {@code "x86-64"}
 * @param detail how it reaches the kernel (libc, constant table, binding), for diagnostics
 * @param selection why the loader picked it (priority, system property, the providers it passed over)
 * @param capabilities what the platform offers
 */
public record BackendInfo(String name, String os, String arch, String detail, String selection,
        Capabilities capabilities) {

    /**
     * Checks the components.
     *
     * @param name the name component
     * @param os the os component
     * @param arch the arch component
     * @param detail the detail component
     * @param selection the selection component
     * @param capabilities the capabilities component
     * @throws NullPointerException if a component is null
     */
    public BackendInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(os, "os");
        Objects.requireNonNull(arch, "arch");
        Objects.requireNonNull(detail, "detail");
        Objects.requireNonNull(selection, "selection");
        Objects.requireNonNull(capabilities, "capabilities");
    }

    /**
     * Returns a copy with another selection text; the loader uses it to say why it picked this backend.
     *
     * @param why the new selection text
     * @return the copy
     * @throws NullPointerException if {@code why} is null
     */
    public BackendInfo withSelection(String why) {
        return new BackendInfo(name, os, arch, detail, why, capabilities);
    }
}
