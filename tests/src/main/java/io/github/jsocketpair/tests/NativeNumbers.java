package io.github.jsocketpair.tests;

import io.github.jsocketpair.Errno;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The native numbers a contract needs to reach the kernel through {@code SocketPair.openNative} and to check
 * {@code SocketPairException.nativeErrno()}. Each concrete IT writes them down from the platform's headers (for Linux:
 * ../shared/reference/native-constants.md), never from the backend's own tables, so a wrong table fails a test.
 *
 * @param afUnix {@code AF_UNIX}
 * @param afInet {@code AF_INET}: a real family that has no socketpair
 * @param sockStream {@code SOCK_STREAM}
 * @param sockDgram {@code SOCK_DGRAM}
 * @param sockSeqpacket {@code SOCK_SEQPACKET}
 * @param sockNonblock {@code SOCK_NONBLOCK}, 0 where the OS has none
 * @param sockCloexec {@code SOCK_CLOEXEC}, 0 where the OS has none
 * @param invalidTypeBit a bit in the type argument that the kernel rejects with the errno in {@code errnos}
 * @param invalidTypeErrno what the kernel gives for {@code invalidTypeBit} (and so what a refused flag gives), or
 *     {@code null} where {@link Provoked#INVALID_TYPE_BIT} is not verified
 * @param invalidProtocol a protocol number {@code AF_UNIX} rejects with {@link Errno#EPROTONOSUPPORT}
 * @param errnos the native numbers of the errors the contracts provoke
 * @param unverified the provoked errors whose errno the reference does not give for this OS: the contracts still make
 *     the call and check the general contract, and report the errno the kernel gave
 */
public record NativeNumbers(int afUnix, int afInet, int sockStream, int sockDgram, int sockSeqpacket,
        int sockNonblock, int sockCloexec, int invalidTypeBit, Errno invalidTypeErrno, int invalidProtocol,
        Map<Errno, Integer> errnos, Set<Provoked> unverified) {

    /**
     * The errors the contracts provoke in the kernel on purpose, each with the errno a platform's reference gives for
     * it. Where the reference has none for an OS (not read in its kernel source), the IT lists it as unverified
     * instead of guessing a number.
     */
    public enum Provoked {
        /** {@code socketpair(AF_INET, ...)}: {@link Errno#EOPNOTSUPP} on Linux and macOS. */
        INET_FAMILY,
        /** {@code socketpair(0, ...)}: {@link Errno#EAFNOSUPPORT} on Linux and macOS. */
        UNSPEC_FAMILY,
        /** {@code socketpair(AF_UNIX, SOCK_STREAM, invalidProtocol)}: {@link Errno#EPROTONOSUPPORT} on Linux. */
        INVALID_PROTOCOL,
        /** {@code socketpair(AF_UNIX, SOCK_STREAM | invalidTypeBit, 0)}: {@code invalidTypeErrno}. */
        INVALID_TYPE_BIT
    }

    /** Copies the errno map and the unverified set. */
    public NativeNumbers {
        unverified = unverified.isEmpty() ? EnumSet.noneOf(Provoked.class) : EnumSet.copyOf(unverified);
        if (invalidTypeErrno == null && !unverified.contains(Provoked.INVALID_TYPE_BIT)) {
            throw new NullPointerException("invalidTypeErrno (null only where INVALID_TYPE_BIT is unverified)");
        }
        errnos = new EnumMap<>(errnos);
    }

    /**
     * Creates numbers whose provoked errors are all verified (Linux: each was run on the real kernel).
     *
     * @param afUnix {@code AF_UNIX}
     * @param afInet {@code AF_INET}
     * @param sockStream {@code SOCK_STREAM}
     * @param sockDgram {@code SOCK_DGRAM}
     * @param sockSeqpacket {@code SOCK_SEQPACKET}
     * @param sockNonblock {@code SOCK_NONBLOCK}, 0 where the OS has none
     * @param sockCloexec {@code SOCK_CLOEXEC}, 0 where the OS has none
     * @param invalidTypeBit a type bit the kernel rejects
     * @param invalidTypeErrno what the kernel gives for it
     * @param invalidProtocol a protocol {@code AF_UNIX} rejects
     * @param errnos the native numbers of the errors the contracts provoke
     */
    public NativeNumbers(int afUnix, int afInet, int sockStream, int sockDgram, int sockSeqpacket, int sockNonblock,
            int sockCloexec, int invalidTypeBit, Errno invalidTypeErrno, int invalidProtocol,
            Map<Errno, Integer> errnos) {
        this(afUnix, afInet, sockStream, sockDgram, sockSeqpacket, sockNonblock, sockCloexec, invalidTypeBit,
                invalidTypeErrno, invalidProtocol, errnos, Set.of());
    }

    /**
     * Tells whether the errno for {@code p} was verified for this OS.
     *
     * @param p the provoked error
     * @return {@code false} if the IT listed it as unverified
     */
    public boolean verified(Provoked p) {
        return !unverified.contains(p);
    }

    /**
     * Tells whether the IT wrote down the native number of {@code e}.
     *
     * @param e the portable name
     * @return {@code true} if {@link #errno(Errno)} knows it
     */
    public boolean knows(Errno e) {
        return errnos.containsKey(e);
    }

    /**
     * Returns the native number of {@code e}.
     *
     * @param e the portable name
     * @return the number the kernel of this platform gives
     * @throws IllegalArgumentException if the IT did not write it down
     */
    public int errno(Errno e) {
        Integer n = errnos.get(e);
        if (n == null) {
            throw new IllegalArgumentException("no native number written down for " + e);
        }
        return n;
    }
}
