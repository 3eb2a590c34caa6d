package io.github.jsocketpair.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.jsocketpair.Endpoint;
import io.github.jsocketpair.PeerCredentials;
import io.github.jsocketpair.SocketFlag;
import io.github.jsocketpair.SocketPair;
import io.github.jsocketpair.SocketType;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Per-endpoint settings and queries: blocking mode and close-on-exec as the kernel reports them, read timeouts,
 * readiness waits, socket buffer sizes, and the peer's credentials (this very process).
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
public abstract class OptionsContract extends ContractBase {
    private static final Duration TIMEOUT = Duration.ofMillis(150);

    @Test
    void blockingModeFollowsConfigureBlocking() throws IOException {
        Endpoint e = open(SocketType.STREAM).first();
        assertTrue(e.isBlocking());
        assertSame(e, e.configureBlocking(false));
        assertFalse(e.isBlocking());
        e.configureBlocking(false);
        assertFalse(e.isBlocking());
        e.configureBlocking(true);
        assertTrue(e.isBlocking());
    }

    @Test
    void closeOnExecFollowsSetCloseOnExec() throws IOException {
        SocketPair p = open(SocketType.DGRAM);
        Endpoint e = p.first();
        assertFalse(e.isCloseOnExec());
        e.setCloseOnExec(true);
        assertTrue(e.isCloseOnExec());
        assertFalse(p.second().isCloseOnExec(), "the flag belongs to one descriptor");
        e.setCloseOnExec(false);
        assertFalse(e.isCloseOnExec());
    }

    @ParameterizedTest
    @EnumSource(value = SocketType.class)
    void readTimeoutRaisesSocketTimeoutException(SocketType type) throws IOException {
        assumeTrue(caps().types().contains(type));
        Endpoint e = open(type).second();
        assertEquals(Duration.ZERO, e.readTimeout());
        e.setReadTimeout(TIMEOUT);
        assertEquals(TIMEOUT, e.readTimeout());
        MessageContract.ThrowingCall[] calls = {
            () -> e.read(ByteBuffer.allocate(8)),
            () -> e.read(ByteBuffer.allocateDirect(8)),
            () -> e.receive(ByteBuffer.allocate(8)),
            () -> e.read(new ByteBuffer[] {ByteBuffer.allocate(4), ByteBuffer.allocateDirect(4)}),
            () -> e.inputStream().read(),
            () -> e.inputStream().read(new byte[8]),
        };
        for (int i = 0; i < calls.length; i++) {
            int k = i;
            long t0 = System.nanoTime();
            assertTimeoutPreemptively(scaled(Duration.ofSeconds(10)),
                    () -> assertThrows(SocketTimeoutException.class, calls[k]::run, "call " + k));
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(ms >= TIMEOUT.toMillis() - 10, "call " + k + " gave up after " + ms + " ms");
        }
    }

    @Test
    void readTimeoutLetsDataThrough() throws IOException {
        SocketPair p = open(SocketType.STREAM);
        p.second().setReadTimeout(Duration.ofSeconds(30));
        p.first().write(utf8("data"));
        ByteBuffer b = ByteBuffer.allocate(8);
        assertEquals(4, assertTimeoutPreemptively(scaled(Duration.ofSeconds(5)), () -> p.second().read(b)));
        p.second().setReadTimeout(Duration.ZERO);
        assertEquals(Duration.ZERO, p.second().readTimeout());
        p.first().write(utf8("more"));
        assertEquals(4, p.second().read(ByteBuffer.allocate(8)));
        assertThrows(IllegalArgumentException.class, () -> p.second().setReadTimeout(Duration.ofMillis(-1)));
        assertThrows(NullPointerException.class, () -> p.second().setReadTimeout(null));
    }

