package io.github.jsocketpair.tests;

import io.github.jsocketpair.Errno;
import io.github.jsocketpair.SocketType;
import io.github.jsocketpair.bsd.DragonFlyBackendProvider;
import io.github.jsocketpair.bsd.FreeBsdBackendProvider;
import io.github.jsocketpair.bsd.MacOsBackendProvider;
import io.github.jsocketpair.bsd.NetBsdBackendProvider;
import io.github.jsocketpair.bsd.OpenBsdBackendProvider;
import io.github.jsocketpair.spi.BackendProvider;
import io.github.jsocketpair.tests.NativeNumbers.Provoked;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The BSD flavours the contracts run on: for each, the numbers they need, written down from
 * ../shared/reference/native-constants.md (§1, §2, §3), not taken from the bsd module's tables; and the gate every BSD
 * IT uses: the production provider's own {@code isSupported()}, so on Linux every BSD IT is skipped.
 *
 * <p>Where the reference gives no errno for a provoked error on a flavour (socketpair(AF_INET), an unknown family, an
 * unknown type bit or protocol: UNVERIFIED in §1 for FreeBSD, NetBSD, OpenBSD and DragonFly), the flavour lists it as
 * unverified instead of guessing: the contract then checks the general contract and reports what the kernel gave.
 */
enum BsdTarget {
    FREEBSD("freebsd", FreeBsdBackendProvider::new, FreeBsdBackendProvider.class,
            // SOCK_NONBLOCK 0x20000000, SOCK_CLOEXEC 0x10000000 [FB-sock] (§2.2)
            numbers(0x20000000, 0x10000000),
            // FreeBSD fills the peer's credentials for STREAM and SEQPACKET socketpairs, not DGRAM (§10 item 8)
            EnumSet.of(SocketType.STREAM, SocketType.SEQPACKET)),
    NETBSD("netbsd", NetBsdBackendProvider::new, NetBsdBackendProvider.class,
            numbers(0x20000000, 0x10000000), // [NB-sock] (§2.2)
            // LOCAL_PEEREID answered on STREAM and SEQPACKET pairs, EINVAL on DGRAM (§12.2, NetBSD 7.99 run for
            // real); the backend claims the capability only if its probe at creation is answered
            EnumSet.of(SocketType.STREAM, SocketType.SEQPACKET)),
    OPENBSD("openbsd", OpenBsdBackendProvider::new, OpenBsdBackendProvider.class,
            numbers(0x4000, 0x8000), // [OB-sock] (§2.2)
            EnumSet.allOf(SocketType.class)),
    DRAGONFLY("dragonfly", DragonFlyBackendProvider::new, DragonFlyBackendProvider.class,
            // SOCK_NONBLOCK 0x20000000, SOCK_CLOEXEC 0x10000000: DragonFly socket.h 36e1dffed7, 4.4+ (§12.1)
            numbers(0x20000000, 0x10000000),
            // No local-domain options on DGRAM sockets (the bsd backend's reading of DragonFly's uipc_usrreq.c)
            EnumSet.of(SocketType.STREAM, SocketType.SEQPACKET)),
    MACOS("macos", MacOsBackendProvider::new, MacOsBackendProvider.class, macNumbers(),
            // unp_connect2 fills unp_peercred for SOCK_STREAM socketpairs only [XN-kern l.1563-1572]
            EnumSet.of(SocketType.STREAM));

    private final String backendName;
    private final Supplier<BackendProvider> provider;
    private final Class<? extends BackendProvider> providerClass;
    private final NativeNumbers numbers;
    private final Set<SocketType> peerCredentialTypes;

    BsdTarget(String backendName, Supplier<BackendProvider> provider, Class<? extends BackendProvider> providerClass,
            NativeNumbers numbers, Set<SocketType> peerCredentialTypes) {
        this.backendName = backendName;
        this.provider = provider;
        this.providerClass = providerClass;
        this.numbers = numbers;
        this.peerCredentialTypes = peerCredentialTypes;
    }

