package io.github.jsocketpair.bsd;

import java.util.Objects;
import java.util.Optional;

/**
 * The running system as the BSD backend sees it: flavour, release and architecture, read from the {@code os.name},
 * {@code os.version} and {@code os.arch} properties alone (no native call: a provider must not load native code to
 * decide whether it applies). The release is what {@code uname -r} reports, which the JDK copies into
 * {@code os.version}, so no {@code uname} binding is needed.
 *
 * @param flavour which system
 * @param version its release
 * @param arch its architecture
 */
public record BsdPlatform(BsdFlavour flavour, OsVersion version, BsdArch arch) {

    public BsdPlatform {
        Objects.requireNonNull(flavour, "flavour");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(arch, "arch");
    }

    /** Convenience for tests and callers: {@code of(FREEBSD, "14.1-RELEASE", X86_64)}. */
    public static BsdPlatform of(BsdFlavour flavour, String version, BsdArch arch) {
        return new BsdPlatform(flavour, OsVersion.parse(version), arch);
    }

    /**
     * Reads the platform from the three system property values, if this backend serves it.
     *
     * @return empty if the OS is not a BSD flavour or the architecture is not one whose layouts were checked
     */
    public static Optional<BsdPlatform> detect(String osName, String osVersion, String osArch) {
        Optional<BsdFlavour> flavour = BsdFlavour.fromOsName(osName);
        Optional<BsdArch> arch = BsdArch.fromOsArch(osArch);
        if (flavour.isEmpty() || arch.isEmpty() || !flavour.get().supports(arch.get())) {
            return Optional.empty();
        }
        return Optional.of(new BsdPlatform(flavour.get(), OsVersion.parse(osVersion), arch.get()));
    }

    /** For messages: "FreeBSD 14.1-RELEASE". */
    public String describe() {
        return flavour.label() + " " + version;
    }
}
