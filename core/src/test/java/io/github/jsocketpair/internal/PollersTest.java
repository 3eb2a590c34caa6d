package io.github.jsocketpair.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link Pollers} and {@link Poller} over in-memory readiness queues that behave as epoll and kqueue do where it
 * matters (one-shot registrations; a queue descriptor armed in the master while events are pending is reported at
 * once, as {@code epoll_ctl} and {@code kevent} check readiness when they register): which kind of poller runs, how
 * many, and that a waiter is woken both when its poller is busy (a drain without the master) and when it slept on
 * the master. The kernel's side is in the contract kit (VirtualThreadContract).
 */
class PollersTest {
    private static final long LIMIT_S = 30;
    private final List<FakeQueue> opened = new ArrayList<>();
    private final ScratchPool pool = new ScratchPool(fakeLibc(), layout());

    /** The sizes the lent scratch area is laid out by: LP64's, as the Linux table sets them. */
    private static NativeConstants layout() {
        NativeConstants c = new NativeConstants().naturalLayout(8, 8, 8);
        c.iovMax = 1024;
        c.maxFdsPerMessage = 253;
        return c;
    }

    @AfterEach
    void clearProperties() {
        System.clearProperty(Pollers.MODE_PROPERTY);
        System.clearProperty(Pollers.COUNT_PROPERTY);
    }

