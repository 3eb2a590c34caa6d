package io.github.jsocketpair.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
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
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Faults the real kernel gives, each ending in a clear result, no hang and nothing leaked: full buffers in
 * non-blocking mode ({@code EAGAIN}: {@code 0} or {@code null}, never an exception), a record larger than the socket
 * can ever hold ({@code EMSGSIZE}), a peer process killed in the middle of a transfer, and a storm of real signals
 * ({@code EINTR}) in a child JVM. {@code EMFILE} under a lowered {@code RLIMIT_NOFILE} is in {@link LeakContract} and
 * {@link SoakContract}.
 *
 * <p>Not here, on purpose: {@code ENFILE} (the system-wide file table is full) cannot be provoked without changing
 * {@code fs.file-max} for the whole machine, which needs root and starves every other process of descriptors;
 * {@code ENOBUFS} is not what {@code AF_UNIX} answers when full. Both are driven through the real code by the Linux
 * module's fault-injecting libc ({@code LinuxFaultInjectionTest}), as is an {@code EINTR} on every single call.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
public abstract class FaultContract extends ContractBase {
    /**
     * What a write may fail with once the peer process is gone: EPIPE on connections; on AF_UNIX datagrams
     * ECONNREFUSED once, then ENOTCONN (unix_dgram_sendmsg drops the dead peer and the socket is no longer
     * connected).
     */
    private static final Set<Errno> PEER_GONE = EnumSet.of(Errno.EPIPE, Errno.ECONNRESET, Errno.ECONNREFUSED,
            Errno.ENOTCONN);

    // ---- full buffers -------------------------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(SocketType.class)
    void aFullBufferInNonBlockingModeIsZeroOrNullNeverAnException(SocketType type) throws Exception {
        Fds.Mark before = Fds.mark();
        SocketPair p = open(type, SocketFlag.NONBLOCK, SocketFlag.CLOEXEC);
        Endpoint out = p.first();
        Endpoint in = p.second();
        // an empty receiver
        assertEquals(0, in.read(ByteBuffer.allocate(16)));
        assertEquals(0, in.read(ByteBuffer.allocateDirect(16)));
        assertNull(in.receive(ByteBuffer.allocate(16)));
        assertEquals(0, in.read(new ByteBuffer[] {ByteBuffer.allocate(8), ByteBuffer.allocate(8)}));
        assertFalse(in.awaitReadable(Duration.ZERO));
        // a full sender
        int chunk = 512;
        long filled = fill(out, chunk);
        ByteBuffer heap = ByteBuffer.allocate(chunk);
        ByteBuffer direct = ByteBuffer.allocateDirect(chunk);
        assertEquals(0, out.write(heap));
        assertEquals(0, out.write(direct));
        assertEquals(0, out.send(heap));
        assertEquals(0, out.write(new ByteBuffer[] {heap, direct}));
        assertEquals(0, heap.position(), "a send that took nothing leaves the position");
        assertEquals(0, direct.position());
        SocketPair carried = open(SocketType.STREAM);
        assertEquals(0, out.sendDescriptors(ByteBuffer.wrap(new byte[] {1}), carried.first()));
        assertFalse(out.awaitWritable(Duration.ZERO));
        // the stream view waits for room instead of returning 0
        CompletableFuture<Object> stream = async(() -> {
            out.outputStream().write(new byte[chunk]);
            return null;
        });
        awaitBlocked(out, 1);
        assertFalse(stream.isDone(), "the output stream did not wait for room");
        // drain: everything accepted arrives, the descriptor that was refused never does
        long drained = 0;
        ByteBuffer b = ByteBuffer.allocateDirect(4096);
        long deadline = System.nanoTime() + scaled(Duration.ofSeconds(20)).toNanos();
        while (drained < filled + chunk && System.nanoTime() < deadline) {
            Received r = in.receive(b.clear());
            if (r == null) {
                in.awaitReadable(Duration.ofMillis(50));
                continue;
            }
            assertEquals(List.of(), r.descriptors(), "the descriptor of a send that returned 0 arrived");
            drained += r.bytes();
        }
        stream.get(scaled(Duration.ofSeconds(10)).toMillis(), TimeUnit.MILLISECONDS);
        assertEquals(filled + chunk, drained, "everything accepted, and the stream's bytes, arrived");
        assertTrue(out.awaitWritable(scaled(Duration.ofSeconds(5))));
        closeOpened();
        before.assertUnchanged("full buffers");
    }

