package io.github.jsocketpair.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.jsocketpair.Endpoint;
import io.github.jsocketpair.Received;
import io.github.jsocketpair.SocketFlag;
import io.github.jsocketpair.SocketPair;
import io.github.jsocketpair.SocketType;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Bulk data between two threads with a checksum (heap buffers, direct buffers, vectors, the stream views), and
 * scatter/gather split across several buffers of both kinds, partly filled.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
public abstract class TransferContract extends ContractBase {
    private static final int EIGHT_MIB = 8 << 20;

    /** How the bytes are moved. */
    public enum Mode {
        /** read/write with heap buffers. */
        HEAP,
        /** read/write with direct buffers. */
        DIRECT,
        /** gathering writes and scattering reads over mixed buffers. */
        VECTORED,
        /** inputStream()/outputStream(). */
        STREAMS
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void quarterMebibyteBetweenTwoThreads(Mode mode) throws Exception {
        transfer(mode, 256 << 10);
    }

    @Tag("heavy")
    @ParameterizedTest
    @EnumSource(Mode.class)
    void eightMebibytesBetweenTwoThreads(Mode mode) throws Exception {
        transfer(mode, EIGHT_MIB);
    }

    private void transfer(Mode mode, int size) throws Exception {
        SocketPair p = open(SocketType.STREAM, SocketFlag.CLOEXEC);
        Endpoint w = p.first();
        Endpoint r = p.second();
        CompletableFuture<Long> writer = async(() -> {
            long crc = write(w, mode, size);
            w.shutdownOutput();
            return crc;
        });
        long[] got = assertTimeoutPreemptively(scaled(Duration.ofSeconds(60)), () -> read(r, mode));
        long sent;
        try {
            sent = writer.get(scaled(Duration.ofSeconds(60)).toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError("writer failed", e.getCause());
        }
        assertEquals(size, got[0], "bytes received");
        assertEquals(sent, got[1], "CRC32 of what was sent and what arrived");
    }

    /** Writes {@code size} pseudo-random bytes in chunks of varying size; returns their CRC32. */
    private static long write(Endpoint w, Mode mode, int size) throws IOException {
        Random rnd = new Random(size);
        CRC32 crc = new CRC32();
        OutputStream out = w.outputStream();
        byte[] chunk = new byte[100_000];
        ByteBuffer direct = ByteBuffer.allocateDirect(chunk.length);
        int left = size;
        while (left > 0) {
            int n = Math.min(left, 1 + rnd.nextInt(chunk.length));
            rnd.nextBytes(chunk);
            crc.update(chunk, 0, n);
            switch (mode) {
                case HEAP -> {
                    ByteBuffer b = ByteBuffer.wrap(chunk, 0, n);
                    assertEquals(n, w.write(b));
                    assertFalse(b.hasRemaining());
                }
                case DIRECT -> {
                    direct.clear().put(chunk, 0, n).flip();
                    assertEquals(n, w.write(direct));
                }
                case VECTORED -> {
                    int h = n / 3;
                    direct.clear().put(chunk, h, n - 2 * h).flip();
                    ByteBuffer[] v = {ByteBuffer.wrap(chunk, 0, h), ByteBuffer.allocate(0), direct,
                        ByteBuffer.wrap(chunk, n - h, h)};
                    assertEquals(n, w.write(v));
                }
                case STREAMS -> out.write(chunk, 0, n);
                default -> throw new AssertionError(mode);
            }
            left -= n;
        }
        return crc.getValue();
    }

    /** Reads to the end; returns {bytes, CRC32}. */
    private static long[] read(Endpoint r, Mode mode) throws IOException {
        CRC32 crc = new CRC32();
        long total = 0;
        byte[] arr = new byte[7919];
        ByteBuffer heap = ByteBuffer.wrap(arr);
        ByteBuffer direct = ByteBuffer.allocateDirect(7919);
        ByteBuffer dHead = ByteBuffer.allocateDirect(1000);
        InputStream in = r.inputStream();
        for (;;) {
            int n;
            switch (mode) {
                case HEAP -> {
                    heap.clear();
                    n = r.read(heap);
                    if (n > 0) {
                        crc.update(arr, 0, n);
                    }
                }
                case DIRECT -> {
                    direct.clear();
                    n = r.read(direct);
                    if (n > 0) {
                        direct.flip();
                        crc.update(direct);
                    }
                }
                case VECTORED -> {
                    dHead.clear();
                    heap.clear();
                    n = (int) r.read(new ByteBuffer[] {dHead, heap});
                    if (n > 0) {
                        dHead.flip();
                        crc.update(dHead);
                        crc.update(arr, 0, heap.position());
                    }
                }
                case STREAMS -> {
                    n = in.read(arr, 0, arr.length);
                    if (n > 0) {
                        crc.update(arr, 0, n);
                    }
                }
                default -> throw new AssertionError(mode);
            }
            if (n < 0) {
                return new long[] {total, crc.getValue()};
            }
            total += n;
        }
    }

    @Test
    void scatterGatherAcrossMixedPartialBuffers() throws IOException {
        SocketPair p = open(SocketType.STREAM);
        ByteBuffer slice = utf8("xxGHIyy");
        slice.position(2).limit(5);
        ByteBuffer[] srcs = {
            utf8("ab"),
            ByteBuffer.allocateDirect(4).put(utf8("cdef")).flip(),
            ByteBuffer.allocate(0),
            slice,
            ByteBuffer.allocateDirect(8).put(utf8("JK")).flip(),
        };
        assertEquals(11, p.first().write(srcs));
        for (ByteBuffer b : srcs) {
            assertFalse(b.hasRemaining(), "position advanced to the limit: " + b);
        }
        assertEquals(5, srcs[3].limit(), "limit untouched");

        ByteBuffer middle = ByteBuffer.allocate(10);
        middle.position(4).limit(6);
        ByteBuffer[] dsts = {ByteBuffer.allocateDirect(3), ByteBuffer.allocate(1), middle,
            ByteBuffer.allocateDirect(100)};
        assertEquals(11, p.second().read(dsts));
        assertEquals("abc", text(dsts[0]));
        assertEquals("d", text(dsts[1]));
        assertEquals("ef", new String(middle.array(), 4, 2, java.nio.charset.StandardCharsets.US_ASCII));
        assertEquals(6, middle.position());
        assertEquals("GHIJK", text(dsts[3]));
    }

    @Test
    void offsetAndLengthSelectTheBuffers() throws IOException {
        SocketPair p = open(SocketType.STREAM);
        ByteBuffer[] srcs = {utf8("no"), utf8("yes"), ByteBuffer.allocateDirect(2).put(utf8("!!")).flip(),
            utf8("no")};
        assertEquals(5, p.first().write(srcs, 1, 2));
        assertEquals(0, srcs[0].position());
        assertEquals(0, srcs[3].position());
        ByteBuffer[] dsts = {ByteBuffer.allocate(4), ByteBuffer.allocate(4), ByteBuffer.allocateDirect(4),
            ByteBuffer.allocate(4)};
        assertEquals(5, p.second().read(dsts, 1, 2));
        assertEquals(0, dsts[0].position());
        assertEquals(0, dsts[3].position());
        assertEquals("yes!", text(dsts[1]));
        assertEquals("!", text(dsts[2]));
    }

    /** More buffers than one writev takes (IOV_MAX is 1024 on Linux): a blocking stream write still sends all. */
    @Test
    void moreBuffersThanIovMax() throws Exception {
        SocketPair p = open(SocketType.STREAM);
        int n = 2500;
        ByteBuffer[] srcs = new ByteBuffer[n];
        for (int i = 0; i < n; i++) {
            srcs[i] = (i % 2 == 0 ? ByteBuffer.allocate(1) : ByteBuffer.allocateDirect(1)).put(0, (byte) i);
        }
        assertEquals(n, p.first().write(srcs));
        ByteBuffer all = ByteBuffer.allocate(n);
        while (all.hasRemaining()) {
            p.second().read(all);
        }
        for (int i = 0; i < n; i++) {
            assertEquals((byte) i, all.get(i), "byte " + i);
        }
    }

    /** A gathering write larger than the socket buffer blocks until a reader takes it all. */
    @Test
    void blockingGatherLargerThanTheSocketBuffer() throws Exception {
        SocketPair p = open(SocketType.STREAM);
        byte[] data = bytes(1 << 20, 11);
        ByteBuffer[] srcs = new ByteBuffer[16];
        for (int i = 0; i < srcs.length; i++) {
            ByteBuffer part = ByteBuffer.wrap(data, i * 65536, 65536);
            srcs[i] = i % 3 == 0 ? ByteBuffer.allocateDirect(65536).put(part).flip() : part.slice();
        }
        CompletableFuture<byte[]> reader = async(() -> {
            ByteBuffer all = ByteBuffer.allocate(data.length);
            while (all.hasRemaining()) {
                if (p.second().read(all) < 0) {
                    break;
                }
            }
            return all.array();
        });
        long written = assertTimeoutPreemptively(scaled(Duration.ofSeconds(30)), () -> p.first().write(srcs));
        assertEquals(data.length, written);
        assertArrayEquals(data, reader.get(scaled(Duration.ofSeconds(30)).toMillis(), TimeUnit.MILLISECONDS));
    }

    @ParameterizedTest
    @EnumSource(value = SocketType.class, names = {"DGRAM", "SEQPACKET"})
    void gatherMakesOneRecordAndScatterSplitsIt(SocketType type) throws IOException {
        assumeTrue(caps().types().contains(type));
        SocketPair p = open(type);
        assertEquals(11, p.first().write(new ByteBuffer[] {utf8("hello"), ByteBuffer.allocateDirect(1)
            .put((byte) ' ').flip(), ByteBuffer.allocate(0), utf8("world")}));
        assertEquals(6, p.first().write(new ByteBuffer[] {utf8("sec"), utf8("ond")}));
        ByteBuffer[] dsts = {ByteBuffer.allocate(2), ByteBuffer.allocateDirect(100)};
        assertEquals(11, p.second().read(dsts));
        assertEquals("he", text(dsts[0]));
        assertEquals("llo world", text(dsts[1]));
        ByteBuffer one = ByteBuffer.allocate(100);
        Received r = p.second().receive(one);
        assertEquals(6, r.bytes(), "the second record, alone");
        assertEquals("second", text(one));
    }
}
