package io.github.jsocketpair.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.jsocketpair.Domain;
import io.github.jsocketpair.Errno;
import io.github.jsocketpair.SocketFlag;
import io.github.jsocketpair.SocketPair;
import io.github.jsocketpair.SocketPairException;
import io.github.jsocketpair.SocketType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Soak: many open/close cycles and many failing opens leave the descriptor count and native memory (direct buffers,
 * JNA {@code Memory}, the C heap: {@link NativeMemory}) where they were. The full run, 10⁶ cycles and 10⁵ failing
 * opens of each kind, is tagged {@code heavy} and {@code soak} and not part of a normal build:
 *
 * <pre>
 * mvn -B -o test-compile surefire:test -pl tests -am -Dtest='Linux*IT' -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dgroups=soak -DexcludedGroups=
 * </pre>
 *
 * <p>The untagged versions run the same code with fewer cycles (under a minute natively, less again when emulated).
 */
@Timeout(value = 30, unit = TimeUnit.MINUTES)
public abstract class SoakContract extends ContractBase {
    /** How much the C heap may grow in a soak: JIT compilations and the JVM's own tables, nothing per cycle. */
    private static final long MALLOC_SLACK = 16L << 20;

    /** Skips where descriptors cannot be counted. */
    @BeforeEach
    protected void needFdCount() {
        assumeTrue(Fds.available(), "no /proc/self/fd or /dev/fd");
    }

    private static int scaledCount(int n) {
        if (!TestEnv.emulated()) {
            return n;
        }
        return System.getProperty("os.arch", "").startsWith("mips") ? n / 50 : n / 10; // mips64el: no JIT at all
    }

    @Test
    void openCloseCycles() throws Exception {
        cycles(scaledCount(100_000), scaledCount(200));
    }

    @Tag("heavy")
    @Tag("soak")
    @Test
    void aMillionOpenCloseCycles() throws Exception {
        cycles(1_000_000, 10_000);
    }

    @Test
    void failingOpens() throws Exception {
        failures(scaledCount(25_000));
    }

    @Tag("heavy")
    @Tag("soak")
    @Test
    void aHundredThousandFailingOpensOfEachKind() throws Exception {
        failures(100_000);
    }

