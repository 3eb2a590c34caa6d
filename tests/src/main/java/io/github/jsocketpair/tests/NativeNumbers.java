package io.github.jsocketpair.tests;

import io.github.jsocketpair.Errno;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

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
 * @param invalidTypeErrno what the kernel gives for {@code invalidTypeBit}
 * @param invalidProtocol a protocol number {@code AF_UNIX} rejects with {@link Errno#EPROTONOSUPPORT}
 * @param errnos the native numbers of the errors the contracts provoke
 */
public record NativeNumbers(int afUnix, int afInet, int sockStream, int sockDgram, int sockSeqpacket,
        int sockNonblock, int sockCloexec, int invalidTypeBit, Errno invalidTypeErrno, int invalidProtocol,
        Map<Errno, Integer> errnos) {

    /** Copies the errno map. */
    public NativeNumbers {
        Objects.requireNonNull(invalidTypeErrno, "invalidTypeErrno");
        errnos = new EnumMap<>(errnos);
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
