package io.github.jsocketpair.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.jsocketpair.Endpoint;
import io.github.jsocketpair.Errno;
import io.github.jsocketpair.MessageFlag;
import io.github.jsocketpair.Received;
import io.github.jsocketpair.SocketFlag;
import io.github.jsocketpair.SocketPair;
import io.github.jsocketpair.SocketPairException;
import io.github.jsocketpair.SocketType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Messages and their edges: record boundaries, truncation, {@code PEEK}, {@code WAITALL}, end of stream after
 * {@code shutdownOutput} and after the peer's close, {@code EPIPE}, and the non-blocking would-block results
 * ({@code 0} from {@code read}/{@code write}/{@code send}, {@code null} from {@code receive}).
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
public abstract class MessageContract extends ContractBase {

    private SocketPair recordPair(SocketType type) throws IOException {
        assumeTrue(caps().types().contains(type), type + " is not offered here");
        return open(type, SocketFlag.CLOEXEC);
    }

    @ParameterizedTest
    @EnumSource(value = SocketType.class, names = {"DGRAM", "SEQPACKET"})
    void recordBoundariesAreKept(SocketType type) throws IOException {
        SocketPair p = recordPair(type);
        int[] sizes = {1, 300, 5000, 2};
        for (int i = 0; i < sizes.length; i++) {
            ByteBuffer src = i % 2 == 0 ? ByteBuffer.wrap(bytes(sizes[i], i))
                    : ByteBuffer.allocateDirect(sizes[i]).put(bytes(sizes[i], i)).flip();
            assertEquals(sizes[i], p.first().write(src));
        }
        for (int i = 0; i < sizes.length; i++) {
            ByteBuffer dst = i % 2 == 0 ? ByteBuffer.allocateDirect(8192) : ByteBuffer.allocate(8192);
            Received r;
            if (i < 2) {
                r = p.second().receive(dst);
                assertNotNull(r);
                assertEquals(sizes[i], r.bytes(), "record " + i);
                assertFalse(r.truncated());
                assertFalse(r.controlTruncated());
                assertTrue(r.descriptors().isEmpty());
            } else {
                assertEquals(sizes[i], p.second().read(dst), "record " + i);
            }
            byte[] got = new byte[sizes[i]];
            dst.flip().get(got);
            assertArrayEquals(bytes(sizes[i], i), got, "record " + i);
        }
    }

    @ParameterizedTest
    @EnumSource(value = SocketType.class, names = {"DGRAM", "SEQPACKET"})
    void truncationIsReportedAndTheRestDiscarded(SocketType type) throws IOException {
        SocketPair p = recordPair(type);
        byte[] big = bytes(100, 7);
        p.first().write(ByteBuffer.wrap(big));
        p.first().write(utf8("next"));
        p.first().write(ByteBuffer.wrap(big));
        p.first().write(utf8("last"));

        ByteBuffer heap = ByteBuffer.allocate(10);
        Received r = p.second().receive(heap);
        assertEquals(10, r.bytes());
        assertTrue(r.truncated(), "MSG_TRUNC");
        assertArrayEquals(Arrays.copyOf(big, 10), Arrays.copyOf(heap.array(), 10));
        ByteBuffer rest = ByteBuffer.allocate(64);
        Received next = p.second().receive(rest);
        assertEquals(4, next.bytes());
        assertFalse(next.truncated());
        assertEquals("next", text(rest));

        // Direct buffer, and read(): the rest of the record is gone as well.
        ByteBuffer direct = ByteBuffer.allocateDirect(16);
        assertEquals(16, p.second().read(direct));
        ByteBuffer last = ByteBuffer.allocateDirect(64);
        assertEquals(4, p.second().read(last));
        assertEquals("last", text(last));
    }

    @Test
    void streamsAreNeverTruncated() throws IOException {
        SocketPair p = open(SocketType.STREAM);
        p.first().write(ByteBuffer.wrap(bytes(100, 1)));
        ByteBuffer small = ByteBuffer.allocate(10);
        Received r = p.second().receive(small);
        assertEquals(10, r.bytes());
        assertFalse(r.truncated());
        ByteBuffer rest = ByteBuffer.allocate(200);
        assertEquals(90, p.second().read(rest));
        assertArrayEquals(Arrays.copyOfRange(bytes(100, 1), 10, 100), Arrays.copyOf(rest.array(), 90));
    }

