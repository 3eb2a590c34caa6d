package io.github.jsocketpair.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.jsocketpair.Descriptor;
import io.github.jsocketpair.Domain;
import io.github.jsocketpair.Endpoint;
import io.github.jsocketpair.Errno;
import io.github.jsocketpair.MessageFlag;
import io.github.jsocketpair.Received;
import io.github.jsocketpair.SocketFlag;
import io.github.jsocketpair.SocketPair;
import io.github.jsocketpair.SocketPairException;
import io.github.jsocketpair.SocketType;
import java.io.Closeable;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.condition.EnabledIf;

/**
 * Hostile input through every public entry point, driven by Jazzer: {@code open} and {@code openNative} with any
 * domain, type (flag bits included) and protocol; buffers of every kind (heap, direct, read-only, sliced, duplicated,
 * any position and limit, empty, up to 2 MiB); arrays of buffers with any offset, length and nulls; message flags in
 * the wrong direction and null; timeouts negative, zero, tiny and huge; null, closed, borrowed, random and received
 * descriptors; closes in any order. Every call must end in a result that keeps its contract (positions advance by what
 * was returned, nothing beyond the limit) or in a documented exception; never a crash, a hang or a leaked descriptor
 * (checked after every input).
 *
 * <p>Hangs are kept out by construction, not by luck: every endpoint keeps a read timeout of a few milliseconds, and
 * a write that may wait for room (blocking mode, the output stream, descriptors) is made only when the socket is
 * writable and the write small (poll's "writable" means most of the send buffer is free); otherwise it goes with
 * {@code DONTWAIT} or not at all. A call that still blocked would fail the test by its timeout.
 *
 * <p>In a normal build this runs in Jazzer's regression mode: the inputs under
 * {@code src/test/resources/io/github/jsocketpair/tests/LinuxApiFuzzITInputs/} and an empty one. To fuzz (x86-64
 * or arm64 Linux):
 *
 * <pre>
 * JAZZER_FUZZ=1 mvn -B -o test-compile surefire:test -pl tests -am -Dtest=LinuxApiFuzzIT#everyEntryPoint \
 *     -Dsurefire.failIfNoSpecifiedTests=false                       # 30 s
 * JAZZER_FUZZ=1 mvn -B -o test-compile surefire:test -pl tests -am -Dtest=LinuxApiFuzzIT#everyEntryPointForLong \
 *     -Dsurefire.failIfNoSpecifiedTests=false -Dgroups=soak -DexcludedGroups=   # 30 min
 * </pre>
 *
 * Findings land in that inputs directory (and {@code tests/.cifuzz-corpus} keeps the corpus); they then replay in
 * every build.
 */
@EnabledIf("io.github.jsocketpair.tests.LinuxTarget#supported")
class LinuxApiFuzzIT {
    private static final NativeNumbers N = LinuxTarget.numbers();
    /** What every endpoint's read timeout is kept at, so no read can hang. */
    private static final Duration SHORT = Duration.ofMillis(3);
    /** A write that may wait for room is made only this small, and only on a writable socket. */
    private static final int SAFE_WAITING_WRITE = 4096;