    @ParameterizedTest
    @EnumSource(value = SocketType.class, names = {"DGRAM", "SEQPACKET"})
    void aRecordLargerThanTheSocketCanHoldIsEmsgsize(SocketType type) throws IOException {
        SocketPair p = open(type, SocketFlag.NONBLOCK);
        int sndbuf = p.first().sendBufferSize();
        ByteBuffer huge = ByteBuffer.allocateDirect(sndbuf + 1024);
        SocketPairException e = assertThrows(SocketPairException.class, () -> p.first().write(huge));
        assertEquals(Errno.EMSGSIZE, e.errno(), e.getMessage());
        assertEquals(numbers().errno(Errno.EMSGSIZE), e.nativeErrno());
        assertEquals(0, huge.position());
        assertEquals(3, p.first().write(utf8("ok!")), "the endpoint still works");
        assertEquals(3, p.second().read(ByteBuffer.allocate(8)));
    }

    /**
     * After {@code shutdownInput} a datagram socket reads 0 bytes at once, forever, like an empty datagram; every
     * read must say end of stream instead (as {@code shutdownInput} promises), and the stream view must neither
     * return 0 (InputStream's contract) nor spin on it. Found by the fuzzer: {@code inputStream().read()} spun at
     * full CPU for ever.
     */
    @Test
    void aDatagramSocketShutDownForInputIsAtEndOfStreamEverywhere() throws Exception {
        SocketPair p = open(SocketType.DGRAM);
        Endpoint in = p.second();
        p.first().write(ByteBuffer.allocate(0)); // an empty datagram is data, not the end
        p.first().write(utf8("x"));
        assertEquals(0, in.read(ByteBuffer.allocate(8)));
        in.shutdownInput();
        assertEquals(1, in.read(ByteBuffer.allocate(8)), "queued data is still read");
        CompletableFuture<List<Integer>> reads = async(() -> List.of(in.read(ByteBuffer.allocate(8)),
                in.read(ByteBuffer.allocateDirect(8)), in.receive(ByteBuffer.allocate(8)).bytes(),
                (int) in.read(new ByteBuffer[] {ByteBuffer.allocate(8)}), in.inputStream().read(),
                in.inputStream().read(new byte[8])));
        assertEquals(List.of(-1, -1, -1, -1, -1, -1), reads.get(scaled(Duration.ofSeconds(10)).toMillis(),
                TimeUnit.MILLISECONDS));
        // the same with a read timeout, and in non-blocking mode, where the kernel says EAGAIN while poll(2) says
        // readable: end of stream at once, not a timeout after spinning, not "would block"
        in.setReadTimeout(Duration.ofSeconds(30));
        CompletableFuture<List<Integer>> timed = async(() -> List.of(in.read(ByteBuffer.allocate(8)),
                in.receive(ByteBuffer.allocate(8)).bytes(), (int) in.read(new ByteBuffer[] {ByteBuffer.allocate(8)}),
                in.inputStream().read()));
        assertEquals(List.of(-1, -1, -1, -1), timed.get(scaled(Duration.ofSeconds(10)).toMillis(),
                TimeUnit.MILLISECONDS));
        in.setReadTimeout(Duration.ZERO);
        in.configureBlocking(false);
        CompletableFuture<List<Integer>> polled = async(() -> List.of(in.read(ByteBuffer.allocate(8)),
                in.receive(ByteBuffer.allocate(8)).bytes(), (int) in.read(new ByteBuffer[] {ByteBuffer.allocate(8)}),
                in.inputStream().read(), in.inputStream().read(new byte[4])));
        assertEquals(List.of(-1, -1, -1, -1, -1), polled.get(scaled(Duration.ofSeconds(10)).toMillis(),
                TimeUnit.MILLISECONDS));
        // the stream view skips an empty datagram instead of returning 0
        SocketPair q = open(SocketType.DGRAM);
        q.first().write(ByteBuffer.allocate(0));
        q.first().write(utf8("y"));
        assertEquals('y', q.second().inputStream().read());
        q.first().write(ByteBuffer.allocate(0));
        q.first().write(utf8("zz"));
        assertEquals(2, q.second().inputStream().read(new byte[8]));
    }

