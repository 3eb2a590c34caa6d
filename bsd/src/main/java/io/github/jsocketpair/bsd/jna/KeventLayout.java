package io.github.jsocketpair.bsd.jna;

import io.github.jsocketpair.bsd.BsdFlavour;
import io.github.jsocketpair.bsd.BsdPlatform;
import java.util.Objects;
import java.util.Optional;

/**
 * One flavour's {@code struct kevent} on LP64 (amd64 and arm64 lay it out alike: every field is naturally aligned, and
 * macOS's {@code #pragma pack(4)} moves none of them) and the {@code kqueue} numbers the readiness queue uses. Each
 * flavour's constants class holds its table ({@code KEVENT}), citing the header it was read in. {@code ident}, a
 * {@code uintptr_t}, is the first field on every flavour.
 *
 * @param symbol the libc symbol {@code kevent} is bound to ({@code <sys/event.h>} renames it on NetBSD)
 * @param sizeTCounts whether {@code nchanges}/{@code nevents} are {@code size_t} (NetBSD) rather than {@code int}
 * @param size {@code sizeof(struct kevent)}
 * @param filterOffset offset of {@code filter}
 * @param filterSize its size: 2 ({@code short}) or 4 (NetBSD's {@code uint32_t})
 * @param flagsOffset offset of {@code flags}
 * @param flagsSize its size: 2 ({@code u_short}) or 4 (NetBSD's {@code uint32_t})
 * @param fflagsOffset offset of {@code fflags}
 * @param dataOffset offset of {@code data}
 * @param udataOffset offset of {@code udata}
 * @param evfiltRead {@code EVFILT_READ}
 * @param evfiltWrite {@code EVFILT_WRITE}
 * @param evAdd {@code EV_ADD}
 * @param evDelete {@code EV_DELETE}
 * @param evOneshot {@code EV_ONESHOT}
 * @param evEof {@code EV_EOF}
 * @param evError {@code EV_ERROR}
 */
public record KeventLayout(String symbol, boolean sizeTCounts, int size, int filterOffset, int filterSize,
        int flagsOffset, int flagsSize, int fflagsOffset, int dataOffset, int udataOffset, int evfiltRead,
        int evfiltWrite, int evAdd, int evDelete, int evOneshot, int evEof, int evError) {

    /** Offset of {@code ident} on every flavour. */
    public static final int IDENT_OFFSET = 0;
    /**
     * {@code struct timespec} on every LP64 BSD and macOS: {@code time_t tv_sec} (64-bit on amd64 and arm64 of all
     * five) then {@code long tv_nsec}, 16 bytes.
     */
    public static final int TIMESPEC_SIZE = 16;
    /** Offset of {@code tv_nsec}. */
    public static final int TIMESPEC_NSEC = 8;

    public KeventLayout {
        Objects.requireNonNull(symbol, "symbol");
        if (filterSize != 2 && filterSize != 4 || flagsSize != 2 && flagsSize != 4) {
            throw new IllegalArgumentException("filter and flags are 2 or 4 bytes");
        }
    }

    /**
     * The layout of the running release, or empty where the layout is another one than the table's (FreeBSD before
     * 12, end of life since 2021: its 32-byte {@code struct kevent} was not read); the backend then keeps the
     * {@code poll(2)} readiness queue. NetBSD 11 gets the {@code __kevent50} layout it keeps for older binaries (see
     * {@link NetBsdConstants#KEVENT}).
     *
     * @param p the running system
     * @return its layout, if known
     */
    public static Optional<KeventLayout> of(BsdPlatform p) {
        return Optional.ofNullable(switch (p.flavour()) {
            case FREEBSD -> p.version().atLeast(FreeBsdConstants.KEVENT_SINCE_MAJOR, 0) ? FreeBsdConstants.KEVENT
                    : null;
            case NETBSD -> NetBsdConstants.KEVENT;
            case OPENBSD -> OpenBsdConstants.KEVENT;
            case DRAGONFLY -> DragonFlyConstants.KEVENT;
            case MACOS -> MacOsConstants.KEVENT;
        });
    }

    /**
     * The layout of {@code flavour} at the newest release whose header was read, for tests and the cross-check.
     *
     * @param flavour a flavour
     * @return its layout
     */
    public static KeventLayout newestKnown(BsdFlavour flavour) {
        return switch (flavour) {
            case FREEBSD -> FreeBsdConstants.KEVENT;
            case NETBSD -> NetBsdConstants.KEVENT;
            case OPENBSD -> OpenBsdConstants.KEVENT;
            case DRAGONFLY -> DragonFlyConstants.KEVENT;
            case MACOS -> MacOsConstants.KEVENT;
        };
    }
}
