package io.github.jsocketpair.tests;

import io.github.jsocketpair.Endpoint;
import io.github.jsocketpair.Received;
import io.github.jsocketpair.SocketPair;
import io.github.jsocketpair.internal.TestSeams;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedByInterruptException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * A child JVM's {@code main} for {@link VirtualThreadContract}: runs each virtual-thread check on a scheduler with
 * ONE carrier ({@code -Djdk.virtualThreadScheduler.parallelism=1 -Djdk.virtualThreadScheduler.maxPoolSize=1}), so a
 * blocking call that pinned its carrier would stop every other virtual thread and the check would time out. Prints
 * {@code PASS name} or {@code FAIL name: why} per check. Virtual threads are made through
 * {@code Executors.newVirtualThreadPerTaskExecutor()}, found reflectively (this module is JDK 17 bytecode).
 */
public final class VirtualThreadProbe {
    private static final long LIMIT_SECONDS = 60;

    private VirtualThreadProbe() {
    }

    /**
     * Runs every check.
     *
     * @param args unused
     * @throws Exception if the JDK has no virtual threads
     */
    public static void main(String[] args) throws Exception {
        Map<String, Callable<String>> checks = new LinkedHashMap<>();
        checks.put("parkedReaders", VirtualThreadProbe::parkedReaders);
        checks.put("pingPong", VirtualThreadProbe::pingPong);
        checks.put("readTimeoutWhileParked", VirtualThreadProbe::readTimeout);
        checks.put("closeWhileParked", VirtualThreadProbe::closeWhileParked);
        checks.put("interruptWhileParked", VirtualThreadProbe::interruptWhileParked);
        checks.put("parkedReceive", VirtualThreadProbe::parkedReceive);
        checks.put("fullWrite", VirtualThreadProbe::fullWrite);
        checks.put("memoryPerThread", VirtualThreadProbe::memoryPerThread);
        checks.put("outsideThreadsRunUnderLoad", VirtualThreadProbe::outsideThreadsRunUnderLoad);
        int failed = 0;
        for (Map.Entry<String, Callable<String>> c : checks.entrySet()) {
            String why;
            try {
                why = c.getValue().call();
            } catch (Throwable t) {
                why = t.toString();
            }
            if (why == null) {
                System.out.println("PASS " + c.getKey());
            } else {
                failed++;
                System.out.println("FAIL " + c.getKey() + ": " + why);
            }
        }
        System.exit(failed == 0 ? 0 : 1);
    }

    /** A virtual-thread-per-task executor (ExecutorService is AutoCloseable only from JDK 19). */
    private static final class Virtual implements AutoCloseable {
        private final ExecutorService executor;

