package io.github.jsocketpair.tests;

import io.github.jsocketpair.Errno;
import io.github.jsocketpair.linux.LinuxBackendProvider;
import java.util.Map;

/**
 * The Linux numbers the contracts need, written down from ../shared/reference/native-constants.md (§1, §2, §3), not
 * taken from the backend's tables; and the gate every Linux IT uses: the production provider's own
 * {@code isSupported()}.
 */
final class LinuxTarget {
    private LinuxTarget() {
    }

    /** JUnit {@code @EnabledIf} condition: the Linux provider says it fits this OS and architecture. */
    static boolean supported() {
        return new LinuxBackendProvider().isSupported();
    }

    /** mips swaps SOCK_STREAM and SOCK_DGRAM and has its own SOCK_NONBLOCK and errno table [K4, K12]. */
    static boolean mips() {
        return System.getProperty("os.arch", "").startsWith("mips");
    }

    static NativeNumbers numbers() {
        boolean mips = mips();
        Map<Errno, Integer> errnos = Map.ofEntries(
                Map.entry(Errno.EINVAL, 22), // §3, errno-base: every arch
                Map.entry(Errno.EPIPE, 32),
                Map.entry(Errno.EMFILE, 24),
                Map.entry(Errno.EAGAIN, 11),
                Map.entry(Errno.EBADF, 9),
                Map.entry(Errno.EOPNOTSUPP, mips ? 122 : 95),
                Map.entry(Errno.EAFNOSUPPORT, mips ? 124 : 97),
                Map.entry(Errno.EPROTONOSUPPORT, mips ? 120 : 93),
                Map.entry(Errno.ESOCKTNOSUPPORT, mips ? 121 : 94),
                Map.entry(Errno.ECONNRESET, mips ? 131 : 104),
                Map.entry(Errno.ENOTCONN, mips ? 134 : 107),
                Map.entry(Errno.EMSGSIZE, mips ? 97 : 90),
                // ECONNREFUSED: asm-generic/errno.h 111, arch/mips/include/uapi/asm/errno.h 146
                Map.entry(Errno.ECONNREFUSED, mips ? 146 : 111),
                // EPROTOTYPE: asm-generic/errno.h 91, arch/mips/include/uapi/asm/errno.h 98 (TIPC's answer to SOCK_RAW)
                Map.entry(Errno.EPROTOTYPE, mips ? 98 : 91));
        return new NativeNumbers(1, 2, mips ? 2 : 1, mips ? 1 : 2, 5, mips ? 0x80 : 0x800, 0x80000,
                // An unknown flag bit in the type argument: EINVAL (§1, "unknown bits in the flag part of type").
                0x40000000, Errno.EINVAL,
                // "if (protocol && protocol != PF_UNIX) return -EPROTONOSUPPORT" [K16]
                7, errnos);
    }
}