    // ---- a peer that dies ---------------------------------------------------------------------------------------

    private static void needSpawn() {
        assumeTrue(Files.isDirectory(Path.of("/proc/self/fd")), "needs /proc to check the child");
    }

    /** The peer end is handed to a child as its stdin (it never reads) and our copy closed; killing it mid-write. */
    @ParameterizedTest
    @EnumSource(SocketType.class)
    void aWriterBlockedOnAPeerThatIsKilledGetsAClearError(SocketType type) throws Exception {
        needSpawn();
        Fds.Mark before = Fds.mark();
        SocketPair p = open(type, SocketFlag.CLOEXEC);
        Spawn child = Spawn.start(Files.createTempFile(TestEnv.buildDir(), "peer", ".txt"),
                Map.of(p.second().fd(), 0), "sleep", "600");
        p.second().close(); // the child's stdin is now the only reference to the peer
        Endpoint out = p.first();
        int chunk = type == SocketType.STREAM ? 65536 : 1024;
        CompletableFuture<Long> writer = async(() -> {
            long sent = 0;
            for (;;) {
                sent += out.write(ByteBuffer.allocateDirect(chunk));
            }
        });
        awaitBlocked(out, 1);
        assertFalse(writer.isDone(), () -> "the writer should block on the full buffer: " + writer);
        child.kill(Spawn.SIGKILL);
        assertEquals(Spawn.SIGKILL, child.waitFor(scaled(Duration.ofSeconds(30))) & 0x7f, "killed by SIGKILL");
        ExecutionException x = assertThrows(ExecutionException.class,
                () -> writer.get(scaled(Duration.ofSeconds(10)).toMillis(), TimeUnit.MILLISECONDS),
                "the writer is still blocked after its peer died");
        SocketPairException e = assertInstanceOf(SocketPairException.class, x.getCause());
        assertTrue(PEER_GONE.contains(e.errno()), "peer gone: " + e);
        assertTrue(e.getMessage().contains(e.errno().name()), e.getMessage());
        // and every later write says the same, at once
        SocketPairException again = assertThrows(SocketPairException.class, () -> out.write(utf8("x")));
        assertTrue(PEER_GONE.contains(again.errno()), again.toString());
        closeOpened();
        before.assertUnchanged("a pair whose peer was killed");
    }

    /** The peer end is a child's stdout ({@code yes} writes forever); killing it ends our stream, blocked or not. */
    @ParameterizedTest
    @EnumSource(value = SocketType.class, names = {"STREAM", "SEQPACKET"})
    void aReaderWhosePeerIsKilledSeesTheEnd(SocketType type) throws Exception {
        needSpawn();
        Fds.Mark before = Fds.mark();
        SocketPair p = open(type, SocketFlag.CLOEXEC);
        Spawn child = Spawn.start(Files.createTempFile(TestEnv.buildDir(), "peer", ".txt"),
                Map.of(p.second().fd(), 1), "yes", "jsocketpair");
        p.second().close();
        Endpoint in = p.first();
        ByteBuffer b = ByteBuffer.allocate(4096);
        long got = 0;
        while (got < 100_000) {
            int n = in.read(b.clear());
            assertTrue(n > 0, "read " + n + " before the kill");
            got += n;
        }
        child.kill(Spawn.SIGKILL);
        child.waitFor(scaled(Duration.ofSeconds(30)));
        // drain what the child wrote before it died; then the end, for a blocking read, a receive and a stream read
        CompletableFuture<Long> drain = async(() -> {
            long rest = 0;
            int n;
            while ((n = in.read(b.clear())) > 0) {
                rest += n;
            }
            assertEquals(-1, n);
            assertEquals(-1, in.receive(ByteBuffer.allocate(8)).bytes());
            assertEquals(-1, in.inputStream().read());
            return rest;
        });
        drain.get(scaled(Duration.ofSeconds(20)).toMillis(), TimeUnit.MILLISECONDS);
        closeOpened();
        before.assertUnchanged("a reader whose peer was killed");
    }