        Virtual() throws ReflectiveOperationException {
            executor = (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
        }

        <T> Future<T> submit(Callable<T> task) {
            return executor.submit(task);
        }

        @Override
        public void close() {
            executor.shutdownNow();
            try {
                executor.awaitTermination(LIMIT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static Virtual virtual() throws ReflectiveOperationException {
        return new Virtual();
    }

    /** Waits (spinning politely, bounded) until the condition holds; false if it never does. */
    private static boolean eventually(BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(LIMIT_SECONDS);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - end > 0) {
                return false;
            }
            Thread.sleep(1);
        }
        return true;
    }

    /** A virtual thread that counts while others are parked: proof that the one carrier is free. */
    private static Future<?> ticker(Virtual v, AtomicLong ticks, CountDownLatch stop) {
        return v.submit(() -> {
            // sleep, not yield: a yielding virtual thread may be rescheduled ahead of the ones it should let run
            while (!stop.await(1, TimeUnit.MILLISECONDS)) {
                ticks.incrementAndGet();
            }
            return null;
        });
    }

    private static String parkedReaders() throws Exception {
        int n = 200;
        List<SocketPair> pairs = new ArrayList<>();
        try (Virtual v = virtual()) {
            for (int i = 0; i < n; i++) {
                pairs.add(SocketPair.open());
            }
            List<Future<Integer>> readers = new ArrayList<>();
            for (SocketPair p : pairs) {
                readers.add(v.submit(() -> p.second().read(ByteBuffer.allocate(8))));
            }
            if (!eventually(() -> TestSeams.pollerWaiters(pairs.get(0).first()) >= n)) {
                return "only " + TestSeams.pollerWaiters(pairs.get(0).first()) + " of " + n + " readers parked";
            }
            // The writes come from another virtual thread: with a pinned carrier it would never run.
            v.submit(() -> {
                for (SocketPair p : pairs) {
                    p.first().write(ByteBuffer.wrap(new byte[] {1, 2, 3}));
                }
                return null;
            }).get(LIMIT_SECONDS, TimeUnit.SECONDS);
            for (Future<Integer> r : readers) {
                int got = r.get(LIMIT_SECONDS, TimeUnit.SECONDS);
                if (got != 3) {
                    return "a reader got " + got;
                }
            }
            return TestSeams.pollerWaiters(pairs.get(0).first()) == 0 ? null : "waiters left on the poller";
        } finally {
            for (SocketPair p : pairs) {
                p.close();
            }
        }
    }

    private static String pingPong() throws Exception {
        try (SocketPair p = SocketPair.open(); Virtual v = virtual()) {
            int rounds = 20_000;
            Future<?> echo = v.submit(() -> {
                ByteBuffer b = ByteBuffer.allocateDirect(1);
                for (int i = 0; i < rounds; i++) {
                    b.clear();
                    p.second().read(b);
                    b.flip();
                    p.second().write(b);
                }
                return null;
            });
            Future<Integer> client = v.submit(() -> {
                ByteBuffer b = ByteBuffer.allocateDirect(1);
                int ok = 0;
                for (int i = 0; i < rounds; i++) {
                    b.clear().put((byte) i).flip();
                    p.first().write(b);
                    b.clear();
                    p.first().read(b);
                    ok += b.get(0) == (byte) i ? 1 : 0;
                }
                return ok;
            });
            int ok = client.get(LIMIT_SECONDS, TimeUnit.SECONDS);
            echo.get(LIMIT_SECONDS, TimeUnit.SECONDS);
            return ok == rounds ? null : ok + " of " + rounds + " round trips echoed right";
        }
    }

    private static String readTimeout() throws Exception {
        try (SocketPair p = SocketPair.open(); Virtual v = virtual()) {
            AtomicLong ticks = new AtomicLong();
            CountDownLatch stop = new CountDownLatch(1);
            Future<?> t = ticker(v, ticks, stop);
            try {
                p.second().setReadTimeout(java.time.Duration.ofMillis(300));
                Future<String> r = v.submit(() -> {
                    long before = ticks.get();
                    try {
                        p.second().read(ByteBuffer.allocate(1));
                        return "read returned";
                    } catch (SocketTimeoutException e) {
                        return ticks.get() > before ? null : "nothing else ran while the read was parked";
                    }
                });
                return r.get(LIMIT_SECONDS, TimeUnit.SECONDS);
            } finally {
                stop.countDown();
                t.get(LIMIT_SECONDS, TimeUnit.SECONDS);
            }
        }
    }

    private static String closeWhileParked() throws Exception {
        try (SocketPair p = SocketPair.open(); Virtual v = virtual()) {
            AtomicLong ticks = new AtomicLong();
            CountDownLatch stop = new CountDownLatch(1);
            Future<?> t = ticker(v, ticks, stop);
            try {
                Future<Throwable> r = v.submit(() -> {
                    try {
                        p.second().read(ByteBuffer.allocate(1));
                        return null;
                    } catch (Throwable e) {
                        return e;
                    }
                });
                if (!eventually(() -> TestSeams.isWaiting(p.second(), false)
                        && TestSeams.pollerWaiters(p.first()) > 0)) {
                    return "the reader never parked";
                }
                long before = ticks.get();
                if (!eventually(() -> ticks.get() > before + 10)) {
                    return "nothing else ran while the reader was parked";
                }
                p.second().close();
                Throwable e = r.get(LIMIT_SECONDS, TimeUnit.SECONDS);
                if (!(e instanceof AsynchronousCloseException) || e instanceof ClosedByInterruptException) {
                    return "the parked read ended with " + e;
                }
                // The peer still has a connection: close never shut the socket down.
                return p.first().isOpen() ? null : "the peer was closed";
            } finally {
                stop.countDown();
                t.get(LIMIT_SECONDS, TimeUnit.SECONDS);
            }
        }
    }

    private static String interruptWhileParked() throws Exception {
        try (SocketPair p = SocketPair.open(); Virtual v = virtual()) {
            Thread[] reader = new Thread[1];
            Future<String> r = v.submit(() -> {
                reader[0] = Thread.currentThread();
                try {
                    p.second().read(ByteBuffer.allocate(1));
                    return "read returned";
                } catch (ClosedByInterruptException e) {
                    return Thread.currentThread().isInterrupted() ? null : "interrupt status lost";
                }
            });
            if (!eventually(() -> TestSeams.isWaiting(p.second(), false) && TestSeams.pollerWaiters(p.first()) > 0)) {
                return "the reader never parked";
            }
            reader[0].interrupt();
            String why = r.get(LIMIT_SECONDS, TimeUnit.SECONDS);
            if (why != null) {
                return why;
            }
            return p.second().isOpen() ? "the endpoint is still open" : null;
        }
    }

    private static String parkedReceive() throws Exception {
        try (SocketPair p = SocketPair.open(io.github.jsocketpair.Domain.UNIX, io.github.jsocketpair.SocketType.SEQPACKET);
                Virtual v = virtual()) {
            Future<Received> r = v.submit(() -> p.second().receive(ByteBuffer.allocate(16)));
            if (!eventually(() -> TestSeams.isWaiting(p.second(), false))) {
                return "the receiver never parked";
            }
            v.submit(() -> p.first().write(ByteBuffer.wrap(new byte[] {1, 2, 3, 4, 5}))).get(LIMIT_SECONDS,
                    TimeUnit.SECONDS);
            Received got = r.get(LIMIT_SECONDS, TimeUnit.SECONDS);
            return got != null && got.bytes() == 5 ? null : "received " + got;
        }
    }

    private static String fullWrite() throws Exception {
        try (SocketPair p = SocketPair.open(); Virtual v = virtual()) {
            p.first().setSendBufferSize(4096);
            p.second().setReceiveBufferSize(4096);
            int size = 4 << 20;
            byte[] data = new byte[size];
            for (int i = 0; i < size; i++) {
                data[i] = (byte) (i * 31 + (i >> 12));
            }
            Future<Integer> w = v.submit(() -> p.first().write(ByteBuffer.wrap(data)));
            if (!eventually(() -> TestSeams.isWaiting(p.first(), true))) {
                return "the writer never parked on a full socket";
            }
            Future<byte[]> r = v.submit(() -> {
                byte[] got = new byte[size];
                int at = 0;
                while (at < size) {
                    int n = p.second().read(ByteBuffer.wrap(got, at, size - at));
                    if (n < 0) {
                        break;
                    }
                    at += n;
                }
                return got;
            });
            int wrote = w.get(LIMIT_SECONDS, TimeUnit.SECONDS);
            byte[] got = r.get(LIMIT_SECONDS, TimeUnit.SECONDS);
            return wrote == size && java.util.Arrays.equals(data, got) ? null : "wrote " + wrote + ", bytes differ";
        }
    }

    /**
     * 100 echo pairs keep the one carrier busy (the poller yielding from one round to the next); every pair makes
     * round trips, and a virtual thread started from this platform thread meanwhile (the scheduler gets it from
     * outside the carrier, as one unblocked from a monitor or woken by a timer) still runs: its 50 ms read timeout
     * fires within seconds, not after the load ends.
     */
    private static String outsideThreadsRunUnderLoad() throws Exception {
        int n = 100;
        List<SocketPair> pairs = new ArrayList<>();
        java.util.concurrent.atomic.AtomicLongArray trips = new java.util.concurrent.atomic.AtomicLongArray(n);
        try (Virtual v = virtual()) {
            for (int i = 0; i < n; i++) {
                pairs.add(SocketPair.open());
            }
            for (int i = 0; i < n; i++) {
                SocketPair p = pairs.get(i);
                int k = i;
                v.submit(() -> echo(p.second()));
                v.submit(() -> {
                    ByteBuffer b = ByteBuffer.allocateDirect(64);
                    while (!Thread.currentThread().isInterrupted()) {
                        b.clear();
                        p.first().write(b);
                        b.clear();
                        while (b.hasRemaining()) {
                            if (p.first().read(b) < 0) {
                                return null;
                            }
                        }
                        trips.incrementAndGet(k);
                    }
                    return null;
                });
            }
            if (!eventually(() -> {
                for (int i = 0; i < n; i++) {
                    if (trips.get(i) == 0) {
                        return false;
                    }
                }
                return true;
            })) {
                int never = 0;
                for (int i = 0; i < n; i++) {
                    never += trips.get(i) == 0 ? 1 : 0;
                }
                return never + " of " + n + " pairs never made a round trip";
            }
            try (SocketPair quiet = SocketPair.open()) {
                quiet.second().setReadTimeout(java.time.Duration.ofMillis(50));
                long start = System.nanoTime();
                Future<String> outside = v.submit(() -> {
                    try {
                        quiet.second().read(ByteBuffer.allocate(8));
                        return "the read returned";
                    } catch (SocketTimeoutException expected) {
                        return null;
                    }
                });
                String why;
                try {
                    why = outside.get(10, TimeUnit.SECONDS);
                } catch (java.util.concurrent.TimeoutException e) {
                    return "a virtual thread started from outside the carrier did not finish in 10 s under load";
                }
                if (why != null) {
                    return why;
                }
                long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                long before = trips.get(0);
                if (!eventually(() -> trips.get(0) > before)) {
                    return "the load stopped";
                }
                System.out.println("INFO outside thread under load: 50 ms timeout seen after " + ms + " ms");
                return null;
            }
        } finally {
            for (SocketPair p : pairs) {
                p.close();
            }
        }
    }

    /** Echoes 64-byte messages until the peer closes or the thread is interrupted. */
    private static Void echo(Endpoint e) throws java.io.IOException {
        ByteBuffer b = ByteBuffer.allocateDirect(64);
        while (!Thread.currentThread().isInterrupted()) {
            b.clear();
            while (b.hasRemaining()) {
                if (e.read(b) < 0) {
                    return null;
                }
            }
            b.flip();
            e.write(b);
        }
        return null;
    }

    private static long directMemory() {
        for (BufferPoolMXBean b : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
            if (b.getName().equals("direct")) {
                return b.getMemoryUsed();
            }
        }
        return 0;
    }

    private static String memoryPerThread() throws Exception {
        int n = 2000;
        try (SocketPair p = SocketPair.open(); Virtual v = virtual()) {
            // warm up: the pool's areas, the poller
            p.first().write(ByteBuffer.wrap(new byte[] {1}));
            p.second().read(ByteBuffer.allocate(1));
            System.gc();
            long before = directMemory();
            CountDownLatch made = new CountDownLatch(n);
            CountDownLatch release = new CountDownLatch(1);
            List<Future<?>> live = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                live.add(v.submit(() -> {
                    p.first().write(ByteBuffer.wrap(new byte[] {1}));   // heap: staged through lent memory
                    p.second().read(ByteBuffer.allocate(1));
                    p.first().sendBufferSize();
                    made.countDown();
                    release.await();
                    return null;
                }));
            }
            if (!made.await(LIMIT_SECONDS, TimeUnit.SECONDS)) {
                return "the threads did not all make their calls";
            }
            long extra = directMemory() - before;
            release.countDown();
            for (Future<?> f : live) {
                f.get(LIMIT_SECONDS, TimeUnit.SECONDS);
            }
            System.out.println("memoryPerThread: " + n + " live virtual threads hold " + extra + " bytes more");
            return extra < 16L << 20 ? null : n + " live virtual threads hold " + extra + " bytes more direct memory";
        }
    }
}
