package io.github.jsocketpair.linux;

import io.github.jsocketpair.spi.Backend;
import io.github.jsocketpair.spi.BackendProvider;
import io.github.jsocketpair.linux.jna.LinuxLibc;
import java.util.Optional;

/**
 * Provides the {@link LinuxBackend} on Linux for the architectures in {@link LinuxArch}. Decides from
 * {@code os.name}/{@code os.arch} alone; JNA is loaded only by {@link #create()}.
 */
public final class LinuxBackendProvider implements BackendProvider {
    /** Creates the provider; loads nothing. */
    public LinuxBackendProvider() {
    }

    @Override
    public String name() {
        return "linux";
    }

    @Override
    public int priority() {
        return 100;
    }

    @Override
    public boolean isSupported() {
        return isLinux() && arch().isPresent();
    }

    @Override
    public String unsupportedReason() {
        if (!isLinux()) {
            return "not for " + System.getProperty("os.name");
        }
        return "unsupported architecture " + System.getProperty("os.arch") + " (supported: "
                + LinuxArch.supportedList() + ")";
    }

    private static boolean isLinux() {
        return System.getProperty("os.name", "").startsWith("Linux");
    }

    private static Optional<LinuxArch> arch() {
        return LinuxArch.fromOsArch(System.getProperty("os.arch"));
    }

    @Override
    public Backend create() {
        LinuxArch arch = arch().orElseThrow(() -> new UnsupportedOperationException(unsupportedReason()));
        LinuxBackend backend;
        try {
            backend = new LinuxBackend(LinuxLibc.load(arch.pointerSize()), arch,
                    "Linux " + System.getProperty("os.version"));
        } catch (LinkageError e) {
            throw new UnsupportedOperationException("cannot load libc through JNA: " + e, e);
        }
        return backend.probe();
    }
}
