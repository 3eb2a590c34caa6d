package io.github.jsocketpair.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.jsocketpair.Domain;
import io.github.jsocketpair.Endpoint;
import io.github.jsocketpair.Errno;
import io.github.jsocketpair.MessageFlag;
import io.github.jsocketpair.SocketFlag;
import io.github.jsocketpair.SocketPair;
import io.github.jsocketpair.SocketPairException;
import io.github.jsocketpair.SocketType;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.Pipe;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Concurrency stress: many threads read, write, wait on, reconfigure and close the same endpoints at random. What must
 * hold: no crash; no error but the ones a closed endpoint or a vanished peer explains (never {@code EBADF} or
 * {@code ENOTSOCK}: that would be a call on a number we did not own); no call ever reaches a reused descriptor number,
 * which decoys prove (temporary files and pipes opened right after every close, so they take the freed numbers; none
 * may ever be written to, read from or closed); and every thread blocked in a call is released by the close.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
public abstract class StressContract extends ContractBase {
    /** What a vanished or shut-down peer may legitimately cause. */
    private static final Set<Errno> PEER_GONE = EnumSet.of(Errno.EPIPE, Errno.ECONNRESET, Errno.ECONNREFUSED,
            Errno.ENOTCONN);

    @ParameterizedTest
    @EnumSource(SocketType.class)
    void randomOperationsAndClosesFromManyThreads(SocketType type) throws Exception {
        boolean slow = TestEnv.emulated();
        int rounds = slow ? 3 : 25;
        int threads = slow ? 6 : 10;
        long roundNanos = scaledRound(slow);
        Stats stats = new Stats();
        Decoys.warmUp();
        Fds.Mark before = Fds.mark();
        for (int round = 0; round < rounds; round++) {
            try (Decoys decoys = new Decoys()) {
                SocketPair p = SocketPair.open(Domain.UNIX, type, SocketFlag.CLOEXEC);
                Endpoint[] ends = {p.first(), p.second()};
                long stopAt = System.nanoTime() + roundNanos;
                List<Thread> workers = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    long seed = round * 1000L + t;
                    workers.add(start("chaos-" + t, () -> chaos(ends, new Random(seed), stopAt, decoys, stats)));
                }
                workers.add(start("decoys", () -> {
                    // keep freshly freed numbers occupied while calls may still be in flight
                    while (System.nanoTime() < stopAt && decoys.size() < 200) {
                        decoys.add();
                        Thread.sleep(2);
                    }
                    return null;
                }));
                Thread.sleep(roundNanos / 1_000_000);
                p.close(); // releases every thread still blocked
                decoys.add();
                joinAll(workers, stats);
                decoys.verifyUntouched();
            }
        }
        assertEquals(List.of(), stats.violations(), "violations");
        synchronized (UNCAUGHT) {
            assertEquals(List.of(), UNCAUGHT, "worker failures");
        }
        before.assertUnchanged(rounds + " rounds of chaos on " + type);
        assertTrue(stats.ops.get() > rounds * 20L, "too few operations ran: " + stats);
        assertTrue(stats.chaosCloses.get() > 0, "no thread closed an endpoint: " + stats);
        assertTrue(stats.released.get() > 0, "no blocked call was released by a close: " + stats);
    }

    private static long scaledRound(boolean slow) {
        return scaled(Duration.ofMillis(slow ? 100 : 150)).toNanos();
    }

    /** One worker: random calls on random ends until the round is over and the ends are closed. */
    private static Void chaos(Endpoint[] ends, Random rnd, long stopAt, Decoys decoys, Stats stats) {
        byte[] data = new byte[300];
        rnd.nextBytes(data);
        while (true) {
            Endpoint e = ends[rnd.nextInt(2)];
            if (!ends[0].isOpen() && !ends[1].isOpen()) {
                return null;
            }
            int op = rnd.nextInt(100);
            try {
                stats.ops.incrementAndGet();
                chaosOp(e, op, rnd, data, decoys, stats);
            } catch (AsynchronousCloseException x) {
                stats.released.incrementAndGet();
            } catch (ClosedChannelException | SocketTimeoutException x) {
                // a closed endpoint, or a short read timeout: expected
                Thread.onSpinWait();
            } catch (SocketPairException x) {
                if (!PEER_GONE.contains(x.errno())) {
                    stats.violation("op " + op + " on " + e + ": " + x);
                }
            } catch (Throwable x) {
                stats.violation("op " + op + " on " + e + ": " + x);
            }
        }
    }

    private static void chaosOp(Endpoint e, int op, Random rnd, byte[] data, Decoys decoys, Stats stats)
            throws IOException {
        int n = 1 + rnd.nextInt(data.length);
        if (op < 12) {
            e.write(ByteBuffer.wrap(data, 0, n));
        } else if (op < 20) {
            ByteBuffer b = ByteBuffer.allocateDirect(n).put(data, 0, n).flip();
            e.write(b);
        } else if (op < 30) {
            e.read(ByteBuffer.allocate(512)); // blocking: only data, end of stream or a close ends it
        } else if (op < 36) {
            e.receive(ByteBuffer.allocateDirect(512), MessageFlag.DONTWAIT);
        } else if (op < 42) {
            e.send(ByteBuffer.wrap(data, 0, n), MessageFlag.DONTWAIT);
        } else if (op < 50) {
            e.setReadTimeout(Duration.ofMillis(5 + rnd.nextInt(20)));
            e.receive(ByteBuffer.allocate(512));
        } else if (op < 56) {
            e.awaitReadable(Duration.ofMillis(rnd.nextInt(20)));
        } else if (op < 60) {
            e.awaitWritable(Duration.ofMillis(rnd.nextInt(20)));
        } else if (op < 66) {
            e.write(new ByteBuffer[] {ByteBuffer.wrap(data, 0, n / 2), ByteBuffer.allocateDirect(n - n / 2)});
        } else if (op < 72) {
            e.read(new ByteBuffer[] {ByteBuffer.allocate(10), ByteBuffer.allocateDirect(500)});
        } else if (op < 78) {
            e.inputStream().read(new byte[256]);
        } else if (op < 83) {
            e.outputStream().write(data, 0, n);
        } else if (op < 90) {
            e.isBlocking();
            e.isCloseOnExec();
            e.sendBufferSize();
            e.readTimeout();
        } else if (op < 94) {
            e.configureBlocking(rnd.nextInt(4) != 0);
        } else if (op < 96) {
            e.setReadTimeout(Duration.ZERO);
        } else if (op < 98) {
            e.peerCredentials();
        } else if (e.isOpen()) {
            e.close();
            stats.chaosCloses.incrementAndGet();
            decoys.add(); // take the number that was just freed (or will be, when the last call leaves)
        }
    }

    @ParameterizedTest
    @EnumSource(SocketType.class)
    void oneCloseReleasesEveryKindOfBlockedCall(SocketType type) throws Exception {
        SocketPair p = open(type, SocketFlag.CLOEXEC);
        Endpoint victim = p.first();
        long filled = fill(victim, type == SocketType.STREAM ? 4096 : 512);
        assertTrue(filled > 0);
        Fds.Mark before = Fds.mark();
        List<CompletableFuture<Object>> blocked = new ArrayList<>();
        blocked.add(async(() -> victim.read(ByteBuffer.allocate(64))));
        blocked.add(async(() -> victim.read(ByteBuffer.allocateDirect(64))));
        blocked.add(async(() -> victim.receive(ByteBuffer.allocate(64))));
        blocked.add(async(() -> victim.read(new ByteBuffer[] {ByteBuffer.allocate(8), ByteBuffer.allocate(8)})));
        blocked.add(async(() -> victim.inputStream().read(new byte[8])));
        blocked.add(async(() -> victim.awaitReadable(Duration.ofDays(1))));
        blocked.add(async(() -> {
            victim.setReadTimeout(Duration.ofHours(1));
            return victim.receive(ByteBuffer.allocate(64));
        }));
        blocked.add(async(() -> victim.write(ByteBuffer.allocate(type == SocketType.STREAM ? 1 << 20 : 512))));
        blocked.add(async(() -> {
            victim.outputStream().write(new byte[type == SocketType.STREAM ? 1 << 20 : 512]);
            return null;
        }));
        blocked.add(async(() -> victim.write(new ByteBuffer[] {ByteBuffer.allocate(256), ByteBuffer.allocate(256)})));
        awaitBlocked(victim, blocked.size()); // two in the wait path, the others queued behind them
        for (CompletableFuture<Object> f : blocked) {
            assertTrue(!f.isDone(), () -> "a call that should block ended: " + f);
        }
        victim.close();
        int i = 0;
        for (CompletableFuture<Object> f : blocked) {
            int k = i++;
            ExecutionException x = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                    () -> f.get(scaled(Duration.ofSeconds(10)).toMillis(), TimeUnit.MILLISECONDS),
                    "blocked call " + k + " was not released by close");
            assertInstanceOf(AsynchronousCloseException.class, x.getCause(), "call " + k);
        }
        before.assertChange(-1, "the closed end, and nothing else");
    }

    @Test
    void closingFromManyThreadsAtOnceClosesOnce() throws Exception {
        int rounds = TestEnv.emulated() ? 20 : 300;
        Decoys.warmUp();
        Fds.Mark before = Fds.mark();
        for (int r = 0; r < rounds; r++) {
            SocketPair p = SocketPair.open();
            try (Decoys decoys = new Decoys()) {
                List<CompletableFuture<Object>> closers = new ArrayList<>();
                java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
                for (int t = 0; t < 6; t++) {
                    closers.add(async(() -> {
                        go.await();
                        p.close();
                        decoys.add();
                        return null;
                    }));
                }
                go.countDown();
                for (CompletableFuture<Object> f : closers) {
                    f.get(scaled(Duration.ofSeconds(10)).toMillis(), TimeUnit.MILLISECONDS);
                }
                decoys.verifyUntouched();
            }
        }
        before.assertUnchanged(rounds + " racing closes");
    }

    // ---- helpers ------------------------------------------------------------------------------------------------

    @FunctionalInterface
    private interface Body {
        Object run() throws Exception;
    }

    private static final List<String> UNCAUGHT = Collections.synchronizedList(new ArrayList<>());

    private static Thread start(String name, Body body) {
        Thread t = new Thread(() -> {
            try {
                body.run();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, name);
        t.setUncaughtExceptionHandler((th, e) -> UNCAUGHT.add(th.getName() + ": " + e));
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static void joinAll(List<Thread> threads, Stats stats) throws InterruptedException {
        long deadline = System.nanoTime() + scaled(Duration.ofSeconds(15)).toNanos();
        for (Thread t : threads) {
            t.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            if (t.isAlive()) {
                fail("thread " + t.getName() + " still blocked after both ends were closed:\n"
                        + Arrays.toString(t.getStackTrace()).replace(", ", "\n  ") + "\nstats: " + stats);
            }
        }
    }

    /** Counters shared by the workers. */
    private static final class Stats {
        final AtomicLong ops = new AtomicLong();
        final AtomicLong released = new AtomicLong();
        final AtomicLong chaosCloses = new AtomicLong();
        private final List<String> violations = Collections.synchronizedList(new ArrayList<>());

        void violation(String v) {
            if (violations.size() < 20) {
                violations.add(v);
            }
        }

        List<String> violations() {
            synchronized (violations) {
                return List.copyOf(violations);
            }
        }

        @Override
        public String toString() {
            return ops + " ops, " + released + " blocked calls released by close, " + chaosCloses
                    + " closes by workers";
        }
    }

    /**
     * Files and pipes opened to take descriptor numbers as soon as they are freed. A call that reached a reused
     * number would write into one (a file grows, a pipe holds bytes), read from one, or close one (its channel then
     * fails): {@link #verifyUntouched()} checks for all three.
     */
    static final class Decoys implements AutoCloseable {
        private final List<FileChannel> files = Collections.synchronizedList(new ArrayList<>());
        private final List<Path> paths = Collections.synchronizedList(new ArrayList<>());
        private final List<Pipe> pipes = Collections.synchronizedList(new ArrayList<>());

        /** The JDK opens a socket of its own, once, the first time a pipe is made (sun.nio.ch's set-up). */
        static void warmUp() throws IOException {
            try (Decoys d = new Decoys()) {
                d.add();
            }
        }

        int size() {
            return files.size() + pipes.size();
        }

        void add() throws IOException {
            if (size() > 600) {
                return; // plenty; stay far from the descriptor limit
            }
            Path f = Files.createTempFile(TestEnv.buildDir(), "decoy", ".bin");
            paths.add(f);
            files.add(FileChannel.open(f, StandardOpenOption.WRITE, StandardOpenOption.READ));
            Pipe pipe = Pipe.open();
            pipe.source().configureBlocking(false);
            pipes.add(pipe);
        }

        void verifyUntouched() throws IOException {
            synchronized (files) {
                for (int i = 0; i < files.size(); i++) {
                    FileChannel fc = files.get(i);
                    assertEquals(0, fc.size(), "a decoy file was written through a reused number: " + paths.get(i));
                    assertEquals(0, fc.position(), "a decoy file was read or written: " + paths.get(i));
                }
            }
            synchronized (pipes) {
                for (Pipe pipe : pipes) {
                    ByteBuffer b = ByteBuffer.allocate(64);
                    assertEquals(0, pipe.source().read(b), "a decoy pipe holds bytes written through a reused number");
                    // the pipe still works end to end: neither of its numbers was closed or read by mistake
                    assertEquals(1, pipe.sink().write(ByteBuffer.wrap(new byte[] {42})));
                    assertEquals(1, pipe.source().read(b.clear()));
                }
            }
        }

        @Override
        public void close() throws IOException {
            synchronized (files) {
                for (FileChannel fc : files) {
                    fc.close();
                }
                for (Path p : paths) {
                    Files.deleteIfExists(p);
                }
            }
            synchronized (pipes) {
                for (Pipe pipe : pipes) {
                    pipe.source().close();
                    pipe.sink().close();
                }
            }
        }
    }
}
