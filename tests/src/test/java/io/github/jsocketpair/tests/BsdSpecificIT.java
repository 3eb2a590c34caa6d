package io.github.jsocketpair.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.jsocketpair.Capabilities;
import io.github.jsocketpair.Domain;
import io.github.jsocketpair.Errno;
import io.github.jsocketpair.SocketFlag;
import io.github.jsocketpair.SocketPair;
import io.github.jsocketpair.SocketPairException;
import io.github.jsocketpair.SocketType;
import java.util.EnumSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIf;

/** What the BSD backend promises beyond the contracts, on the real kernel of the flavour this JVM runs on. */
@EnabledIf("io.github.jsocketpair.tests.BsdTarget#supported")
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class BsdSpecificIT {
    private final BsdTarget target = BsdTarget.get();
    private final NativeNumbers n = target.numbers();

    @Test
    void capabilitiesFitTheFlavour() {
        Capabilities c = SocketPair.platform().capabilities();
        assertEquals(target.backendName(), SocketPair.platform().name(), SocketPair.platform().selection());
        assertEquals(EnumSet.of(Domain.UNIX), c.domains());
        if (target == BsdTarget.MACOS) {
            // No SOCK_SEQPACKET in the local domain and no atomic type flags on macOS (§2.2)
            assertEquals(EnumSet.of(SocketType.STREAM, SocketType.DGRAM), c.types());
            assertEquals(EnumSet.noneOf(SocketFlag.class), c.atomicFlags());
        } else {
            assertEquals(EnumSet.allOf(SocketType.class), c.types());
        }
        if (n.sockNonblock() != 0) {
            // The bits are header-verified here (§2.2): the backend must use them, not the fcntl fallback.
            assertTrue(c.atomicFlags().containsAll(EnumSet.of(SocketFlag.NONBLOCK, SocketFlag.CLOEXEC)),
                    c.atomicFlags().toString());
        }
    }

    /**
     * {@code CLOFORK} as the backend found it when it was created: where it is claimed (OpenBSD 7.8+ from the header,
     * FreeBSD 15+ / NetBSD 11+ only after the run-time proof), a pair opens with it; elsewhere it is refused before any
     * call, naming the flag and the release. The proof's outcome is printed for the CI artifacts.
     */
    @Test
    void cloForkOpensWhereClaimedAndIsRefusedElsewhere() throws Exception {
        Capabilities c = SocketPair.platform().capabilities();
        System.out.println("[jsocketpair] CLOFORK on " + SocketPair.platform().os() + ": " + (c.cloFork() ? "claimed"
                : "not claimed") + "; " + SocketPair.platform().detail());
        Fds.Mark before = Fds.mark();
        if (c.cloFork()) {
            assertTrue(c.atomicFlags().contains(SocketFlag.CLOFORK), c.atomicFlags().toString());
            try (SocketPair p = SocketPair.open(Domain.UNIX, SocketType.STREAM, SocketFlag.CLOFORK,
                    SocketFlag.CLOEXEC)) {
                assertTrue(p.first().isCloseOnExec());
                assertTrue(p.second().isCloseOnExec());
            }
        } else {
            SocketPairException e = assertThrows(SocketPairException.class,
                    () -> SocketPair.open(Domain.UNIX, SocketType.STREAM, SocketFlag.CLOFORK).close());
            assertEquals("socketpair", e.call());
            assertTrue(e.getMessage().contains("CLOFORK") && e.getMessage().contains(SocketPair.platform().os()),
                    e.getMessage());
        }
        before.assertUnchanged("CLOFORK");
    }

    /** TIPC is Linux-only: refused before any call with EAFNOSUPPORT (47 on every BSD, §3), nothing opened. */
    @Test
    void tipcIsRefused() {
        Fds.Mark before = Fds.mark();
        SocketPairException e = assertThrows(SocketPairException.class,
                () -> SocketPair.open(Domain.TIPC, SocketType.SEQPACKET).close());
        assertEquals(Errno.EAFNOSUPPORT, e.errno(), e.getMessage());
        assertEquals(n.errno(Errno.EAFNOSUPPORT), e.nativeErrno());
        assertEquals("socketpair", e.call());
        before.assertUnchanged("refused TIPC");
    }

    /** macOS has no SEQPACKET pairs: refused before the call with what socreate would give, EPROTONOSUPPORT (43). */
    @Test
    void macOsRefusesSeqpacket() {
        assumeTrue(target == BsdTarget.MACOS, "macOS only");
        Fds.Mark before = Fds.mark();
        SocketPairException e = assertThrows(SocketPairException.class,
                () -> SocketPair.open(Domain.UNIX, SocketType.SEQPACKET).close());
        assertEquals(Errno.EPROTONOSUPPORT, e.errno(), e.getMessage());
        assertEquals(n.errno(Errno.EPROTONOSUPPORT), e.nativeErrno());
        assertTrue(e.getMessage().contains("SEQPACKET"), e.getMessage());
        before.assertUnchanged("refused SEQPACKET");
    }
}