    @Test
    void awaitReadable() throws IOException {
        SocketPair p = open(SocketType.STREAM);
        Endpoint r = p.second();
        assertFalse(r.awaitReadable(Duration.ZERO));
        long t0 = System.nanoTime();
        assertFalse(r.awaitReadable(TIMEOUT));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(ms >= TIMEOUT.toMillis() - 10, "waited " + ms + " ms");
        p.first().write(utf8("x"));
        assertTrue(r.awaitReadable(scaled(Duration.ofSeconds(5))));
        assertTrue(r.awaitReadable(Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> r.awaitReadable(Duration.ofSeconds(-1)));
        assertThrows(NullPointerException.class, () -> r.awaitReadable(null));
        // End of stream is readable too: the read will report it.
        r.read(ByteBuffer.allocate(4));
        p.first().shutdownOutput();
        assertTrue(r.awaitReadable(scaled(Duration.ofSeconds(5))));
    }

    @Test
    void awaitWritable() throws Exception {
        SocketPair p = open(SocketType.STREAM, SocketFlag.NONBLOCK);
        Endpoint w = p.first();
        assertTrue(w.awaitWritable(Duration.ZERO));
        assertTrue(w.awaitWritable(TIMEOUT));
        fill(w, 4096);
        assertFalse(w.awaitWritable(Duration.ZERO));
        assertFalse(w.awaitWritable(TIMEOUT));
        var drained = async(() -> {
            ByteBuffer b = ByteBuffer.allocateDirect(1 << 16);
            long total = 0;
            for (int i = 0; i < 64; i++) {
                b.clear();
                total += Math.max(0, p.second().read(b));
            }
            return total;
        });
        assertTrue(w.awaitWritable(scaled(Duration.ofSeconds(10))), "writable once the peer reads");
        assertTrue(drained.get(scaled(Duration.ofSeconds(10)).toMillis(), TimeUnit.MILLISECONDS) > 0);
        assertThrows(IllegalArgumentException.class, () -> w.awaitWritable(Duration.ofSeconds(-1)));
    }

    @Test
    void bufferSizes() throws IOException {
        Endpoint e = open(SocketType.STREAM).first();
        assertTrue(e.sendBufferSize() > 0);
        assertTrue(e.receiveBufferSize() > 0);
        e.setSendBufferSize(8192);
        int small = e.sendBufferSize();
        assertTrue(small >= 8192, "asked 8192, got " + small);
        e.setSendBufferSize(65536);
        int large = e.sendBufferSize();
        assertTrue(large >= 65536 && large > small, "asked 65536, got " + large + " (after " + small + ")");
        e.setReceiveBufferSize(16384);
        int rsmall = e.receiveBufferSize();
        assertTrue(rsmall >= 16384, "asked 16384, got " + rsmall);
        e.setReceiveBufferSize(100_000);
        assertTrue(e.receiveBufferSize() > rsmall);
        assertThrows(IllegalArgumentException.class, () -> e.setSendBufferSize(0));
        assertThrows(IllegalArgumentException.class, () -> e.setReceiveBufferSize(-1));
    }

    /**
     * Tells whether the platform records peer credentials for pairs of {@code type}; Linux does for every type.
     *
     * @param type the socket type
     * @return {@code true} if {@link Endpoint#peerCredentials()} must work
     */
    protected boolean peerCredentialsFor(SocketType type) {
        return true;
    }

    @ParameterizedTest
    @EnumSource(SocketType.class)
    void peerCredentialsAreThisProcess(SocketType type) throws IOException {
        assumeTrue(caps().types().contains(type) && caps().peerCredentials() && peerCredentialsFor(type));
        long uid = Long.parseLong(TestEnv.run(List.of("id", "-u"), scaled(Duration.ofSeconds(30))).output().trim());
        long gid = Long.parseLong(TestEnv.run(List.of("id", "-g"), scaled(Duration.ofSeconds(30))).output().trim());
        SocketPair p = open(type);
        for (Endpoint e : List.of(p.first(), p.second())) {
            PeerCredentials c = e.peerCredentials();
            assertEquals(uid, c.uid(), "uid");
            assertEquals(gid, c.gid(), "gid");
            if (caps().peerPid()) {
                assertEquals(ProcessHandle.current().pid(), c.pid().orElseThrow(), "pid");
            }
        }
    }

    @Test
    void shutdownInputEndsReading() throws IOException {
        SocketPair p = open(SocketType.STREAM);
        p.second().shutdownInput();
        assertEquals(-1, p.second().read(ByteBuffer.allocate(4)));
    }
}