    /** A datagram peer that dies gives no end of stream: a read timeout is how a reader learns, and it works. */
    @Test
    void aDatagramReaderWhosePeerIsKilledTimesOutInsteadOfHanging() throws Exception {
        needSpawn();
        SocketPair p = open(SocketType.DGRAM, SocketFlag.CLOEXEC);
        Spawn child = Spawn.start(Files.createTempFile(TestEnv.buildDir(), "peer", ".txt"),
                Map.of(p.second().fd(), 0), "sleep", "600");
        p.second().close();
        child.kill(Spawn.SIGKILL);
        child.waitFor(scaled(Duration.ofSeconds(30)));
        Endpoint in = p.first();
        in.setReadTimeout(Duration.ofMillis(200));
        assertThrows(SocketTimeoutException.class, () -> in.read(ByteBuffer.allocate(8)));
        SocketPairException e = assertThrows(SocketPairException.class, () -> in.write(utf8("anyone?")));
        assertEquals(Errno.ECONNREFUSED, e.errno(), e.getMessage());
    }

    // ---- EINTR from real signals --------------------------------------------------------------------------------

    /**
     * About 10⁴ caught signals in a few seconds while data moves through every waiting path. What this shows is the
     * end-to-end claim (nothing lost, nothing thrown); how many calls the kernel actually interrupts depends on
     * timing, and the JVM installs its handlers with {@code SA_RESTART}, so interrupted reads are mostly restarted by
     * the kernel (strace shows ~10² {@code ERESTARTSYS} per run) and {@code poll(2)}, which is never restarted, only
     * occasionally returns {@code EINTR}. The proof that every call site retries {@code EINTR} is
     * {@code LinuxFaultInjectionTest}, which injects it into every call.
     */
    @Test
    void aStormOfRealSignalsLosesNothing() throws Exception {
        long millis = 4000; // the storm's length; only the limits below stretch under emulation
        Path out = Files.createTempFile(TestEnv.buildDir(), "storm", ".txt");
        List<String> cmd = List.of("sh", "-c", "exec \"$@\" > \"$0\" 2>&1", out.toString(), TestEnv.javaCommand(),
                "-Xmx96m", "-XX:TieredStopAtLevel=1", "-XX:+IgnoreUnrecognizedVMOptions",
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                SignalStormProbe.class.getName(), String.valueOf(millis));
        Process child = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        child.getOutputStream().close();
        long pid = waitForReady(out, child);
        // A shell loop sends SIGWINCH as fast as it can until the child is gone.
        Process storm = new ProcessBuilder("sh", "-c", "while kill -s WINCH $0 2>/dev/null; do :; done",
                String.valueOf(pid)).redirectErrorStream(true).start();
        try {
            assertTrue(child.waitFor(scaled(Duration.ofSeconds(120)).toMillis(), TimeUnit.MILLISECONDS),
                    "the child did not finish: " + Files.readString(out));
        } finally {
            child.destroyForcibly();
            storm.destroyForcibly();
            storm.waitFor(10, TimeUnit.SECONDS);
        }
        String output = Files.readString(out);
        assertEquals(0, child.exitValue(), output);
        Matcher m = Pattern.compile("OK signals=(\\d+) transfers=(\\d+)").matcher(output);
        assertTrue(m.find(), output);
        assertTrue(Long.parseLong(m.group(1)) > 100, "too few signals arrived to call it a storm: " + output);
        assertTrue(Long.parseLong(m.group(2)) > 0, output);
    }

    private static long waitForReady(Path out, Process child) throws Exception {
        long deadline = System.nanoTime() + scaled(Duration.ofSeconds(60)).toNanos();
        Pattern ready = Pattern.compile("READY (\\d+)");
        while (System.nanoTime() < deadline) {
            Matcher m = ready.matcher(Files.readString(out));
            if (m.find()) {
                return Long.parseLong(m.group(1));
            }
            if (!child.isAlive()) {
                break;
            }
            Thread.sleep(20);
        }
        child.destroyForcibly();
        throw new AssertionError("the probe never became ready: " + Files.readString(out));
    }
}
