package io.github.jsocketpair.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.abort;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.jsocketpair.Domain;
import io.github.jsocketpair.Endpoint;
import io.github.jsocketpair.Errno;
import io.github.jsocketpair.Received;
import io.github.jsocketpair.SocketFlag;
import io.github.jsocketpair.SocketPair;
import io.github.jsocketpair.SocketPairException;
import io.github.jsocketpair.SocketType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code AF_TIPC} pairs, where the platform offers the domain. Without the kernel's {@code tipc} module the open fails
 * with {@code EAFNOSUPPORT}, whose message must say so; the tests are then aborted (skipped), not failed. Run them for
 * real with ../shared/tipcvm and {@code -Dgroups=tipc}.
 */
@Tag("tipc")
@Timeout(value = 2, unit = TimeUnit.MINUTES)
public abstract class TipcContract extends ContractBase {

    /** Opens a TIPC pair, or aborts the test when the kernel has no TIPC. */
    private SocketPair openTipc(SocketType type, SocketFlag... flags) throws IOException {
        assumeTrue(caps().domains().contains(Domain.TIPC), "TIPC is not offered here");
        try {
            return track(SocketPair.open(Domain.TIPC, type, flags));
        } catch (SocketPairException e) {
            if (e.errno() == Errno.EAFNOSUPPORT) {
                assertEquals(numbers().errno(Errno.EAFNOSUPPORT), e.nativeErrno());
                assertTrue(e.getMessage().contains("tipc"), "the message says why: " + e.getMessage());
                abort("AF_TIPC not available: " + e.getMessage());
            }
            throw e;
        }
    }

    @ParameterizedTest
    @EnumSource(SocketType.class)
    void pairsOpenAndCarryData(SocketType type) throws IOException {
        Fds.Mark before = Fds.mark();
        SocketPair p = openTipc(type, SocketFlag.CLOEXEC);
        for (Endpoint e : List.of(p.first(), p.second())) {
            assertEquals(Domain.TIPC, e.domain());
            assertEquals(type, e.type());
            assertTrue(e.isCloseOnExec());
            assertTrue(e.isBlocking());
        }
        byte[] data = bytes(1000, 5);
        assertEquals(data.length, p.first().write(ByteBuffer.wrap(data)));
        ByteBuffer got = ByteBuffer.allocateDirect(4096);
        while (got.position() < data.length) {
            assertTrue(p.second().awaitReadable(scaled(Duration.ofSeconds(10))));
            assertTrue(p.second().read(got) > 0);
        }
        byte[] arr = new byte[data.length];
        got.flip().get(arr);
        assertArrayEquals(data, arr);
        p.second().write(utf8("back"));
        ByteBuffer back = ByteBuffer.allocate(16);
        assertEquals(4, p.first().read(back));
        assertEquals("back", text(back));
        p.close();
        before.assertUnchanged("TIPC pair open and close");
    }

    @ParameterizedTest
    @EnumSource(value = SocketType.class, names = {"DGRAM", "SEQPACKET"})
    void recordBoundariesAndTruncation(SocketType type) throws IOException {
        SocketPair p = openTipc(type);
        p.first().write(ByteBuffer.wrap(bytes(10, 1)));
        p.first().write(ByteBuffer.wrap(bytes(300, 2)));
        p.first().write(utf8("tail"));
        ByteBuffer a = ByteBuffer.allocate(1000);
        Received r = p.second().receive(a);
        assertEquals(10, r.bytes());
        assertFalse(r.truncated());
        ByteBuffer small = ByteBuffer.allocate(100);
        Received t = p.second().receive(small);
        assertEquals(100, t.bytes());
        assertTrue(t.truncated());
        ByteBuffer tail = ByteBuffer.allocate(100);
        assertEquals(4, p.second().read(tail));
        assertEquals("tail", text(tail));
    }

    @ParameterizedTest
    @EnumSource(SocketType.class)
    void nonBlockingFlag(SocketType type) throws IOException {
        SocketPair p = openTipc(type, SocketFlag.NONBLOCK);
        assertFalse(p.first().isBlocking());
        assertFalse(p.second().isCloseOnExec());
        assertEquals(0, p.second().read(ByteBuffer.allocate(8)));
    }
}
