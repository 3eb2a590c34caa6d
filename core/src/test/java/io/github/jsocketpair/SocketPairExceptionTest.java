package io.github.jsocketpair;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import org.junit.jupiter.api.Test;

/** The message shape every failure has: call, what was asked, errno number, name, description, and why. */
class SocketPairExceptionTest {

    @Test
    void messageNamesCallDetailNumberNameAndDescription() {
        SocketPairException e = new SocketPairException("socketpair", Errno.EMFILE, 24, "UNIX, STREAM, 0, [CLOEXEC]");
        assertEquals("socketpair(UNIX, STREAM, 0, [CLOEXEC]) failed: errno 24 (EMFILE) Too many open files",
                e.getMessage());
        assertSame(Errno.EMFILE, e.errno());
        assertEquals(24, e.nativeErrno());
        assertEquals("socketpair", e.call());
        assertInstanceOf(IOException.class, e);
    }

    @Test
    void aRefusalAddsTheReason() {
        SocketPairException e = new SocketPairException("socketpair", Errno.EINVAL, 22, "UNIX, STREAM, 0, [CLOFORK]",
                "SocketFlag.CLOFORK is not available on Linux 6.1");
        assertEquals("socketpair(UNIX, STREAM, 0, [CLOFORK]) failed: errno 22 (EINVAL) Invalid argument: "
                + "SocketFlag.CLOFORK is not available on Linux 6.1", e.getMessage());
    }

    @Test
    void unknownErrnoKeepsTheNumber() {
        SocketPairException e = new SocketPairException("recvmsg", Errno.UNKNOWN, 4242, "fd=5, 16 bytes");
        assertEquals("recvmsg(fd=5, 16 bytes) failed: errno 4242 (no name on this platform)", e.getMessage());
        assertEquals(4242, e.nativeErrno());
    }

    @Test
    void detailAndReasonMayBeNull() {
        assertEquals("close() failed: errno 9 (EBADF) Bad file descriptor",
                new SocketPairException("close", Errno.EBADF, 9, null, null).getMessage());
    }

    @Test
    void callAndErrnoAreRequired() {
        assertThrows(NullPointerException.class, () -> new SocketPairException(null, Errno.EBADF, 9, null));
        assertThrows(NullPointerException.class, () -> new SocketPairException("close", null, 9, null));
    }

    @Test
    void everyErrnoHasADescription() {
        for (Errno e : Errno.values()) {
            assertEquals(false, e.description().isBlank(), e.name());
        }
    }
}
