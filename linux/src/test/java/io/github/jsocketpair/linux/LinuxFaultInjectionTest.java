package io.github.jsocketpair.linux;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jsocketpair.Domain;
import io.github.jsocketpair.Endpoint;
import io.github.jsocketpair.Errno;
import io.github.jsocketpair.MessageFlag;
import io.github.jsocketpair.Received;
import io.github.jsocketpair.SocketFlag;
import io.github.jsocketpair.SocketPairException;
import io.github.jsocketpair.SocketType;
import io.github.jsocketpair.internal.NativeConstants;
import io.github.jsocketpair.internal.TestSeams;
import io.github.jsocketpair.linux.FaultInjectingLibc.Call;
import io.github.jsocketpair.linux.jna.LinuxConstants;
import io.github.jsocketpair.linux.jna.LinuxLibc;
import io.github.jsocketpair.spi.EndpointPair;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The shared logic against faults the kernel gives but not on demand: an {@code EINTR} storm on every call a signal
 * can interrupt, {@code close(2)} reporting {@code EINTR} after releasing the number, short stream transfers, and
 * {@code ENOBUFS}/{@code ENOMEM}/{@code ENFILE}/{@code EMFILE} from single calls. The kernel underneath is real (a
 * {@link FaultInjectingLibc} over the JNA binding), so the data that arrives proves the retries lost and duplicated
 * nothing. Needs Linux on an architecture the backend supports; the real-signal storm runs in the {@code tests}
 * module.
 */
