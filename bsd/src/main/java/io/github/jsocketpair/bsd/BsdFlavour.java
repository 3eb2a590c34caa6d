package io.github.jsocketpair.bsd;

import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * The BSD-derived systems this backend serves, recognised by {@code os.name} as their JDKs report it, with the
 * architectures whose struct layouts were checked against that system's headers.
 */
public enum BsdFlavour {
    FREEBSD("freebsd", "FreeBSD", EnumSet.of(BsdArch.X86_64, BsdArch.AARCH64)),
    NETBSD("netbsd", "NetBSD", EnumSet.of(BsdArch.X86_64, BsdArch.AARCH64)),
    OPENBSD("openbsd", "OpenBSD", EnumSet.of(BsdArch.X86_64, BsdArch.AARCH64)),
    /** Only x86-64: DragonFly runs on nothing else. */
    DRAGONFLY("dragonfly", "DragonFly", EnumSet.of(BsdArch.X86_64)),
    MACOS("macos", "macOS", EnumSet.of(BsdArch.X86_64, BsdArch.AARCH64));

    private final String backendName;
    private final String label;
    private final Set<BsdArch> arches;

    BsdFlavour(String backendName, String label, Set<BsdArch> arches) {
        this.backendName = backendName;
        this.label = label;
        this.arches = arches;
    }

    /** The backend name, what {@code -Djsocketpair.backend} takes. */
    public String backendName() {
        return backendName;
    }

    /** The system's own name, for messages. */
    public String label() {
        return label;
    }

    /** Whether this system's layouts are known on {@code arch}. */
    public boolean supports(BsdArch arch) {
        return arches.contains(arch);
    }

    /** The supported architectures, for messages. */
    public String archList() {
        StringBuilder b = new StringBuilder();
        for (BsdArch a : arches) {
            b.append(b.length() == 0 ? "" : ", ").append(a.label());
        }
        return b.toString();
    }

    /**
     * Maps {@code os.name} to a flavour: "FreeBSD", "NetBSD", "OpenBSD", "DragonFlyBSD" and "Mac OS X" are what the
     * JDK (and JNA's {@code Platform}) see on those systems.
     */
    public static Optional<BsdFlavour> fromOsName(String osName) {
        String n = osName == null ? "" : osName.trim();
        if (n.equals("FreeBSD")) {
            return Optional.of(FREEBSD);
        }
        if (n.equals("NetBSD")) {
            return Optional.of(NETBSD);
        }
        if (n.equals("OpenBSD")) {
            return Optional.of(OPENBSD);
        }
        if (n.equals("DragonFlyBSD") || n.equals("DragonFly")) {
            return Optional.of(DRAGONFLY);
        }
        if (n.startsWith("Mac OS") || n.equals("Darwin")) {
            return Optional.of(MACOS);
        }
        return Optional.empty();
    }
}