    /** A binding whose address() is 0 and which is never called otherwise: the fake queues ignore the scratch. */
    private static Libc fakeLibc() {
        return (Libc) Proxy.newProxyInstance(Libc.class.getClassLoader(), new Class<?>[] {Libc.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("address")) {
                        return 0L;
                    }
                    throw new AssertionError("unexpected libc call: " + method.getName());
                });
    }

    /** One readiness queue in memory; its descriptor is 1000 + the order it was opened in, or -1. */
    private final class FakeQueue implements Readiness {
        final int descriptor;
        final Set<Long> armed = ConcurrentHashMap.newKeySet();
        final LinkedBlockingQueue<Long> ready = new LinkedBlockingQueue<>();
        /** For the master: what makes an armed descriptor readable at once (a sub-queue with pending events). */
        final Map<Integer, BooleanSupplier> readableNow = new ConcurrentHashMap<>();
        volatile FakeQueue master;
        volatile int nonBlockingDrains;
        volatile boolean closed;

        FakeQueue(boolean withDescriptor) {
            this.descriptor = withDescriptor ? 1000 + opened.size() : -1;
        }

        @Override
        public int descriptor() {
            return descriptor;
        }

        @Override
        public void arm(int fd, boolean write, EventArea event) {
            long key = ((long) fd << 1) | (write ? 1 : 0);
            BooleanSupplier now = readableNow.get(fd);
            if (now != null && now.getAsBoolean()) {
                ready.add(key); // level-triggered check at registration, as epoll_ctl and kevent make
            } else {
                armed.add(key);
                if (now != null && now.getAsBoolean() && armed.remove(key)) {
                    ready.add(key); // an event that came between the check and the registration
                }
            }
        }

        @Override
        public void close() {
            closed = true;
        }

        @Override
        public void disarm(int fd, boolean write, EventArea event) {
            armed.remove(((long) fd << 1) | (write ? 1 : 0));
        }

        /** The kernel saw {@code fd} become ready: reported once if armed (one-shot). */
        void fire(int fd, boolean write) {
            if (armed.remove(((long) fd << 1) | (write ? 1 : 0))) {
                ready.add(((long) fd << 1) | (write ? 1 : 0));
                FakeQueue m = master;
                if (m != null) {
                    m.fire(descriptor, false); // this queue's descriptor polls readable now
                }
            }
        }

        @Override
        public int await(Sink sink, int timeoutMillis) throws IOException {
            Long first;
            try {
                if (timeoutMillis == 0) {
                    nonBlockingDrains++;
                    first = ready.poll();
                } else {
                    first = timeoutMillis < 0 ? ready.take() : ready.poll(timeoutMillis, TimeUnit.MILLISECONDS);
                }
            } catch (InterruptedException e) {
                throw new IOException(e);
            }
            int n = 0;
            for (Long k = first; k != null; k = ready.poll()) {
                sink.ready((int) (k >> 1), (k & 1) == 1);
                n++;
            }
            return n;
        }
    }

    private Pollers.QueueOpener queues(boolean withDescriptor) {
        return () -> {
            FakeQueue q = new FakeQueue(withDescriptor);
            opened.add(q);
            return q;
        };
    }

    /** The queues the virtual pollers drain (the first and the third on), wired to the master (the second). */
    private List<FakeQueue> wireSubQueues() {
        FakeQueue master = opened.get(1);
        List<FakeQueue> subs = new ArrayList<>();
        for (int i = 0; i < opened.size(); i++) {
            if (i != 1) {
                FakeQueue q = opened.get(i);
                q.master = master;
                master.readableNow.put(q.descriptor, () -> !q.ready.isEmpty());
                subs.add(q);
            }
        }
        return subs;
    }

    @Test
    void aQueueWithoutADescriptorGetsOnePlatformPoller() throws Exception {
        Pollers p = Pollers.start(queues(false), pool, "test");
        assertFalse(p.areVirtual());
        assertEquals(1, opened.size(), "no master queue is opened");
        assertEquals(p.of(0), p.of(7), "one poller for every slot");
    }

    @Test
    void thePropertyCanAskForAPlatformPoller() throws Exception {
        System.setProperty(Pollers.MODE_PROPERTY, "platform");
        Pollers p = Pollers.start(queues(true), pool, "test");
        assertFalse(p.areVirtual());
        assertEquals(1, opened.size());
    }

    @Test
    void aBadCountOpensNothing() {
        for (String bad : List.of("3", "0", "-2", "2048", "many")) {
            System.setProperty(Pollers.COUNT_PROPERTY, bad);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Pollers.start(queues(true), pool, "test"));
            assertTrue(e.getMessage().contains(Pollers.COUNT_PROPERTY), e.getMessage());
        }
        assertEquals(0, opened.size());
    }

    /** A queue the kernel refuses part-way (EMFILE): every queue opened before it is closed, and it is thrown. */
    @Test
    void aRefusedQueueClosesTheOthers() {
        assumeTrue(Runtime.version().feature() >= 21, "virtual threads need JDK 21+");
        System.setProperty(Pollers.COUNT_PROPERTY, "4");
        Pollers.QueueOpener good = queues(true);
        IOException refused = new IOException("epoll_create1: EMFILE");
        Pollers.QueueOpener third = () -> {
            if (opened.size() == 3) {
                throw refused;
            }
            return good.open();
        };
        assertEquals(refused, assertThrows(IOException.class, () -> Pollers.start(third, pool, "test")));
        assertEquals(3, opened.size());
        for (FakeQueue q : opened) {
            assertTrue(q.closed, "queue " + q.descriptor + " closed");
            assertTrue(q.armed.isEmpty(), "no poller started on it");
        }
    }

    /** JDK 21+: N virtual pollers, each over its own queue, and one master queue; slots spread over the pollers. */
    @Test
    void virtualPollersOneQueueEachAndAMaster() throws Exception {
        assumeTrue(Runtime.version().feature() >= 21, "virtual threads need JDK 21+");
        System.setProperty(Pollers.COUNT_PROPERTY, "4");
        Pollers p = Pollers.start(queues(true), pool, "test");
        assertTrue(p.areVirtual());
        assertEquals(5, opened.size(), "four pollers' queues and the master's");
        assertEquals(4, Set.of(p.of(0), p.of(1), p.of(2), p.of(3)).size());
        assertEquals(p.of(1), p.of(5), "slot mod count");
    }

    /** Never more pollers than carriers: the scheduler's parallelism bounds the count (power of two below it). */
    @Test
    void theCountFollowsTheCarriers() throws Exception {
        assumeTrue(Runtime.version().feature() >= 21, "virtual threads need JDK 21+");
        String key = "jdk.virtualThreadScheduler.parallelism";
        String before = System.getProperty(key);
        try {
            System.setProperty(key, "3");
            Pollers p = Pollers.start(queues(true), pool, "test");
            assertTrue(p.areVirtual());
            assertEquals(3, opened.size(), "two pollers' queues (3 carriers) and the master's");
            assertEquals(p.of(0), p.of(2));
        } finally {
            if (before == null) {
                System.clearProperty(key);
            } else {
                System.setProperty(key, before);
            }
        }
    }

    /**
     * A waiter is woken whether its poller slept on the master (an empty queue) or was draining: the first wake-up
     * goes through the master, and events that come while the poller drains are found by its non-blocking rounds.
     */
    @Test
    void waitersAreWokenThroughTheMasterAndWhileDraining() throws Exception {
        assumeTrue(Runtime.version().feature() >= 21, "virtual threads need JDK 21+");
        System.setProperty(Pollers.COUNT_PROPERTY, "1");
        Pollers p = Pollers.start(queues(true), pool, "test");
        FakeQueue sub = wireSubQueues().get(0);
        FakeQueue master = opened.get(1);
        Poller poller = p.of(0);
        // the poller parks on the master once its first round found nothing
        awaitTrue(() -> master.armed.contains((long) sub.descriptor << 1));
        for (int round = 0; round < 200; round++) {
            int fd = 10 + round % 3;
            CompletableFuture<Boolean> woken = CompletableFuture.supplyAsync(() -> {
                try {
                    return poller.await(Poller.ALWAYS_OPEN, fd, round(fd), 0);
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            awaitTrue(() -> poller.waiters() == 1 && sub.armed.contains(((long) fd << 1) | (round(fd) ? 1 : 0)));
            sub.fire(fd, round(fd));
            assertTrue(woken.get(LIMIT_S, TimeUnit.SECONDS));
            assertEquals(0, poller.waiters());
        }
        assertTrue(sub.nonBlockingDrains >= 200, "every wake-up was found by a non-blocking drain");
    }

    private static boolean round(int fd) {
        return fd % 2 == 1; // odd: a writer, even: a reader
    }

    private static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(LIMIT_S);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met in " + LIMIT_S + " s");
            }
            Thread.sleep(1);
        }
    }
}