@EnabledIf("supported")
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class LinuxFaultInjectionTest {
    private static final EnumSet<Call> INTERRUPTIBLE = EnumSet.of(Call.READ, Call.WRITE, Call.READV, Call.WRITEV,
            Call.SEND, Call.RECV, Call.SENDMSG, Call.RECVMSG, Call.POLL);

    private NativeConstants c;
    private FaultInjectingLibc libc;
    private LinuxBackend backend;
    private final List<EndpointPair> pairs = new ArrayList<>();

    static boolean supported() {
        return System.getProperty("os.name", "").startsWith("Linux")
                && LinuxArch.fromOsArch(System.getProperty("os.arch")).isPresent();
    }

    @BeforeEach
    void setUp() {
        LinuxArch arch = LinuxArch.fromOsArch(System.getProperty("os.arch")).orElseThrow();
        c = LinuxConstants.forArch(arch).freeze();
        libc = new FaultInjectingLibc(LinuxLibc.load(arch.pointerSize()), c);
        backend = new LinuxBackend(libc, arch, "Linux (faults injected)");
    }

    @AfterEach
    void closeAndCheckTheBooks() throws IOException {
        libc.eintr(0, EnumSet.noneOf(Call.class));
        for (EndpointPair p : pairs) {
            p.first().close();
            p.second().close();
        }
        assertEquals(List.of(), libc.violations(), "descriptor bookkeeping");
        assertEquals(java.util.Set.of(), libc.openNumbers(), "numbers left open");
    }

    private EndpointPair open(SocketType type, SocketFlag... flags) throws IOException {
        EnumSet<SocketFlag> set = EnumSet.of(SocketFlag.CLOEXEC);
        set.addAll(List.of(flags));
        EndpointPair p = backend.open(Domain.UNIX, type, 0, set);
        pairs.add(p);
        return p;
    }

    // ---- EINTR storm --------------------------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(SocketType.class)
    void everyTransferSurvivesAnEintrStorm(SocketType type) throws Exception {
        EndpointPair p = open(type);
        libc.shortStreams(true);
        libc.eintr(0.5, INTERRUPTIBLE);
        boolean records = type != SocketType.STREAM;
        int messages = 300;
        List<CompletableFuture<Long>> work = List.of(
                async(() -> records ? writeRecords(p.first(), messages, 1) : writeStream(p.first(), 400_000, 1)),
                async(() -> records ? readRecords(p.second(), messages, 1) : readStream(p.second(), 400_000, 1)),
                async(() -> records ? writeRecords(p.second(), messages, 2) : writeStream(p.second(), 400_000, 2)),
                async(() -> records ? readRecords(p.first(), messages, 2) : readStream(p.first(), 400_000, 2)));
        awaitAll(work, p);
        libc.eintr(0, EnumSet.noneOf(Call.class));
        // The storm reached every call the API made (each with MSG_DONTWAIT, never read(2)/readv(2)): send (write,
        // send, streams), sendmsg (gathering write), recv (reads), recvmsg (scattering reads, receive), poll (waits).
        for (Call k : EnumSet.of(Call.SEND, Call.SENDMSG, Call.RECV, Call.RECVMSG, Call.POLL)) {
            assertTrue(libc.eintrs(k) > 0, "no EINTR was injected into " + k);
        }
        if (!records) {
            assertTrue(libc.shortened(Call.SEND) > 0 && libc.shortened(Call.RECV) > 0, "no short transfer");
        }
    }

    /** Sends {@code n} records through every sending API in turn; record i holds its index and seeded bytes. */
    private static long writeRecords(Endpoint e, int n, long stream) throws IOException {
        for (int i = 0; i < n; i++) {
            byte[] r = record(stream, i);
            switch (i % 5) {
                case 0 -> assertEquals(r.length, e.write(ByteBuffer.wrap(r)));
                case 1 -> assertEquals(r.length, e.write(direct(r)));
                case 2 -> assertEquals(r.length, e.send(ByteBuffer.wrap(r)));
                case 3 -> {
                    int half = r.length / 2;
                    ByteBuffer[] parts = {ByteBuffer.wrap(r, 0, half), direct(java.util.Arrays.copyOfRange(r, half,
                            r.length))};
                    assertEquals(r.length, e.write(parts));
                }
                default -> e.outputStream().write(r);
            }
        }
        return n;
    }

    /** Receives {@code n} records through every receiving API in turn, checking each one whole and in order. */
    private static long readRecords(Endpoint e, int n, long stream) throws IOException {
        for (int i = 0; i < n; i++) {
            byte[] want = record(stream, i);
            byte[] got;
            switch (i % 6) {
                case 0 -> got = take(ByteBuffer.allocate(4096), e);
                case 1 -> got = take(ByteBuffer.allocateDirect(4096), e);
                case 2 -> {
                    ByteBuffer b = ByteBuffer.allocate(4096);
                    Received r = e.receive(b);
                    assertEquals(want.length, r.bytes());
                    assertTrue(!r.truncated());
                    got = bytes(b);
                }
                case 3 -> {
                    ByteBuffer head = ByteBuffer.allocate(3);
                    ByteBuffer tail = ByteBuffer.allocateDirect(4096);
                    long k = e.read(new ByteBuffer[] {head, tail});
                    assertEquals(want.length, k);
                    ByteBuffer all = ByteBuffer.allocate((int) k);
                    all.put(head.flip()).put(tail.flip());
                    got = all.array();
                }
                case 4 -> {
                    byte[] b = new byte[4096];
                    int k = e.inputStream().read(b);
                    got = java.util.Arrays.copyOf(b, k);
                }
                default -> {
                    // the timed path: recv(MSG_DONTWAIT) and poll
                    e.setReadTimeout(Duration.ofSeconds(30));
                    assertTrue(e.awaitReadable(Duration.ofSeconds(30)));
                    got = take(ByteBuffer.allocate(4096), e);
                    e.setReadTimeout(Duration.ZERO);
                }
            }
            assertArrayEquals(want, got, "record " + i);
        }
        return n;
    }

    private static byte[] take(ByteBuffer b, Endpoint e) throws IOException {
        int k = e.read(b);
        assertTrue(k > 0, "read returned " + k);
        return bytes(b);
    }

    private static byte[] bytes(ByteBuffer b) {
        ByteBuffer d = b.duplicate().flip();
        byte[] a = new byte[d.remaining()];
        d.get(a);
        return a;
    }

    private static ByteBuffer direct(byte[] a) {
        return ByteBuffer.allocateDirect(a.length).put(a).flip();
    }

    private static byte[] record(long stream, int i) {
        Random r = new Random(stream * 1_000_003L + i);
        byte[] b = new byte[4 + r.nextInt(2000)];
        r.nextBytes(b);
        ByteBuffer.wrap(b).putInt(i);
        return b;
    }

    /** Writes {@code total} seeded bytes in chunks of random size through every sending API in turn. */
    private static long writeStream(Endpoint e, int total, long seed) throws IOException {
        byte[] all = new byte[total];
        new Random(seed).nextBytes(all);
        Random sizes = new Random(seed + 7);
        int at = 0;
        for (int i = 0; at < total; i++) {
            int n = Math.min(total - at, 1 + sizes.nextInt(20_000));
            switch (i % 5) {
                case 0 -> assertEquals(n, e.write(ByteBuffer.wrap(all, at, n)));
                case 1 -> assertEquals(n, e.write(direct(java.util.Arrays.copyOfRange(all, at, at + n))));
                case 2 -> {
                    // send moves what the kernel takes in one call: loop as a caller must
                    ByteBuffer b = ByteBuffer.wrap(all, at, n);
                    while (b.hasRemaining()) {
                        e.send(b);
                    }
                }
                case 3 -> {
                    int half = n / 2;
                    ByteBuffer[] parts = {ByteBuffer.wrap(all, at, half),
                        direct(java.util.Arrays.copyOfRange(all, at + half, at + n))};
                    assertEquals(n, e.write(parts));
                }
                default -> e.outputStream().write(all, at, n);
            }
            at += n;
        }
        return total;
    }

    /** Reads the seeded stream back through every receiving API in turn and compares every byte. */
    private static long readStream(Endpoint e, int total, long seed) throws IOException {
        byte[] want = new byte[total];
        new Random(seed).nextBytes(want);
        byte[] got = new byte[total];
        Random sizes = new Random(seed + 11);
        int at = 0;
        for (int i = 0; at < total; i++) {
            int room = Math.min(total - at, 1 + sizes.nextInt(30_000));
            int n;
            switch (i % 6) {
                case 0 -> n = e.read(ByteBuffer.wrap(got, at, room));
                case 1 -> {
                    ByteBuffer b = ByteBuffer.allocateDirect(room);
                    n = e.read(b);
                    b.flip().get(got, at, n);
                }
                case 2 -> n = e.receive(ByteBuffer.wrap(got, at, room)).bytes();
                case 3 -> {
                    int half = Math.max(1, room / 2);
                    ByteBuffer tail = ByteBuffer.allocateDirect(Math.max(1, room - half));
                    n = (int) e.read(new ByteBuffer[] {ByteBuffer.wrap(got, at, half), tail});
                    if (n > half) {
                        tail.flip().get(got, at + half, n - half);
                    }
                }
                case 4 -> n = e.inputStream().read(got, at, room);
                default -> {
                    e.setReadTimeout(Duration.ofSeconds(30));
                    assertTrue(e.awaitReadable(Duration.ofSeconds(30)));
                    n = e.read(ByteBuffer.wrap(got, at, room));
                    e.setReadTimeout(Duration.ZERO);
                }
            }
            assertTrue(n > 0, "read returned " + n + " at byte " + at);
            at += n;
        }
        assertArrayEquals(want, got);
        return total;
    }

    @Test
    void aReadBlockedInAnEintrStormIsReleasedByClose() throws Exception {
        // Two pairs: closing one end gives its peer end of stream, which would race a reader blocked on that peer.
        EndpointPair p = open(SocketType.STREAM);
        EndpointPair q = open(SocketType.STREAM);
        libc.eintr(0.5, INTERRUPTIBLE);
        // The random storm may miss the few calls two blocked reads make: one EINTR each is certain.
        libc.failNext(Call.RECV, c.nativeErrno(Errno.EINTR));
        libc.failNext(Call.RECV, c.nativeErrno(Errno.EINTR));
        CompletableFuture<Long> blocked = async(() -> (long) p.second().read(ByteBuffer.allocate(16)));
        CompletableFuture<Long> timed = async(() -> {
            q.first().setReadTimeout(Duration.ofSeconds(60));
            return (long) q.first().read(ByteBuffer.allocate(16));
        });
        // Both readers must be in the wait path (not merely started) before the closes.
        while (!TestSeams.isWaiting(p.second(), false) || !TestSeams.isWaiting(q.first(), false)) {
            Thread.onSpinWait();
        }
        p.second().close();
        q.first().close();
        for (CompletableFuture<Long> f : List.of(blocked, timed)) {
            ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(10, TimeUnit.SECONDS));
            assertInstanceOf(AsynchronousCloseException.class, e.getCause());
        }
        assertTrue(libc.eintrs(Call.RECV) >= 2, "both blocked reads met an EINTR");
    }

    // ---- close --------------------------------------------------------------------------------------------------

    @Test
    void closeReportingEintrIsNeitherAnErrorNorRetried() throws IOException {
        EndpointPair p = open(SocketType.SEQPACKET);
        libc.eintr(1.0, EnumSet.of(Call.CLOSE));
        p.first().close();
        p.second().close();
        p.first().close(); // idempotent
        assertEquals(2, libc.closes(), "one close(2) per number, never retried after EINTR");
        assertEquals(2, libc.eintrs(Call.CLOSE));
    }

    @Test
    void aDeferredCloseAfterEintrClosesOnce() throws Exception {
        EndpointPair p = open(SocketType.STREAM);
        libc.eintr(1.0, EnumSet.of(Call.CLOSE));
        CompletableFuture<Long> blocked = async(() -> (long) p.second().read(ByteBuffer.allocate(16)));
        while (!TestSeams.isWaiting(p.second(), false)) {
            Thread.onSpinWait();
        }
        p.second().close(); // a read is in progress: the last user closes the number
        ExecutionException e = assertThrows(ExecutionException.class, () -> blocked.get(10, TimeUnit.SECONDS));
        assertInstanceOf(AsynchronousCloseException.class, e.getCause());
        p.first().close();
        assertEquals(2, libc.closes());
    }

    // ---- one-shot errors ----------------------------------------------------------------------------------------

    @Test
    void enobufsOnSendIsReportedAndTheEndpointStaysUsable() throws IOException {
        EndpointPair p = open(SocketType.SEQPACKET);
        int enobufs = c.nativeErrno(Errno.ENOBUFS);
        libc.failNext(Call.SEND, enobufs);
        SocketPairException e = assertThrows(SocketPairException.class,
                () -> p.first().write(ByteBuffer.wrap(new byte[] {1, 2, 3})));
        assertEquals(Errno.ENOBUFS, e.errno());
        assertEquals(enobufs, e.nativeErrno());
        assertEquals("send", e.call());
        libc.failNext(Call.SENDMSG, enobufs);
        SocketPairException g = assertThrows(SocketPairException.class,
                () -> p.first().write(new ByteBuffer[] {ByteBuffer.wrap(new byte[] {4})}));
        assertEquals(Errno.ENOBUFS, g.errno());
        assertEquals("sendmsg", g.call());
        // nothing was sent by the failed calls; the next send goes through whole
        assertEquals(2, p.first().write(ByteBuffer.wrap(new byte[] {7, 8})));
        ByteBuffer b = ByteBuffer.allocate(16);
        assertEquals(2, p.second().read(b));
        assertArrayEquals(new byte[] {7, 8}, bytes(b));
        assertNull(p.second().receive(ByteBuffer.allocate(16), MessageFlag.DONTWAIT));
    }

    @Test
    void enomemOnReceiveIsReportedAndTheRecordStaysQueued() throws IOException {
        EndpointPair p = open(SocketType.DGRAM);
        p.first().write(ByteBuffer.wrap(new byte[] {5, 6, 7}));
        libc.failNext(Call.RECVMSG, c.nativeErrno(Errno.ENOMEM));
        SocketPairException e = assertThrows(SocketPairException.class,
                () -> p.second().receive(ByteBuffer.allocate(8)));
        assertEquals(Errno.ENOMEM, e.errno());
        assertEquals("recvmsg", e.call());
        Received r = p.second().receive(ByteBuffer.allocate(8));
        assertEquals(3, r.bytes());
    }

    @ParameterizedTest
    @EnumSource(value = Errno.class, names = {"ENFILE", "EMFILE", "ENOBUFS", "ENOMEM"})
    void socketpairResourceErrorsLeaveNothingOpen(Errno errno) {
        libc.failNext(Call.SOCKETPAIR, c.nativeErrno(errno));
        SocketPairException e = assertThrows(SocketPairException.class,
                () -> backend.open(Domain.UNIX, SocketType.STREAM, 0, EnumSet.of(SocketFlag.CLOEXEC)));
        assertEquals(errno, e.errno());
        assertEquals(c.nativeErrno(errno), e.nativeErrno());
        assertEquals("socketpair", e.call());
        assertTrue(e.getMessage().contains(errno.name()), e.getMessage());
        assertEquals(0, libc.closes(), "no number was created, so none may be closed");
    }

    @Test
    void socketpairInterruptedIsRetried() throws IOException {
        libc.failNext(Call.SOCKETPAIR, c.EINTR);
        libc.failNext(Call.SOCKETPAIR, c.EINTR);
        EndpointPair p = open(SocketType.STREAM);
        assertEquals(1, p.first().write(ByteBuffer.wrap(new byte[] {1})));
        assertEquals(1, p.second().read(ByteBuffer.allocate(1)));
    }

    // ---- helpers ------------------------------------------------------------------------------------------------

    /** Waits for every task; on the first failure closes the pair (so the others stop) and rethrows it. */
    private static void awaitAll(List<CompletableFuture<Long>> work, EndpointPair p) throws Exception {
        CompletableFuture<Object> failed = new CompletableFuture<>();
        for (CompletableFuture<Long> f : work) {
            f.whenComplete((v, e) -> {
                if (e != null) {
                    failed.completeExceptionally(e);
                }
            });
        }
        try {
            CompletableFuture.anyOf(CompletableFuture.allOf(work.toArray(new CompletableFuture<?>[0])), failed)
                    .get(90, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            p.first().close();
            p.second().close();
            if (e.getCause() instanceof Exception x) {
                throw x;
            }
            throw e;
        }
    }

    @FunctionalInterface
    private interface Work {
        long run() throws Exception;
    }

    private static CompletableFuture<Long> async(Work w) {
        CompletableFuture<Long> f = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                f.complete(w.run());
            } catch (Throwable e) {
                f.completeExceptionally(e);
            }
        }, "fault-injection");
        t.setDaemon(true);
        t.start();
        return f;
    }
}