    /**
     * {@code n} open/close cycles over every type and flag set, some with a transfer through heap and direct buffers,
     * some closing one end first, some through {@code openNative}; then {@code threads} short-lived threads that each
     * transfer once (each gets its own scratch memory, which must go when the thread does).
     */
    private void cycles(int n, int threads) throws Exception {
        List<SocketType> types = new ArrayList<>(caps().types());
        List<SocketFlag> offered = new ArrayList<>(caps().flags());
        Random rnd = new Random(n);
        ByteBuffer direct = ByteBuffer.allocateDirect(64);
        ByteBuffer heap = ByteBuffer.allocate(64);
        for (int warm = 0; warm < 2; warm++) {
            cycle(types.get(0), EnumSet.of(SocketFlag.CLOEXEC), true, direct, heap, 0);
        }
        // The first measurement opens the JDK's one-time FileChannel "pre-close" socket: take it before the mark.
        NativeMemory.settled();
        Fds.Mark fds = Fds.mark();
        long t0 = System.nanoTime();
        NativeMemory[] seen = assertNoGrowthAcross(n + " open/close cycles and " + threads + " threads", () -> {
            for (int i = 0; i < n; i++) {
                Set<SocketFlag> flags = EnumSet.noneOf(SocketFlag.class);
                for (SocketFlag f : offered) {
                    if (rnd.nextBoolean()) {
                        flags.add(f);
                    }
                }
                cycle(types.get(i % types.size()), flags, i % 16 == 0, direct, heap, i);
            }
            for (int t = 0; t < threads; t++) {
                Thread th = new Thread(() -> {
                    try {
                        cycle(SocketType.STREAM, EnumSet.of(SocketFlag.CLOEXEC), true, ByteBuffer.allocateDirect(8),
                                ByteBuffer.allocate(8), 1);
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
                th.start();
                th.join();
            }
        });
        long nanos = System.nanoTime() - t0;
        fds.assertUnchanged(n + " open/close cycles");
        System.out.printf("soak: %d cycles and %d threads in %d ms; native %s -> %s%n", n, threads, nanos / 1_000_000,
                seen[0], seen[1]);
    }

    /** One measured round of a soak. */
    @FunctionalInterface
    private interface Round {
        void run() throws Exception;
    }

    /**
     * Runs {@code round} between two settled measurements and fails if native memory grew. The C heap also holds the
     * JVM's own memory, which comes and goes at its own pace (C2 compiles the loop during the first round, and its
     * arenas stay in use for a while after), so growth in one round is confirmed by a second: a leak per cycle grows
     * again, the JVM's one-off does not.
     *
     * @return the measurements before and after the last round
     */
    private static NativeMemory[] assertNoGrowthAcross(String what, Round round) throws Exception {
        NativeMemory before = NativeMemory.settled();
        round.run();
        NativeMemory after = NativeMemory.settled();
        try {
            after.assertNoGrowthSince(before, MALLOC_SLACK, what);
            return new NativeMemory[] {before, after};
        } catch (AssertionError first) {
            round.run();
            NativeMemory again = NativeMemory.settled();
            try {
                again.assertNoGrowthSince(after, MALLOC_SLACK, what + ", run a second time");
            } catch (AssertionError second) {
                second.addSuppressed(first);
                throw second;
            }
            return new NativeMemory[] {after, again};
        }
    }

    private void cycle(SocketType type, Set<SocketFlag> flags, boolean transfer, ByteBuffer direct, ByteBuffer heap,
            int i) throws IOException {
        SocketPair p;
        if (i % 7 == 3) {
            p = SocketPair.openNative(numbers().afUnix(), type == SocketType.STREAM ? numbers().sockStream()
                    : type == SocketType.DGRAM ? numbers().sockDgram() : numbers().sockSeqpacket(), 0);
        } else {
            p = SocketPair.open(Domain.UNIX, type, flags.toArray(SocketFlag[]::new));
        }
        try {
            if (transfer) {
                direct.clear().limit(8);
                assertEquals(8, p.first().write(direct));
                heap.clear();
                assertTrue(p.second().awaitReadable(scaled(Duration.ofSeconds(10))));
                assertEquals(8, p.second().read(heap));
                heap.flip();
                assertEquals(8, p.second().write(heap));
                direct.clear();
                assertTrue(p.first().awaitReadable(scaled(Duration.ofSeconds(10))));
                assertEquals(8, p.first().receive(direct).bytes());
            }
            if (i % 3 == 0) {
                p.second().close();
            }
        } finally {
            p.close();
        }
    }

    /**
     * {@code n} failing opens of each kind in this JVM (a family with no socketpair, no family at all, a bad
     * protocol, a refused flag), then {@code n} opens failing with {@code EMFILE} in a child JVM whose descriptor
     * limit is lowered, each measured the same way.
     */
    private void failures(int n) throws Exception {
        NativeNumbers nn = numbers();
        Set<SocketFlag> missing = EnumSet.complementOf(EnumSet.copyOf(caps().flags()));
        for (int warm = 0; warm < 3; warm++) {
            failOnce(nn, missing, warm);
        }
        // The first measurement opens the JDK's one-time FileChannel "pre-close" socket: take it before the mark.
        NativeMemory.settled();
        Fds.Mark fds = Fds.mark();
        long t0 = System.nanoTime();
        NativeMemory[] seen = assertNoGrowthAcross(4 * n + " failed opens", () -> {
            for (int i = 0; i < 4 * n; i++) {
                failOnce(nn, missing, i);
            }
        });
        long nanos = System.nanoTime() - t0;
        fds.assertUnchanged(4 * n + " failed opens");
        System.out.printf("soak: %d failing opens in %d ms; native %s -> %s%n", 4 * n, nanos / 1_000_000, seen[0],
                seen[1]);

        List<String> cmd = new ArrayList<>(List.of("sh", "-c", "ulimit -n $0 && exec \"$@\"", "96",
                TestEnv.javaCommand(), "-Xmx96m", "-XX:TieredStopAtLevel=1", "-XX:+IgnoreUnrecognizedVMOptions",
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                SoakProbe.class.getName(), String.valueOf(n), String.valueOf(nn.errno(Errno.EMFILE))));
        TestEnv.Result r = TestEnv.run(cmd, scaled(Duration.ofMinutes(10)));
        assertEquals(0, r.exitCode(), r.output());
        Matcher m = Pattern.compile("OK emfile=(\\d+)").matcher(r.output());
        assertTrue(m.find(), r.output());
        assertEquals(n, Integer.parseInt(m.group(1)), r.output());
        System.out.println("soak: child " + r.output().trim());
    }

    private static void failOnce(NativeNumbers nn, Set<SocketFlag> missing, int i) {
        SocketPairException e = assertThrows(SocketPairException.class, () -> {
            switch (i % 4) {
                case 0 -> SocketPair.openNative(nn.afInet(), nn.sockStream(), 0).close();
                case 1 -> SocketPair.openNative(-1 - (i & 0xff), nn.sockDgram(), 0).close();
                case 2 -> SocketPair.open(Domain.UNIX, SocketType.STREAM, nn.invalidProtocol()).close();
                default -> {
                    if (missing.isEmpty()) {
                        SocketPair.openNative(nn.afUnix(), nn.sockStream() | nn.invalidTypeBit(), 0).close();
                    } else {
                        SocketPair.open(Domain.UNIX, SocketType.STREAM, missing.iterator().next()).close();
                    }
                }
            }
        });
        if (e.errno() == Errno.UNKNOWN) {
            throw new AssertionError("unnamed errno: " + e.getMessage());
        }
    }
}