    @BeforeAll
    static void warmUp() throws Exception {
        // What opens descriptors for good on first use (jars, JNA's library, the JDK's FileChannel pre-close socket)
        // happens here, so that the count after each input compares exactly.
        try (SocketPair p = SocketPair.open()) {
            p.first().write(ByteBuffer.wrap(new byte[] {1}));
            p.second().read(ByteBuffer.allocate(1));
            // A platform thread's first wait in poll(2) opens the backend's pooled wake-up descriptor (an eventfd
            // here), kept for later waits: a read that times out makes it now, not inside the first input that waits.
            p.first().setReadTimeout(SHORT);
            try {
                p.first().read(ByteBuffer.allocate(1));
                throw new AssertionError("a read from an empty socket returned");
            } catch (SocketTimeoutException expected) {
                p.first().setReadTimeout(Duration.ZERO);
            }
            p.first().sendDescriptors(ByteBuffer.wrap(new byte[] {1}), p.second());
            p.second().receive(ByteBuffer.allocate(1)).descriptors().forEach(d -> {
                try {
                    d.close();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
        }
        Path tmp = Files.createTempFile("fuzz-warm-up", ".txt");
        Files.writeString(tmp, "x");
        Files.readString(tmp);
        Files.delete(tmp);
        try {
            SocketPair.openNative(-1, 1, 0).close();
        } catch (SocketPairException e) {
            e.getMessage();
        }
        longLived = Fds.snapshot();
    }

    /** Descriptors open since before the first input (jars, the JDK's, stdio): what a wrong close would hit. */
    private static Map<Integer, String> longLived = Map.of();

    @FuzzTest(maxDuration = "30s")
    void everyEntryPoint(FuzzedDataProvider data) throws Exception {
        Map<Integer, String> before = Fds.snapshot();
        try (World w = new World(data)) {
            int steps = data.consumeInt(1, 40);
            for (int i = 0; i < steps && data.remainingBytes() > 0; i++) {
                w.step();
            }
        }
        assertNoLeak(before);
    }

    /** The same target, for a long run (see the class comment). */
    @Tag("soak")
    @Tag("heavy")
    @FuzzTest(maxDuration = "30m")
    void everyEntryPointForLong(FuzzedDataProvider data) throws Exception {
        everyEntryPoint(data);
    }

    /**
     * Fails if the input left a descriptor open or closed one it did not own. Other threads (Jazzer's, the JVM's)
     * open and close files of their own meanwhile (cgroup limits, /proc), so an extra descriptor must persist to
     * count, and a missing one must be one that was open before the first input.
     */
    private static void assertNoLeak(Map<Integer, String> before) throws InterruptedException {
        Map<Integer, String> added = Map.of();
        Map<Integer, String> gone = Map.of();
        for (int i = 0; i < 50; i++) {
            Map<Integer, String> after = Fds.snapshot();
            added = new TreeMap<>(after);
            added.keySet().removeAll(before.keySet());
            gone = new TreeMap<>(before);
            gone.keySet().removeAll(after.keySet());
            gone.entrySet().retainAll(longLived.entrySet());
            // the listing's own directory, and numbers that closed while being listed (another thread's)
            added.values().removeIf(t -> t.startsWith("/proc/") || t.equals("?"));
            gone.values().removeIf(t -> t.startsWith("/proc/") || t.equals("?"));
            if (added.isEmpty() && gone.isEmpty()) {
                return;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("after the input, open: " + added + ", closed: " + gone);
    }

    /** {@code -Djsocketpair.fuzz.trace=true}: print every step, to see what a finding did. */
    private static final boolean TRACE = Boolean.getBoolean("jsocketpair.fuzz.trace");

    /** One input's objects: what it opened, received and borrowed, all closed at the end. */
    private static final class World implements Closeable {
        private final FuzzedDataProvider data;
        private final List<SocketPair> pairs = new ArrayList<>();
        private final List<Endpoint> endpoints = new ArrayList<>();
        private final List<Descriptor> descriptors = new ArrayList<>();

        World(FuzzedDataProvider data) {
            this.data = data;
        }

        @Override
        public void close() throws IOException {
            for (Descriptor d : descriptors) {
                d.close();
            }
            for (Endpoint e : endpoints) {
                e.close();
            }
            for (SocketPair p : pairs) {
                p.close();
            }
        }

        private void add(SocketPair p) throws IOException {
            pairs.add(p);
            for (Endpoint e : List.of(p.first(), p.second())) {
                adopted(e);
            }
        }

        private void adopted(Endpoint e) {
            endpoints.add(e);
            e.setReadTimeout(SHORT);
            e.setWriteTimeout(SHORT); // a batch of records may wait for room: no write may hang either
        }

        private Endpoint endpoint() {
            return endpoints.isEmpty() ? null : data.pickValue(endpoints);
        }

        void step() throws Exception {
            int op = data.consumeInt(0, 22);
            Endpoint e = endpoint();
            if (e == null && op > 2) {
                op = 0;
            }
            if (TRACE) {
                System.err.println("fuzz step " + op + " on " + e + (e == null ? "" : describe(e)));
            }
            switch (op) {
                case 0 -> call(() -> add(SocketPair.open(domain(), type(), data.consumeBoolean() ? 0
                        : data.consumeInt(-2, 300), flags())));
                case 1 -> call(() -> add(SocketPair.openNative(nativeDomain(), nativeType(), nativeProtocol())));
                case 2 -> call(() -> {
                    int fd = data.pickValue(new int[] {-1, 0, 1, 2, 3, 1_000_000, Integer.MAX_VALUE,
                        data.consumeInt()});
                    if (data.consumeBoolean()) {
                        descriptors.add(Descriptor.duplicate(fd));
                    } else {
                        descriptors.add(Descriptor.borrow(fd));
                    }
                });
                case 3 -> write(e);
                case 4 -> read(e);
                case 5 -> call(() -> {
                    ByteBuffer b = buffer(true);
                    int before = b == null ? 0 : b.position();
                    int rem = b == null ? 0 : b.remaining();
                    int n = e.send(b, sendFlags(e, b));
                    assertTrue(n >= 0 && n <= rem, "send returned " + n);
                    assertEquals(before + n, b.position());
                });
                case 6 -> call(() -> {
                    ByteBuffer b = buffer(false);
                    int before = b == null ? 0 : b.position();
                    int rem = b == null ? 0 : b.remaining();
                    Received r = e.receive(b, receiveFlags());
                    if (r != null) {
                        descriptors.addAll(r.descriptors());
                        assertTrue(r.bytes() >= -1 && r.bytes() <= rem, "receive returned " + r);
                        assertEquals(before + Math.max(0, r.bytes()), b.position());
                    }
                });
                case 7 -> vector(e, true);
                case 8 -> vector(e, false);
                case 9 -> sendDescriptors(e);
                case 10 -> call(() -> {
                    boolean input = data.consumeBoolean();
                    trace("shutdown " + (input ? "input" : "output"));
                    if (input) {
                        e.shutdownInput();
                    } else {
                        e.shutdownOutput();
                    }
                });
                case 11 -> call(() -> {
                    e.configureBlocking(data.consumeBoolean());
                    e.isBlocking();
                });
                case 12 -> call(() -> {
                    e.setCloseOnExec(data.consumeBoolean());
                    e.isCloseOnExec();
                });
                case 13 -> call(() -> {
                    Duration d = duration();
                    try {
                        e.setReadTimeout(d);
                        Duration got = e.readTimeout();
                        assertTrue(!got.isNegative() && got.compareTo(d) >= 0 || got.toMillis() == Integer.MAX_VALUE,
                                d + " became " + got);
                    } finally {
                        e.setReadTimeout(SHORT); // no read may hang
                    }
                });
                case 14 -> await(e);
                case 15 -> streams(e);
                case 16 -> call(() -> e.peerCredentials());
                case 17 -> call(() -> {
                    int size = data.pickValue(new int[] {-1, 0, 1, 4096, Integer.MAX_VALUE, data.consumeInt()});
                    if (data.consumeBoolean()) {
                        e.setSendBufferSize(size);
                        e.sendBufferSize();
                    } else {
                        e.setReceiveBufferSize(size);
                        e.receiveBufferSize();
                    }
                });
                case 18 -> call(() -> {
                    if (data.consumeBoolean() && !pairs.isEmpty()) {
                        data.pickValue(pairs).close();
                    } else {
                        e.close();
                    }
                });
                case 19 -> call(() -> {
                    Descriptor d = descriptorArg();
                    Endpoint a = Endpoint.adopt(d);
                    adopted(a);
                });
                case 22 -> batch(e);
                case 20 -> call(() -> {
                    e.fd();
                    e.isOpen();
                    e.domain();
                    e.type();
                    e.toString();
                });
                default -> call(() -> {
                    if (!descriptors.isEmpty()) {
                        data.pickValue(descriptors).close();
                    }
                });
            }
        }

        private static void trace(String what) {
            if (TRACE) {
                System.err.println("fuzz   " + what);
            }
        }

        private static String describe(Endpoint e) {
            try {
                return " blocking=" + e.isBlocking() + " timeout=" + e.readTimeout();
            } catch (IOException | RuntimeException x) {
                return " (" + x + ")";
            }
        }

        // ---- arguments ------------------------------------------------------------------------------------------

        private Domain domain() {
            return data.consumeInt(0, 15) == 0 ? null : data.pickValue(Domain.values());
        }

        private SocketType type() {
            return data.consumeInt(0, 15) == 0 ? null : data.pickValue(SocketType.values());
        }

        private SocketFlag[] flags() {
            if (data.consumeInt(0, 31) == 0) {
                return null;
            }
            int n = data.consumeInt(0, 5);
            SocketFlag[] f = new SocketFlag[n];
            for (int i = 0; i < n; i++) {
                f[i] = data.consumeInt(0, 15) == 0 ? null : data.pickValue(SocketFlag.values());
            }
            return f;
        }

        private int nativeDomain() {
            return data.pickValue(new int[] {N.afUnix(), N.afUnix(), N.afUnix(), 30, N.afInet(), 0, -1, 16, 44,
                data.consumeInt()});
        }

        private int nativeType() {
            int t = data.pickValue(new int[] {N.sockStream(), N.sockDgram(), N.sockSeqpacket(), 3, 4, 10, 0,
                data.consumeInt()});
            if (data.consumeBoolean()) {
                t |= N.sockNonblock();
            }
            if (data.consumeBoolean()) {
                t |= N.sockCloexec();
            }
            if (data.consumeInt(0, 7) == 0) {
                t |= 1 << data.consumeInt(4, 31);
            }
            return t;
        }

        private int nativeProtocol() {
            return data.pickValue(new int[] {0, 0, 0, 1, N.invalidProtocol(), -1, data.consumeInt()});
        }

        /** Any kind of buffer, or null; {@code forWrite} buffers hold fuzz bytes. */
        private ByteBuffer buffer(boolean forWrite) {
            int kind = data.consumeInt(0, 31);
            if (kind == 0) {
                return null;
            }
            int cap = kind == 1 ? data.consumeInt(0, 2 << 20) : data.consumeInt(0, 3000);
            ByteBuffer b = data.consumeBoolean() ? ByteBuffer.allocateDirect(cap) : ByteBuffer.allocate(cap);
            if (forWrite && cap > 0) {
                byte[] fill = data.consumeBytes(Math.min(cap, 64));
                for (int i = 0; i < cap; i += Math.max(1, fill.length)) {
                    b.put(i, fill.length == 0 ? 0 : fill[i % fill.length]);
                }
            }
            if (cap > 0 && data.consumeBoolean()) {
                int lim = data.consumeInt(0, cap);
                b.limit(lim).position(data.consumeInt(0, lim));
            }
            switch (data.consumeInt(0, 5)) {
                case 0 -> b = b.slice();
                case 1 -> b = b.duplicate();
                case 2 -> b = b.asReadOnlyBuffer();
                default -> { }
            }
            return b;
        }

        private MessageFlag[] sendFlags(Endpoint e, ByteBuffer b) {
            List<MessageFlag> f = new ArrayList<>();
            int n = data.consumeInt(0, 3);
            for (int i = 0; i < n; i++) {
                f.add(data.consumeInt(0, 15) == 0 ? null : data.pickValue(MessageFlag.values()));
            }
            if (!mayBlockOnWrite(e, b)) {
                f.add(MessageFlag.DONTWAIT);
            }
            return data.consumeInt(0, 63) == 0 ? null : f.toArray(MessageFlag[]::new);
        }

        private MessageFlag[] receiveFlags() {
            if (data.consumeInt(0, 63) == 0) {
                return null;
            }
            int n = data.consumeInt(0, 3);
            MessageFlag[] f = new MessageFlag[n];
            for (int i = 0; i < n; i++) {
                f[i] = data.consumeInt(0, 15) == 0 ? null : data.pickValue(MessageFlag.values());
            }
            return f;
        }

        private Duration duration() {
            return switch (data.consumeInt(0, 7)) {
                case 0 -> null;
                case 1 -> Duration.ofNanos(-1 - data.consumeInt(0, 1000));
                case 2 -> Duration.ZERO;
                case 3 -> Duration.ofNanos(1);
                case 4 -> Duration.ofDays(365L * 1000);
                case 5 -> Duration.ofSeconds(Long.MAX_VALUE, 999_999_999);
                case 6 -> Duration.ofMillis(Integer.MAX_VALUE).plusNanos(1);
                default -> Duration.ofNanos(data.consumeLong(0, 5_000_000));
            };
        }

        private Descriptor descriptorArg() throws IOException {
            switch (data.consumeInt(0, 5)) {
                case 0:
                    return null;
                case 1:
                    return descriptors.isEmpty() ? null : data.pickValue(descriptors);
                case 2:
                    return Descriptor.borrow(data.pickValue(new int[] {0, 1, 2, 3, 999_999}));
                default:
                    return endpoints.isEmpty() ? null : data.pickValue(endpoints);
            }
        }

        // ---- operations -----------------------------------------------------------------------------------------

        /** Whether a write of {@code bytes} on {@code e} could block: a blocking endpoint with no room for it. */
        private boolean mayBlockOnWrite(Endpoint e, ByteBuffer b) {
            return mayBlockOnWrite(e, b == null ? 0 : b.remaining());
        }

        private boolean mayBlockOnWrite(Endpoint e, long bytes) {
            try {
                return e.isBlocking() && !roomFor(e, bytes);
            } catch (IOException | RuntimeException x) {
                return false; // closed: the call fails at once anyway
            }
        }

        /** A write that waits for room cannot wait: small, and the socket reports itself writable. */
        private static boolean roomFor(Endpoint e, long bytes) {
            try {
                return bytes <= SAFE_WAITING_WRITE && e.awaitWritable(Duration.ZERO);
            } catch (IOException | RuntimeException x) {
                return true; // closed: the call fails at once anyway
            }
        }

        private void write(Endpoint e) {
            call(() -> {
                ByteBuffer b = buffer(true);
                int before = b == null ? 0 : b.position();
                int rem = b == null ? 0 : b.remaining();
                int n = mayBlockOnWrite(e, b) ? e.send(b, MessageFlag.DONTWAIT) : e.write(b);
                assertTrue(n >= 0 && n <= rem, "write returned " + n);
                assertEquals(before + n, b.position());
            });
        }

        private void read(Endpoint e) {
            call(() -> {
                ByteBuffer b = buffer(false);
                int before = b == null ? 0 : b.position();
                int rem = b == null ? 0 : b.remaining();
                int limit = b == null ? 0 : b.limit();
                int n = e.read(b);
                assertTrue(n >= -1 && n <= rem, "read returned " + n);
                assertEquals(before + Math.max(0, n), b.position());
                assertEquals(limit, b.limit());
            });
        }

        /** sendBatch/receiveBatch over 0 to 4 buffers of any kind, with any offsets. */
        private void batch(Endpoint e) {
            call(() -> {
                boolean send = data.consumeBoolean();
                int len = data.consumeInt(0, 4);
                ByteBuffer[] bufs = data.consumeInt(0, 31) == 0 ? null : new ByteBuffer[len];
                int[] before = new int[len];
                for (int i = 0; bufs != null && i < len; i++) {
                    bufs[i] = buffer(send);
                    before[i] = bufs[i] == null ? 0 : bufs[i].position();
                }
                int off = data.consumeInt(-1, len + 1);
                int count = data.consumeInt(-1, len + 1);
                boolean whole = data.consumeBoolean();
                int n = send ? (whole ? e.sendBatch(bufs) : e.sendBatch(bufs, off, count))
                        : (whole ? e.receiveBatch(bufs) : e.receiveBatch(bufs, off, count));
                int most = whole ? len : count;
                assertTrue(n >= (send ? 0 : -1) && n <= most, (send ? "sendBatch" : "receiveBatch") + " returned "
                        + n + " of " + most);
                int from = whole ? 0 : off;
                for (int i = 0; i < len; i++) {
                    boolean moved = i >= from && i < from + Math.max(0, n);
                    if (!moved && bufs[i] != null) {
                        assertEquals(before[i], bufs[i].position(), "a buffer past the count was touched");
                    }
                }
            });
        }

        private void vector(Endpoint e, boolean write) {
            call(() -> {
                int len = data.consumeInt(0, 6);
                ByteBuffer[] bufs = data.consumeInt(0, 31) == 0 ? null : new ByteBuffer[len];
                long rem = 0;
                for (int i = 0; bufs != null && i < len; i++) {
                    bufs[i] = buffer(write);
                    rem += bufs[i] == null ? 0 : bufs[i].remaining();
                }
                int off = data.consumeInt(-1, len + 1);
                int count = data.consumeInt(-1, len + 1);
                long n;
                if (write) {
                    ByteBuffer whole = null;
                    if (bufs != null && mayBlockOnWrite(e, rem)) {
                        // a gathering write cannot take DONTWAIT: send the first buffer that way instead
                        whole = bufs.length > 0 ? bufs[0] : null;
                        n = e.send(whole, MessageFlag.DONTWAIT);
                    } else {
                        n = data.consumeBoolean() ? e.write(bufs) : e.write(bufs, off, count);
                    }
                } else {
                    n = data.consumeBoolean() ? e.read(bufs) : e.read(bufs, off, count);
                }
                assertTrue(n >= -1 && n <= rem, (write ? "write" : "read") + " of an array returned " + n);
            });
        }

        private void sendDescriptors(Endpoint e) {
            call(() -> {
                ByteBuffer b = buffer(true);
                int k = data.pickValue(new int[] {0, 1, 2, 3, 253, 254, 300});
                Descriptor[] ds = data.consumeInt(0, 31) == 0 ? null : new Descriptor[k];
                for (int i = 0; ds != null && i < k; i++) {
                    ds[i] = i < 4 ? descriptorArg() : data.pickValue(endpoints);
                }
                int rem = b == null ? 0 : b.remaining();
                if (mayBlockOnWrite(e, b)) {
                    return; // no DONTWAIT variant: leave it out rather than risk a full buffer
                }
                int n = e.sendDescriptors(b, ds);
                assertTrue(n >= 0 && n <= rem, "sendDescriptors returned " + n);
            });
        }

        private void await(Endpoint e) {
            call(() -> {
                Duration d = duration();
                boolean readable = data.consumeBoolean();
                if (d != null && !d.isNegative() && d.compareTo(Duration.ofMillis(10)) > 0) {
                    // a long wait only where it returns at once
                    boolean ready = readable ? e.awaitReadable(Duration.ZERO) : e.awaitWritable(Duration.ZERO);
                    if (!ready) {
                        d = Duration.ofMillis(1);
                    }
                }
                if (readable) {
                    e.awaitReadable(d);
                } else {
                    e.awaitWritable(d);
                }
            });
        }

        private void streams(Endpoint e) {
            call(() -> {
                int cap = data.consumeInt(0, 2000);
                byte[] a = data.consumeInt(0, 31) == 0 ? null : new byte[cap];
                int off = data.consumeInt(-1, cap + 1);
                int len = data.consumeInt(-1, cap + 1);
                if (data.consumeBoolean()) {
                    boolean one = data.consumeBoolean();
                    trace("stream read " + (one ? "one byte" : a == null ? "null" : a.length + " " + off + " " + len));
                    int n = one ? e.inputStream().read() : e.inputStream().read(a, off, len);
                    assertTrue(n >= -1, "stream read returned " + n);
                } else if (roomFor(e, Math.max(0, len))) {
                    // the stream waits for room even in non-blocking mode
                    e.outputStream().write(a, off, len);
                }
            });
        }

        // ---- outcomes -------------------------------------------------------------------------------------------

        @FunctionalInterface
        private interface Call {
            void run() throws Exception;
        }

        /** Runs one call; anything but a result or a documented exception is a finding. */
        private void call(Call c) {
            try {
                c.run();
            } catch (NullPointerException | IllegalArgumentException | IndexOutOfBoundsException
                    | ClosedChannelException | SocketTimeoutException | UnsupportedOperationException e) {
                // documented: null, bad argument, bad offsets, closed, timed out, not on this socket
                e.getMessage();
            } catch (SocketPairException e) {
                if (e.errno() == Errno.UNKNOWN || !e.getMessage().contains(e.errno().name())) {
                    throw new AssertionError("an errno without a name: " + e.getMessage(), e);
                }
                if (!Set.of("socketpair", "read", "write", "send", "recv", "sendmsg", "recvmsg", "readv", "writev",
                        "poll", "fcntl", "getsockopt", "setsockopt", "shutdown", "close", "sendmmsg", "recvmmsg", "epoll_ctl",
                        "eventfd").contains(e.call())) {
                    throw new AssertionError("unexpected call " + e.call(), e);
                }
            } catch (IOException e) {
                throw new AssertionError("an undocumented IOException: " + e, e);
            } catch (Exception e) {
                throw new AssertionError("an undocumented exception: " + e, e);
            }
        }
    }
}