    /** The flavour whose production provider says it fits this OS and architecture, if any. */
    static Optional<BsdTarget> current() {
        for (BsdTarget t : values()) {
            if (t.provider.get().isSupported()) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    /** JUnit {@code @EnabledIf} condition: some BSD provider says it fits this OS and architecture. */
    static boolean supported() {
        return current().isPresent();
    }

    /** The flavour running these tests; only called where {@link #supported()} enabled them. */
    static BsdTarget get() {
        return current().orElseThrow(() -> new IllegalStateException("not a BSD the bsd backend serves"));
    }

    /** The backend name ServiceLoader must pick. */
    String backendName() {
        return backendName;
    }

    /** The provider class ServiceLoader must find. */
    Class<? extends BackendProvider> providerClass() {
        return providerClass;
    }

    /** The flavour's numbers. */
    NativeNumbers numbers() {
        return numbers;
    }

    /** Whether the kernel records peer credentials for socketpairs of {@code type}. */
    boolean peerCredentialsFor(SocketType type) {
        return peerCredentialTypes.contains(type);
    }

    /** errno numbers of §3: one column for FreeBSD, NetBSD, OpenBSD, DragonFly and macOS but for EOPNOTSUPP. */
    private static Map<Errno, Integer> errnos(int eopnotsupp) {
        Map<Errno, Integer> m = new HashMap<>();
        m.put(Errno.EAFNOSUPPORT, 47);
        m.put(Errno.EFAULT, 14);
        m.put(Errno.EMFILE, 24);
        m.put(Errno.ENFILE, 23);
        m.put(Errno.EOPNOTSUPP, eopnotsupp);
        m.put(Errno.EPROTONOSUPPORT, 43);
        m.put(Errno.EPROTOTYPE, 41);
        m.put(Errno.EACCES, 13);
        m.put(Errno.ENOBUFS, 55);
        m.put(Errno.ENOMEM, 12);
        m.put(Errno.EINVAL, 22);
        m.put(Errno.EAGAIN, 35);
        m.put(Errno.EINTR, 4);
        m.put(Errno.EPIPE, 32);
        m.put(Errno.ECONNRESET, 54);
        m.put(Errno.EBADF, 9);
        m.put(Errno.EMSGSIZE, 40);
        m.put(Errno.ENOTCONN, 57);
        m.put(Errno.ESOCKTNOSUPPORT, 44);
        // Not in §3: 61 in the 4.4BSD errno.h every BSD and xnu keep (FreeBSD sys/sys/errno.h, read through the search
        // tool); a datagram to a closed peer may give it (MessageContract.sendingToAClosedDatagramPeerFails).
        m.put(Errno.ECONNREFUSED, 61);
        return m;
    }

    /**
     * FreeBSD, NetBSD, OpenBSD and DragonFly: AF_UNIX 1, AF_INET 2 (§1), SOCK_STREAM 1, SOCK_DGRAM 2, SOCK_SEQPACKET 5
     * (§2.1), EOPNOTSUPP 45 (§3); the errno of every provoked error is UNVERIFIED in §1 for these four.
     */
    private static NativeNumbers numbers(int sockNonblock, int sockCloexec) {
        // 0x01000000: a type bit no BSD in §2.2 uses for a flag (FreeBSD/NetBSD/DragonFly flags sit in 0xf0000000,
        // OpenBSD's in 0x0800-0x8000); what the kernel answers is not in the reference, hence unverified.
        return new NativeNumbers(1, 2, 1, 2, 5, sockNonblock, sockCloexec, 0x01000000, null, 7, errnos(45),
                EnumSet.allOf(Provoked.class));
    }

    /**
     * macOS (§1, §2, §3, xnu-11417): no atomic flag bits; AF_INET is EOPNOTSUPP, which user space sees as 102
     * [XN-kern, XN-errno:253]; an unknown family EAFNOSUPPORT [XN-kern socreate_internal l.653]; unknown type bits
     * find no protosw: EPROTONOSUPPORT [XN-kern l.660]. The reference says nothing of a bad protocol on macOS.
     */
    private static NativeNumbers macNumbers() {
        return new NativeNumbers(1, 2, 1, 2, 5, 0, 0, 0x01000000, Errno.EPROTONOSUPPORT, 7, errnos(102),
                EnumSet.of(Provoked.INVALID_PROTOCOL));
    }
}