    @ParameterizedTest
    @EnumSource(SocketType.class)
    void peekLeavesTheDataQueued(SocketType type) throws IOException {
        assumeTrue(caps().types().contains(type));
        SocketPair p = open(type);
        p.first().write(utf8("hello"));
        ByteBuffer peek = ByteBuffer.allocateDirect(32);
        Received r = p.second().receive(peek, MessageFlag.PEEK);
        assertEquals(5, r.bytes());
        assertEquals("hello", text(peek));
        ByteBuffer again = ByteBuffer.allocate(32);
        assertEquals(5, p.second().receive(again, MessageFlag.PEEK).bytes());
        ByteBuffer take = ByteBuffer.allocate(32);
        assertEquals(5, p.second().receive(take).bytes());
        assertEquals("hello", text(take));
        assertNull(p.second().receive(ByteBuffer.allocate(32), MessageFlag.DONTWAIT), "queue is empty now");
    }

    @Test
    void waitAllWaitsForTheWholeBuffer() throws Exception {
        SocketPair p = open(SocketType.STREAM);
        byte[] data = bytes(1000, 3);
        CompletableFuture<Void> writer = async(() -> {
            for (int i = 0; i < 10; i++) {
                Thread.sleep(20);
                p.first().write(ByteBuffer.wrap(data, i * 100, 100));
            }
            return null;
        });
        ByteBuffer dst = ByteBuffer.allocate(1000);
        Received r = assertTimeoutPreemptively(scaled(Duration.ofSeconds(10)),
                () -> p.second().receive(dst, MessageFlag.WAITALL));
        assertEquals(1000, r.bytes(), "one call returned the whole buffer");
        assertArrayEquals(data, dst.array());
        writer.get(10, TimeUnit.SECONDS);
    }

    @ParameterizedTest
    @EnumSource(value = SocketType.class, names = {"STREAM", "SEQPACKET"})
    void endOfStreamAfterShutdownOutput(SocketType type) throws IOException {
        assumeTrue(caps().types().contains(type));
        SocketPair p = open(type);
        p.first().write(utf8("x"));
        p.first().shutdownOutput();
        ByteBuffer b = ByteBuffer.allocate(8);
        assertEquals(1, p.second().read(b));
        assertEquals(-1, p.second().read(ByteBuffer.allocate(8)));
        Received r = p.second().receive(ByteBuffer.allocateDirect(8));
        assertTrue(r.isEndOfStream());
        assertEquals(-1, r.bytes());
        assertEquals(-1, p.second().inputStream().read());
        assertEquals(-1, p.second().read(new ByteBuffer[] {ByteBuffer.allocate(4), ByteBuffer.allocateDirect(4)}));
        // The other direction still works.
        p.second().write(utf8("back"));
        ByteBuffer back = ByteBuffer.allocate(8);
        assertEquals(4, p.first().read(back));
        // Writing after our own shutdown: EPIPE.
        SocketPairException e = assertThrows(SocketPairException.class, () -> p.first().write(utf8("y")));
        assertEquals(Errno.EPIPE, e.errno(), e.getMessage());
    }

    @ParameterizedTest
    @EnumSource(value = SocketType.class, names = {"STREAM", "SEQPACKET"})
    void endOfStreamAfterPeerClose(SocketType type) throws IOException {
        assumeTrue(caps().types().contains(type));
        SocketPair p = open(type);
        p.first().write(utf8("bye"));
        p.first().close();
        ByteBuffer b = ByteBuffer.allocateDirect(8);
        assertEquals(3, p.second().read(b));
        assertEquals("bye", text(b));
        assertEquals(-1, p.second().read(ByteBuffer.allocate(8)));
        assertTrue(p.second().receive(ByteBuffer.allocate(8)).isEndOfStream());
        assertEquals(-1, p.second().inputStream().read(new byte[4]));
    }

    @ParameterizedTest
    @EnumSource(value = SocketType.class, names = {"STREAM", "SEQPACKET"})
    void writingToAClosedPeerIsEpipe(SocketType type) throws IOException {
        assumeTrue(caps().types().contains(type));
        SocketPair p = open(type);
        p.second().close();
        Endpoint a = p.first();
        for (ThrowingCall call : new ThrowingCall[] {
                () -> a.write(utf8("x")),
                () -> a.write(ByteBuffer.allocateDirect(3)),
                () -> a.send(utf8("x")),
                () -> a.write(new ByteBuffer[] {utf8("a"), ByteBuffer.allocateDirect(2)}),
                () -> a.outputStream().write(new byte[] {1, 2})}) {
            SocketPairException e = assertThrows(SocketPairException.class, call::run);
            assertEquals(Errno.EPIPE, e.errno(), e.getMessage());
            assertEquals(numbers().errno(Errno.EPIPE), e.nativeErrno());
            assertTrue(e.getMessage().contains("EPIPE"), e.getMessage());
        }
    }

