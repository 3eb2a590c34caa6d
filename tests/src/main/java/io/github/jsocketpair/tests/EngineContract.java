package io.github.jsocketpair.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.jsocketpair.Descriptor;
import io.github.jsocketpair.Endpoint;
import io.github.jsocketpair.MessageFlag;
import io.github.jsocketpair.Received;
import io.github.jsocketpair.SocketFlag;
import io.github.jsocketpair.SocketPair;
import io.github.jsocketpair.SocketType;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The I/O engine on platform threads, through the public API: interrupts with the JDK's
 * {@link java.nio.channels.InterruptibleChannel} semantics, close that wakes a blocked call without shutting the
 * socket down for its other holders, one writer and one reader at a time, the write timeout, and the record and
 * WAITALL edges of the data path. Every test that closes or interrupts under a blocked call first waits until the
 * call is really in the wait path ({@link #awaitBlocked}).
 */
public abstract class EngineContract extends ContractBase {
    private static final long LIMIT_MS = 30_000;

    /** What a blocked call ended with: its result or its exception. */
    private static Object outcome(CompletableFuture<Object> f) throws Exception {
        try {
            return f.get(scaled(Duration.ofMillis(LIMIT_MS)).toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        }
    }

    /**
     * The blocking calls an interrupt must end, one per kind of wait (the direct-buffer read and write block in the
     * call itself where the backend can wake them there, Linux; the others wait in poll(2) or on the poller).
     */
    enum Blocking {
        READ, READ_DIRECT, SCATTERING_READ, RECEIVE, RECEIVE_BATCH, AWAIT_READABLE, INPUT_STREAM, WRITE, WRITE_DIRECT,
        OUTPUT_STREAM, SEND_DESCRIPTORS
    }

    private static Object call(Blocking kind, SocketPair p, Endpoint spare) throws Exception {
        Endpoint e = p.second();
        return switch (kind) {
            case READ -> e.read(ByteBuffer.allocate(8));
            case READ_DIRECT -> e.read(ByteBuffer.allocateDirect(8));
            case SCATTERING_READ -> e.read(new ByteBuffer[] {ByteBuffer.allocate(4), ByteBuffer.allocateDirect(4)});
            case RECEIVE -> e.receive(ByteBuffer.allocate(8));
            case RECEIVE_BATCH -> e.receiveBatch(ByteBuffer.allocate(8), ByteBuffer.allocate(8));
            case AWAIT_READABLE -> e.awaitReadable(Duration.ofDays(1));
            case INPUT_STREAM -> e.inputStream().read();
            case WRITE -> e.write(ByteBuffer.allocate(1 << 20));
            case WRITE_DIRECT -> e.write(ByteBuffer.allocateDirect(1 << 20));
            case OUTPUT_STREAM -> {
                e.outputStream().write(new byte[1 << 20]);
                yield null;
            }
            case SEND_DESCRIPTORS -> {
                for (;;) {
                    e.sendDescriptors(ByteBuffer.wrap(new byte[] {1}), spare);
                }
            }
        };
    }

    private SocketPair blockable(Blocking kind) throws IOException {
        SocketPair p = open(SocketType.STREAM);
        if (kind.ordinal() >= Blocking.WRITE.ordinal()) {
            p.second().setSendBufferSize(4096);
            p.first().setReceiveBufferSize(4096);
            fill(p.second(), 4096);
        }
        return p;
    }

    @ParameterizedTest
    @EnumSource(Blocking.class)
    void interruptWhileBlockedClosesAndKeepsTheStatus(Blocking kind) throws Exception {
        SocketPair p = blockable(kind);
        Endpoint spare = open(SocketType.STREAM).first();
        Thread[] caller = new Thread[1];
        boolean[] statusKept = new boolean[1];
        CompletableFuture<Object> f = async(() -> {
            caller[0] = Thread.currentThread();
            try {
                return call(kind, p, spare);
            } finally {
                statusKept[0] = Thread.currentThread().isInterrupted();
            }
        });
        awaitBlocked(p.second(), 1);
        caller[0].interrupt();
        Object out = outcome(f);
        assertInstanceOf(ClosedByInterruptException.class, out, kind + " ended with " + out);
        assertTrue(statusKept[0], "the interrupt status is kept");
        assertFalse(p.second().isOpen(), "an interrupted call closes the endpoint");
        assertThrows(ClosedChannelException.class, () -> p.second().read(ByteBuffer.allocate(1)));
    }

    @Test
    void aBlockingCallEnteredWithTheInterruptStatusSetCloses() throws Exception {
        SocketPair p = open(SocketType.STREAM);
        p.first().write(utf8("data"));
        Thread.currentThread().interrupt();
        try {
            // data is there, but the JDK's channels close on entry all the same
            assertThrows(ClosedByInterruptException.class, () -> p.second().read(ByteBuffer.allocate(8)));
            assertTrue(Thread.currentThread().isInterrupted(), "status kept");
        } finally {
            Thread.interrupted();
        }
        assertFalse(p.second().isOpen());
        // a non-blocking call neither waits nor closes, as with the JDK's channels
        SocketPair q = open(SocketType.STREAM, SocketFlag.NONBLOCK);
        Thread.currentThread().interrupt();
        try {
            assertEquals(0, q.second().read(ByteBuffer.allocate(8)));
        } finally {
            Thread.interrupted();
        }
        assertTrue(q.second().isOpen());
    }

    @ParameterizedTest(name = "direct={0}")
    @ValueSource(booleans = {false, true})
    void closeWhileBlockedLeavesADuplicateWorkingBothWays(boolean direct) throws Exception {
        SocketPair p = open(SocketType.STREAM);
        Endpoint dup = track(Endpoint.adopt(Descriptor.duplicate(p.second().fd())));
        CompletableFuture<Object> f = async(() -> p.second().read(direct ? ByteBuffer.allocateDirect(8)
                : ByteBuffer.allocate(8)));
        awaitBlocked(p.second(), 1);
        p.second().close();
        assertInstanceOf(AsynchronousCloseException.class, outcome(f));
        // no shutdown(2): the socket still works for its other holder, in both directions
        p.first().write(utf8("to"));
        ByteBuffer b = ByteBuffer.allocate(8);
        assertEquals(2, dup.read(b));
        assertEquals("to", text(b));
        dup.write(utf8("fro"));
        ByteBuffer c = ByteBuffer.allocate(8);
        assertEquals(3, p.first().read(c));
        assertEquals("fro", text(c));
    }

    /** How a writer writes its 4 MiB. */
    enum Writer { HEAP, DIRECT, STREAM }

    @ParameterizedTest
    @EnumSource(Writer.class)
    @Tag("heavy") // 8 MiB through 4 KiB socket buffers: minutes under qemu-user, natively a second
    void twoWritersNeverInterleave(Writer how) throws Exception {
        SocketPair p = open(SocketType.STREAM);
        p.first().setSendBufferSize(4096);
        p.second().setReceiveBufferSize(4096);
        int size = 4 << 20;
        List<CompletableFuture<Object>> writers = new ArrayList<>();
        for (byte v : new byte[] {'a', 'b'}) {
            writers.add(async(() -> {
                byte[] data = new byte[size];
                java.util.Arrays.fill(data, v);
                switch (how) {
                    case HEAP -> p.first().write(ByteBuffer.wrap(data));
                    case DIRECT -> p.first().write(ByteBuffer.allocateDirect(size).put(data).flip());
                    case STREAM -> p.first().outputStream().write(data);
                }
                return null;
            }));
        }
        byte[] got = new byte[2 * size];
        int at = 0;
        while (at < got.length) {
            int n = p.second().read(ByteBuffer.wrap(got, at, got.length - at));
            assertTrue(n > 0);
            at += n;
        }
        for (CompletableFuture<Object> w : writers) {
            w.get(LIMIT_MS, TimeUnit.MILLISECONDS);
        }
        int switches = 0;
        for (int i = 1; i < got.length; i++) {
            switches += got[i] != got[i - 1] ? 1 : 0;
        }
        assertEquals(1, switches, "each 4 MiB write arrives whole");
    }

    @Test
    void twoReadersOfRecordsEachGetWholeRecords() throws Exception {
        SocketPair p = open(SocketType.SEQPACKET);
        int n = 2000;
        List<CompletableFuture<Object>> readers = new ArrayList<>();
        java.util.concurrent.atomic.AtomicInteger seen = new java.util.concurrent.atomic.AtomicInteger();
        for (int r = 0; r < 2; r++) {
            readers.add(async(() -> {
                ByteBuffer b = ByteBuffer.allocate(64);
                for (;;) {
                    b.clear();
                    int k = p.second().read(b);
                    if (k < 0) {
                        return null;
                    }
                    assertEquals(32, k, "a whole record");
                    seen.incrementAndGet();
                }
            }));
        }
        for (int i = 0; i < n; i++) {
            p.first().write(ByteBuffer.wrap(bytes(32, i)));
        }
        p.first().shutdownOutput();
        for (CompletableFuture<Object> r : readers) {
            r.get(LIMIT_MS, TimeUnit.MILLISECONDS);
        }
        assertEquals(n, seen.get());
    }

    @Test
    void writeTimeoutThrowsAndThePositionTellsWhatWent() throws Exception {
        SocketPair p = open(SocketType.STREAM);
        p.first().setSendBufferSize(4096);
        p.second().setReceiveBufferSize(4096);
        assertEquals(Duration.ZERO, p.first().writeTimeout());
        p.first().setWriteTimeout(Duration.ofMillis(200));
        assertEquals(Duration.ofMillis(200), p.first().writeTimeout());
        ByteBuffer big = ByteBuffer.allocate(8 << 20);
        long t0 = System.nanoTime();
        assertThrows(SocketTimeoutException.class, () -> p.first().write(big));
        assertTrue(System.nanoTime() - t0 >= 190_000_000L, "waited the timeout");
        assertTrue(big.position() > 0 && big.position() < big.capacity(), "some went: " + big.position());
        // exactly what the position says arrived
        p.first().shutdownOutput();
        long got = 0;
        ByteBuffer b = ByteBuffer.allocateDirect(65536);
        for (int n; (n = p.second().read(b.clear())) >= 0;) {
            got += n;
        }
        assertEquals(big.position(), got);
        assertThrows(IllegalArgumentException.class, () -> p.first().setWriteTimeout(Duration.ofMillis(-1)));
    }

    @Test
    void waitAllWithATimeoutWaitsForTheWholeBuffer() throws Exception {
        SocketPair p = open(SocketType.STREAM);
        p.second().setReadTimeout(scaled(Duration.ofSeconds(20)));
        p.first().write(utf8("abc"));
        ByteBuffer dst = ByteBuffer.allocate(9);
        CompletableFuture<Object> f = async(() -> p.second().receive(dst, MessageFlag.WAITALL));
        awaitBlocked(p.second(), 1);
        p.first().write(utf8("defghi"));
        Object r = outcome(f);
        assertInstanceOf(Received.class, r, String.valueOf(r));
        assertEquals(9, ((Received) r).bytes());
        assertEquals("abcdefghi", text(dst));
        // a timeout leaves what was taken in the buffer
        p.second().setReadTimeout(Duration.ofMillis(200));
        p.first().write(utf8("xy"));
        ByteBuffer part = ByteBuffer.allocate(8);
        assertThrows(SocketTimeoutException.class, () -> p.second().receive(part, MessageFlag.WAITALL));
        assertEquals("xy", text(part));
    }

    @ParameterizedTest
    @ValueSource(ints = {1500, 3000})
    void aRecordFromMoreBuffersThanIovMaxLeavesAsOneRecord(int buffers) throws Exception {
        assumeTrue(caps().types().contains(SocketType.SEQPACKET));
        SocketPair p = open(SocketType.SEQPACKET);
        p.first().setSendBufferSize(1 << 20);
        ByteBuffer[] parts = new ByteBuffer[buffers];
        for (int i = 0; i < buffers; i++) {
            parts[i] = i % 2 == 0 ? ByteBuffer.wrap(new byte[] {(byte) i}) : ByteBuffer.allocateDirect(1).put(0,
                    (byte) i);
        }
        assertEquals(buffers, p.first().write(parts));
        ByteBuffer got = ByteBuffer.allocate(buffers + 100);
        Received r = p.second().receive(got);
        assertEquals(buffers, r.bytes(), "one record");
        for (int i = 0; i < buffers; i++) {
            assertEquals((byte) i, got.get(i));
        }
        p.second().configureBlocking(false);
        assertEquals(0, p.second().read(ByteBuffer.allocate(8)), "no second record");
    }

    @Test
    @Tag("heavy")
    void aScatteringReadOfHeapBuffersIsCappedLikeASingleRead() throws Exception {
        SocketPair p = open(SocketType.STREAM);
        ByteBuffer[] dsts = {ByteBuffer.allocate(3 << 20), ByteBuffer.allocate(3 << 20)};
        CompletableFuture<Object> w = async(() -> p.first().write(ByteBuffer.allocateDirect(8 << 20)));
        long total = 0;
        while (total < 6 << 20) {
            long n = p.second().read(dsts);
            assertTrue(n > 0 && n <= 1 << 20, "one call stages at most 1 MiB of heap data: " + n);
            total += n;
        }
        ByteBuffer rest = ByteBuffer.allocateDirect(2 << 20);
        while (rest.hasRemaining()) {
            assertTrue(p.second().read(rest) > 0);
        }
        assertEquals(8 << 20, outcome(w));
    }

    // ---- end of stream: one policy, every read path --------------------------------------------------------------

    /** The read paths. */
    enum ReadPath { READ, SCATTER, RECEIVE, BATCH, STREAM }

    private static int read(ReadPath path, Endpoint e, ByteBuffer b) throws IOException {
        return switch (path) {
            case READ -> e.read(b);
            case SCATTER -> (int) e.read(new ByteBuffer[] {b});
            case RECEIVE -> {
                Received r = e.receive(b);
                yield r == null ? 0 : r.bytes();
            }
            case BATCH -> {
                int n = e.receiveBatch(b);
                yield n <= 0 ? n : b.position();
            }
            case STREAM -> {
                byte[] a = new byte[b.remaining()];
                int n = e.inputStream().read(a);
                if (n > 0) {
                    b.put(a, 0, n);
                }
                yield n;
            }
        };
    }

    @ParameterizedTest
    @EnumSource(ReadPath.class)
    void aDatagramSocketShutForInputIsAtItsEndOnEveryPath(ReadPath path) throws Exception {
        for (boolean nonBlocking : new boolean[] {false, true}) {
            SocketPair p = nonBlocking ? open(SocketType.DGRAM, SocketFlag.NONBLOCK) : open(SocketType.DGRAM);
            p.second().shutdownInput();
            for (int i = 0; i < 3; i++) {
                assertEquals(-1, read(path, p.second(), ByteBuffer.allocate(8)), path + " call " + i);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = ReadPath.class, names = {"READ", "SCATTER", "RECEIVE", "BATCH"})
    void anEmptySeqpacketRecordIsZeroBytesNotTheEnd(ReadPath path) throws Exception {
        assumeTrue(caps().types().contains(SocketType.SEQPACKET));
        assumeTrue(SocketPair.platform().name().equals("linux"), "POLLRDHUP tells an empty record from the end");
        SocketPair p = open(SocketType.SEQPACKET);
        assertEquals(0, p.first().write(ByteBuffer.allocate(0)));
        assertEquals(0, read(path, p.second(), ByteBuffer.allocate(8)), "the empty record");
        p.first().write(utf8("more"));
        ByteBuffer b = ByteBuffer.allocate(8);
        assertEquals(4, read(path, p.second(), b), "data after the empty record");
        p.first().close();
        assertEquals(-1, read(path, p.second(), ByteBuffer.allocate(8)), "then the end");
        assertEquals(-1, read(path, p.second(), ByteBuffer.allocate(8)), "and it stays");
    }

    /** Makes one read on {@code p.second()} wait for data, then gives it one byte. */
    private static void aReadThatWaits(ReadPath path, SocketPair p) throws Exception {
        CompletableFuture<Object> f = async(() -> read(path, p.second(), ByteBuffer.allocate(8)));
        awaitBlocked(p.second(), 1);
        p.first().write(utf8("w"));
        assertEquals(1, outcome(f), path.toString());
    }

    /**
     * A read after reads that had to wait waits before its first attempt (the engine guesses the socket is empty
     * again): that must change nothing a caller sees. Queued data comes at once, in order, through many reads (past
     * the reads that test the guess), and a read timeout, a close and the end of the stream end such a read as they
     * end any other.
     */
    @ParameterizedTest
    @EnumSource(ReadPath.class)
    void aReadAfterReadsThatWaitedBehavesAsAnyRead(ReadPath path) throws Exception {
        SocketPair p = open(SocketType.STREAM);
        Endpoint r = p.second();
        aReadThatWaits(path, p);
        aReadThatWaits(path, p);
        for (int i = 0; i < 40; i++) {
            p.first().write(ByteBuffer.wrap(new byte[] {(byte) i, (byte) (i + 1)}));
            ByteBuffer b = ByteBuffer.allocate(2);
            while (b.hasRemaining()) {
                assertTrue(read(path, r, b) > 0, path + " read " + i);
            }
            assertArrayEquals(new byte[] {(byte) i, (byte) (i + 1)}, b.array(), path + " read " + i);
        }
        aReadThatWaits(path, p);
        aReadThatWaits(path, p);
        r.setReadTimeout(Duration.ofMillis(50));
        assertThrows(SocketTimeoutException.class, () -> read(path, r, ByteBuffer.allocate(8)));
        r.setReadTimeout(Duration.ZERO);
        CompletableFuture<Object> closed = async(() -> read(path, r, ByteBuffer.allocate(8)));
        awaitBlocked(r, 1);
        r.close();
        assertInstanceOf(AsynchronousCloseException.class, outcome(closed), path.toString());

        SocketPair q = open(SocketType.STREAM);
        aReadThatWaits(path, q);
        aReadThatWaits(path, q);
        q.first().shutdownOutput();
        assertEquals(-1, read(path, q.second(), ByteBuffer.allocate(8)), "the end, met by a read that waits first");
    }

    /** The write paths that may block in the call itself: a direct buffer, a small heap buffer, the output stream. */
    enum WritePath { DIRECT, HEAP, STREAM }

    private static void write(WritePath path, Endpoint e, byte[] data) throws IOException {
        switch (path) {
            case DIRECT -> {
                ByteBuffer b = ByteBuffer.allocateDirect(data.length).put(data).flip();
                assertEquals(data.length, e.write(b), path.toString());
            }
            case HEAP -> assertEquals(data.length, e.write(ByteBuffer.wrap(data)), path.toString());
            case STREAM -> e.outputStream().write(data);
        }
    }

    /** A write that finds the send buffer full and waits until the reader makes room. */
    private static void aWriteThatWaits(WritePath path, SocketPair p) throws Exception {
        long queued = fill(p.first(), 512);
        CompletableFuture<Object> f = async(() -> {
            write(path, p.first(), new byte[] {42});
            return 1;
        });
        awaitBlocked(p.first(), 1);
        ByteBuffer drain = ByteBuffer.allocate(64 * 1024);
        for (long got = 0; got <= queued;) {
            drain.clear();
            got += p.second().read(drain);
            if (got == queued + 1) {
                assertEquals(42, drain.get(drain.position() - 1), path + ": the waiting write's byte comes last");
            }
        }
        assertEquals(1, outcome(f), path.toString());
    }

    /**
     * A write after writes that had to wait blocks in the call at once where the platform lets it (the engine
     * guesses the send buffer is full again): that must change nothing a caller sees. Writes with room go at once
     * and in order (300 of them: past the write that tests the guess, every 256th on Linux), and a close ends such a
     * write as it ends any other, with a duplicate of the socket still working.
     */
    @ParameterizedTest
    @EnumSource(WritePath.class)
    void aWriteAfterWritesThatWaitedBehavesAsAnyWrite(WritePath path) throws Exception {
        SocketPair p = open(SocketType.STREAM);
        aWriteThatWaits(path, p);
        aWriteThatWaits(path, p);
        for (int i = 0; i < 300; i++) {
            write(path, p.first(), new byte[] {(byte) i, (byte) (i + 1)});
            ByteBuffer b = ByteBuffer.allocate(2);
            while (b.hasRemaining()) {
                assertTrue(p.second().read(b) > 0, path + " write " + i);
            }
            assertArrayEquals(new byte[] {(byte) i, (byte) (i + 1)}, b.array(), path + " write " + i);
        }
        aWriteThatWaits(path, p);
        Endpoint dup = track(Endpoint.adopt(Descriptor.duplicate(p.first().fd())));
        fill(p.first(), 512);
        CompletableFuture<Object> closed = async(() -> {
            write(path, p.first(), new byte[] {1});
            return 1;
        });
        awaitBlocked(p.first(), 1);
        p.first().close();
        assertInstanceOf(AsynchronousCloseException.class, outcome(closed), path.toString());
        p.second().configureBlocking(false);
        ByteBuffer drain = ByteBuffer.allocate(64 * 1024);
        while (p.second().read(drain.clear()) > 0) {
            // empty the buffer the fill left
        }
        p.second().configureBlocking(true);
        assertEquals(2, dup.write(utf8("ok")), "the duplicate still writes");
        ByteBuffer ok = ByteBuffer.allocate(2);
        while (ok.hasRemaining()) {
            p.second().read(ok);
        }
        assertEquals("ok", text(ok));
    }

    @ParameterizedTest
    @EnumSource(ReadPath.class)
    void theEndOfAStreamIsMinusOneOnEveryPath(ReadPath path) throws Exception {
        SocketPair p = open(SocketType.STREAM);
        p.first().write(utf8("x"));
        p.first().shutdownOutput();
        assertEquals(1, read(path, p.second(), ByteBuffer.allocate(8)));
        assertEquals(-1, read(path, p.second(), ByteBuffer.allocate(8)));
        assertEquals(-1, read(path, p.second(), ByteBuffer.allocate(8)));
    }

    @Test
    void theModeIsTheEndpointsEvenWhenAnotherHolderChangesTheFileFlag() throws Exception {
        SocketPair p = open(SocketType.STREAM);
        // another holder of the same open file makes it non-blocking behind our back
        Endpoint other = track(Endpoint.adopt(Descriptor.duplicate(p.second().fd())));
        other.configureBlocking(false);
        assertTrue(p.second().isBlocking(), "the endpoint's own mode");
        CompletableFuture<Object> f = async(() -> p.second().read(ByteBuffer.allocate(8)));
        awaitBlocked(p.second(), 1);
        assertFalse(f.isDone(), "a blocking endpoint still waits");
        p.first().write(utf8("late"));
        assertEquals(4, outcome(f));
        // and the other way round: a non-blocking endpoint never waits on a blocking file
        SocketPair q = open(SocketType.STREAM, SocketFlag.NONBLOCK);
        Endpoint qOther = track(Endpoint.adopt(Descriptor.duplicate(q.second().fd())));
        qOther.configureBlocking(true);
        assertEquals(0, q.second().read(ByteBuffer.allocate(8)));
        assertNotNull(q.second());
    }

    @Test
    void aClosedArenasBufferIsRefused() throws Exception {
        assumeTrue(Runtime.version().feature() >= 22, "java.lang.foreign is final from JDK 22");
        SocketPair p = open(SocketType.STREAM);
        Class<?> arenaClass = Class.forName("java.lang.foreign.Arena");
        AutoCloseable arena = (AutoCloseable) arenaClass.getMethod("ofShared").invoke(null);
        Object segment = arenaClass.getMethod("allocate", long.class).invoke(arena, 64L);
        ByteBuffer b = (ByteBuffer) Class.forName("java.lang.foreign.MemorySegment").getMethod("asByteBuffer")
                .invoke(segment);
        assertEquals(0, p.first().write(utf8("ok")) - 2);
        arena.close();
        assertThrows(IllegalStateException.class, () -> p.second().read(b));
        assertThrows(IllegalStateException.class, () -> p.first().write(b));
        ByteBuffer still = ByteBuffer.allocate(8);
        assertEquals(2, p.second().read(still), "nothing was read into freed memory");
        assertArrayEquals("ok".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                java.util.Arrays.copyOf(still.array(), 2));
    }

    private static volatile List<String> allocations;
    /**
     * Fresh JVMs the allocation check may use. On JDK 22+ whether C2 inlines java.lang.foreign's check of the errno
     * capture segment (an {@code asSlice} whose result it drops) into the compiled call can vary from JVM to JVM:
     * seen on an AMD EPYC host while the staged heap buffers' non-blocking calls were ordinary downcalls, 2 of 5 JVMs
     * kept 40 B per write and read for their whole life. As critical downcalls, 14 of 14 JVMs allocated nothing. The
     * check still takes the best JVM of a few, so that JIT variance alone cannot fail a build; it fails when the path
     * allocates in every one of them.
     */
    private static final int ALLOCATION_JVMS = 4;

    /**
     * A 1-byte write and read allocate nothing once the JIT has compiled them: the scratch memory is lent, the stream
     * views reuse their view of the caller's array, and a short heap buffer is copied rather than wrapped in a memory
     * segment. Measured in a JVM of its own ({@link AllocationProbe}) with the thread's allocation counter, in up to
     * {@value #ALLOCATION_JVMS} JVMs until one allocates nothing on every path (see {@link #ALLOCATION_JVMS}).
     */
    @ParameterizedTest
    @EnumSource(AllocationProbe.HotPath.class)
    void theHotPathAllocatesNothing(AllocationProbe.HotPath path) {
        List<String> outs = allocations;
        if (outs == null) {
            List<String> cmd = List.of(TestEnv.javaCommand(), "-Xmx128m", "-XX:+IgnoreUnrecognizedVMOptions",
                    "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                    AllocationProbe.class.getName());
            outs = new ArrayList<>();
            for (int jvm = 0; jvm < ALLOCATION_JVMS; jvm++) {
                String out = TestEnv.run(cmd, scaled(Duration.ofMinutes(5))).output();
                outs.add(out);
                if (out.startsWith("SKIP") || java.util.Arrays.stream(AllocationProbe.HotPath.values())
                        .allMatch(h -> allocated(out, h) < 1)) {
                    break;
                }
            }
            allocations = outs;
        }
        assumeTrue(!outs.get(0).startsWith("SKIP"), outs.get(0));
        double perCall = outs.stream().mapToDouble(out -> allocated(out, path)).min().orElseThrow();
        assertTrue(perCall < 1, path + ": " + perCall + " bytes allocated per write and read in the best round of "
                + outs.size() + " JVMs\n" + String.join("\n", outs));
    }

    /** The bytes per write and read that one {@link AllocationProbe} run printed for {@code path}. */
    private static double allocated(String out, AllocationProbe.HotPath path) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("ALLOC " + path + " (\\S+)").matcher(out);
        assertTrue(m.find(), out);
        return Double.parseDouble(m.group(1));
    }
}
