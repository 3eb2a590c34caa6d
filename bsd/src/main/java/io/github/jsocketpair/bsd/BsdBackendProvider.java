package io.github.jsocketpair.bsd;

import io.github.jsocketpair.bsd.jna.BsdLibc;
import io.github.jsocketpair.spi.Backend;
import io.github.jsocketpair.spi.BackendProvider;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * What the five BSD providers share: the decision from {@code os.name}/{@code os.version}/{@code os.arch} alone, and
 * {@link #create()}, which loads JNA, builds the flavour's backend and probes it. A JNA that cannot load is explained:
 * JNA's jar has no {@code libjnidispatch} for NetBSD (nor for OpenBSD on aarch64), and the one it ships for OpenBSD
 * x86-64 does not load on OpenBSD 7.8 (JNA issue #1709); the message says how to use the system's JNA instead.
 */
public abstract class BsdBackendProvider implements BackendProvider {
    private final BsdFlavour flavour;
    private final UnaryOperator<String> properties;
    private final Function<BsdPlatform, BsdLibc> loader;

    BsdBackendProvider(BsdFlavour flavour) {
        this(flavour, System::getProperty, p -> BsdLibc.load(p.flavour()));
    }

    /** The test seam: system properties and the binding loader are injected. */
    BsdBackendProvider(BsdFlavour flavour, UnaryOperator<String> properties, Function<BsdPlatform, BsdLibc> loader) {
        this.flavour = Objects.requireNonNull(flavour, "flavour");
        this.properties = Objects.requireNonNull(properties, "properties");
        this.loader = Objects.requireNonNull(loader, "loader");
    }

    @Override
    public final String name() {
        return flavour.backendName();
    }

    @Override
    public final int priority() {
        return 100;
    }

    /** The platform, if it is this provider's flavour on a supported architecture. */
    final Optional<BsdPlatform> platform() {
        return BsdPlatform.detect(properties.apply("os.name"), properties.apply("os.version"),
                properties.apply("os.arch")).filter(p -> p.flavour() == flavour);
    }

    @Override
    public final boolean isSupported() {
        return platform().isPresent();
    }

    @Override
    public final String unsupportedReason() {
        String os = properties.apply("os.name");
        if (BsdFlavour.fromOsName(os).filter(f -> f == flavour).isEmpty()) {
            return "not for " + os;
        }
        return "unsupported architecture " + properties.apply("os.arch") + " on " + flavour.label()
                + " (supported: " + flavour.archList() + ")";
    }

    @Override
    public final Backend create() {
        BsdPlatform p = platform().orElseThrow(() -> new UnsupportedOperationException(name() + ": "
                + unsupportedReason()));
        BsdBackend backend;
        try {
            backend = BsdBackend.create(loader.apply(p), p);
        } catch (LinkageError e) {
            throw new UnsupportedOperationException(jnaFailure(p, e), e);
        }
        return backend.probe();
    }

    private static final String OPENBSD_PORT = "the jna package of OpenBSD ports (java/jna; pkg_add jna, and "
            + "pkg_info -L jna lists its files)";

    private static String useSystemJna(String where) {
        return " Use the system's JNA native library instead, " + where + ", of the same version as the JNA jar on "
                + "the class path (JNA checks it): start Java with -Djna.boot.library.path=<the directory that holds "
                + "its libjnidispatch.so>.";
    }

    /** Explains a JNA that cannot load on {@code p}, with the way out. */
    static String jnaFailure(BsdPlatform p, Throwable e) {
        String why = switch (p.flavour()) {
            case NETBSD -> "JNA ships no libjnidispatch for NetBSD (of the BSDs, its jar has native parts for "
                    + "FreeBSD, OpenBSD and DragonFly only)." + useSystemJna("built from JNA's sources ('ant native') or from a "
                    + "NetBSD package");
            case OPENBSD -> p.arch() == BsdArch.AARCH64
                    ? "JNA ships no libjnidispatch for OpenBSD on aarch64 (only openbsd-x86 and openbsd-x86-64)."
                            + useSystemJna(OPENBSD_PORT)
                    : p.version().atLeast(7, 8)
                            ? "the libjnidispatch.so that JNA's jar ships for OpenBSD was built before OpenBSD 7.8 "
                                    + "and does not load on " + p.describe() + " (undefined symbol '__sF'; JNA issue "
                                    + "#1709)." + useSystemJna(OPENBSD_PORT)
                            : "JNA's native part for OpenBSD did not load." + useSystemJna(OPENBSD_PORT);
            default -> "JNA's native part did not load on " + p.describe() + "; -Djna.debug_load=true shows where JNA "
                    + "looked, and -Djna.boot.library.path=<directory> points it at another libjnidispatch.";
        };
        return p.flavour().backendName() + ": cannot load libc through JNA: " + why + " Cause: " + e;
    }
}