    /** A datagram peer that is gone refuses the datagram; on Linux that is ECONNREFUSED. Never a signal. */
    @Test
    void sendingToAClosedDatagramPeerFails() throws IOException {
        assumeTrue(caps().types().contains(SocketType.DGRAM));
        SocketPair p = open(SocketType.DGRAM);
        p.second().close();
        SocketPairException e = assertThrows(SocketPairException.class, () -> p.first().write(utf8("x")));
        assertTrue(Set.of(Errno.ECONNREFUSED, Errno.ENOTCONN, Errno.EPIPE, Errno.ECONNRESET).contains(e.errno()),
                e.getMessage());
        assertEquals(numbers().errno(e.errno()), e.nativeErrno(), e.getMessage());
    }

    @ParameterizedTest
    @EnumSource(SocketType.class)
    void wouldBlockIsZeroOrNullWhenNonBlocking(SocketType type) throws IOException {
        assumeTrue(caps().types().contains(type));
        SocketPair p = open(type, SocketFlag.NONBLOCK);
        Endpoint a = p.first();
        Endpoint b = p.second();
        ByteBuffer heap = ByteBuffer.allocate(64);
        ByteBuffer direct = ByteBuffer.allocateDirect(64);
        assertEquals(0, b.read(heap));
        assertEquals(0, b.read(direct));
        assertEquals(0, b.read(new ByteBuffer[] {heap, direct}));
        assertNull(b.receive(heap));
        assertNull(b.receive(direct));
        assertEquals(0, heap.position());
        assertEquals(0, direct.position());

        fill(a, 1024);
        ByteBuffer src = ByteBuffer.allocate(1024);
        assertEquals(0, a.write(src));
        assertEquals(0, src.position());
        ByteBuffer dsrc = ByteBuffer.allocateDirect(1024);
        assertEquals(0, a.write(dsrc));
        assertEquals(0, a.send(dsrc));
        assertEquals(0, dsrc.position());
        ByteBuffer[] srcs = {ByteBuffer.allocate(512), ByteBuffer.allocateDirect(512)};
        assertEquals(0, a.write(srcs));
        assertEquals(0, srcs[0].position());
        assertEquals(0, srcs[1].position());
    }

    @ParameterizedTest
    @EnumSource(SocketType.class)
    void dontWaitOnABlockingEndpoint(SocketType type) throws IOException {
        assumeTrue(caps().types().contains(type));
        SocketPair p = open(type);
        assertTrue(p.second().isBlocking());
        assertNull(p.second().receive(ByteBuffer.allocate(8), MessageFlag.DONTWAIT));
        fill(p.first(), 1024);
        assertEquals(0, p.first().send(ByteBuffer.allocate(1024), MessageFlag.DONTWAIT));
        assertTrue(p.first().isBlocking(), "DONTWAIT changes no mode");
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void switchingToNonBlockingTakesEffect(boolean direct) throws IOException {
        SocketPair p = open(SocketType.STREAM);
        p.second().configureBlocking(false);
        ByteBuffer b = direct ? ByteBuffer.allocateDirect(8) : ByteBuffer.allocate(8);
        assertEquals(0, p.second().read(b));
        assertNull(p.second().receive(b));
        p.second().configureBlocking(true);
        p.first().write(utf8("ok"));
        assertEquals(2, p.second().read(b));
    }

    @Test
    void flagDirectionIsChecked() throws IOException {
        SocketPair p = open(caps().types().contains(SocketType.SEQPACKET) ? SocketType.SEQPACKET : SocketType.DGRAM);
        assertThrows(IllegalArgumentException.class, () -> p.first().send(utf8("x"), MessageFlag.PEEK));
        assertThrows(IllegalArgumentException.class, () -> p.first().send(utf8("x"), MessageFlag.WAITALL));
        assertThrows(IllegalArgumentException.class,
                () -> p.second().receive(ByteBuffer.allocate(4), MessageFlag.EOR));
        assertThrows(IllegalArgumentException.class,
                () -> p.second().receive(ByteBuffer.allocate(4).asReadOnlyBuffer()));
        assertThrows(IllegalArgumentException.class, () -> p.second().read(ByteBuffer.allocate(4).asReadOnlyBuffer()));
        assertThrows(NullPointerException.class, () -> p.first().send(null));
        assertThrows(NullPointerException.class, () -> p.first().send(utf8("x"), (MessageFlag) null));
    }

    /** A call that may throw, for tables of calls. */
    @FunctionalInterface
    protected interface ThrowingCall {
        /**
         * Runs the call.
         *
         * @throws Exception whatever it throws
         */
        void run() throws Exception;
    }
}
