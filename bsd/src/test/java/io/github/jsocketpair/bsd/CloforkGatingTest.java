package io.github.jsocketpair.bsd;

import static io.github.jsocketpair.bsd.OpenFlagsTest.assertContains;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;

import io.github.jsocketpair.Capabilities;
import io.github.jsocketpair.Domain;
import io.github.jsocketpair.Errno;
import io.github.jsocketpair.SocketFlag;
import io.github.jsocketpair.SocketPairException;
import io.github.jsocketpair.SocketType;
import java.util.EnumSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code CLOFORK} where the running release lacks {@code SOCK_CLOFORK}, where its value was never read in a header, or
 * where the kernel did not prove it when the backend was created: refused before any native call of {@code open},
 * with the errno that release gives for an unknown type bit (where the kernel source
 * tells) and a message naming the release that has it.
 */
class CloforkGatingTest {

    static Stream<Arguments> refusals() {
        return Stream.of(
                // FreeBSD < 15: kern_socketpair strips CLOEXEC/NONBLOCK only; socreate: EPROTOTYPE for protocol 0
                Arguments.of("FreeBSD", "14.1-RELEASE", 0, Errno.EPROTOTYPE, 41, "exists since FreeBSD 15.0"),
                Arguments.of("FreeBSD", "13.2-RELEASE-p4", 1, Errno.EPROTONOSUPPORT, 43, "exists since FreeBSD 15.0"),
                // FreeBSD 15+, NetBSD 11+: the mock's F_GETFD drops FD_CLOFORK, so the proof fails (CloforkProofTest)
                Arguments.of("FreeBSD", "15.0-RELEASE", 0, Errno.EINVAL, 22, "step 1 failed"),
                Arguments.of("FreeBSD", "16.0-CURRENT", 0, Errno.EINVAL, 22, "did not prove"),
                Arguments.of("NetBSD", "10.0", 0, Errno.EINVAL, 22, "arrives with NetBSD 11"),
                Arguments.of("NetBSD", "10.99.12", 0, Errno.EINVAL, 22, "arrives with NetBSD 11"),
                Arguments.of("NetBSD", "11.0", 0, Errno.EINVAL, 22, "step 1 failed"),
                // OpenBSD < 7.8: sys_socketpair strips CLOEXEC/NONBLOCK only; socreate: EPROTONOSUPPORT
                Arguments.of("OpenBSD", "7.7", 0, Errno.EPROTONOSUPPORT, 43, "exists since OpenBSD 7.8"),
                Arguments.of("OpenBSD", "6.9", 0, Errno.EPROTONOSUPPORT, 43, "exists since OpenBSD 7.8"),
                Arguments.of("DragonFlyBSD", "6.4-RELEASE", 0, Errno.EINVAL, 22, "(6.5)"),
                Arguments.of("DragonFlyBSD", "6.5-DEVELOPMENT", 0, Errno.EINVAL, 22, "has not been verified"),
                // macOS: no SOCK_CLOFORK; an unknown type bit gives EPROTONOSUPPORT
                Arguments.of("Mac OS X", "14.5", 0, Errno.EPROTONOSUPPORT, 43, "macOS has no SOCK_CLOFORK"));
    }

    @ParameterizedTest(name = "{0} {1} protocol {2}")
    @MethodSource("refusals")
    void refusedBeforeAnyNativeCall(String osName, String osVersion, int protocol, Errno errno, int number,
            String says) {
        BsdPlatform p = BsdPlatform.detect(osName, osVersion, "amd64").orElseThrow();
        MockLibc m = new MockLibc();
        BsdBackend b = m.backend(p);
        SocketPairException e = assertThrows(SocketPairException.class, () -> b.open(Domain.UNIX, SocketType.STREAM,
                protocol, EnumSet.of(SocketFlag.CLOFORK, SocketFlag.CLOEXEC)));
        assertEquals(errno, e.errno());
        assertEquals(number, e.nativeErrno());
        assertEquals("socketpair", e.call());
        assertContains(e.getMessage(), says);
        assertContains(e.getMessage(), p.describe());
        verifyNoInteractions(m.libc);
        assertFalse(b.info().capabilities().cloFork(), p.describe());
    }

    @Test
    void openBsd78PassesSockCloforkAtomically() throws Exception {
        MockLibc m = new MockLibc();
        BsdBackend b = m.backend(BsdPlatform.detect("OpenBSD", "7.8", "amd64").orElseThrow());
        b.open(Domain.UNIX, SocketType.SEQPACKET, 0, EnumSet.of(SocketFlag.CLOFORK, SocketFlag.CLOEXEC));
        verify(m.libc).socketpair(eq(1), eq(5 | 0x0800 | 0x8000), eq(0), anyLong());
        Capabilities c = b.info().capabilities();
        assertTrue(c.cloFork());
        assertTrue(c.atomicFlags().contains(SocketFlag.CLOFORK));
    }
}
