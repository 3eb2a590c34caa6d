package io.github.jsocketpair.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class WaitersTest {
    private final Waiters waiters = new Waiters();
    private final Thread a = new Thread(() -> { });
    private final Thread b = new Thread(() -> { });

    private List<Thread> listed() {
        List<Thread> all = new ArrayList<>();
        waiters.forEach(all::add);
        return all;
    }

    @Test
    void aReaderAndAWriterOfOneDescriptorHaveTheirOwnSlots() {
        waiters.put(7, false, a);
        waiters.put(7, true, b);
        assertTrue(waiters.isListed(7, false, a));
        assertTrue(waiters.isListed(7, true, b));
        assertFalse(waiters.isListed(7, false, b));
        assertFalse(waiters.isListed(6, true, a), "a neighbour's slot");
        assertSame(b, waiters.take(7, true));
        assertNull(waiters.take(7, true), "taken once");
        assertTrue(waiters.isListed(7, false, a), "the reader is still there");
        assertEquals(List.of(a), listed());
        assertEquals(1, waiters.count());
        assertTrue(waiters.contains(a));
        assertFalse(waiters.contains(b));
    }

    @Test
    void removeTakesOffOnlyTheThreadThatIsListed() {
        waiters.put(3, false, a);
        assertFalse(waiters.remove(3, false, b), "another thread");
        assertTrue(waiters.remove(3, false, a));
        assertFalse(waiters.remove(3, false, a), "already reported or removed");
        assertTrue(listed().isEmpty());
    }

    @Test
    void aReportForADescriptorNobodyWaitedOnFindsNobody() {
        assertNull(waiters.take(0, false));
        assertNull(waiters.take(1_000_000, true), "beyond every chunk made so far");
        waiters.put(1, false, a);
        assertNull(waiters.take(2, false), "in a chunk that exists, another slot");
    }

    @Test
    void highDescriptorsGrowTheTableAndKeepWhatWasListed() {
        int[] fds = {0, 511, 512, 513, 8191, 8192, 100_000, 1_048_575, Integer.MAX_VALUE / 2};
        Thread[] threads = new Thread[fds.length];
        for (int i = 0; i < fds.length; i++) {
            threads[i] = new Thread(() -> { });
            waiters.put(fds[i], (i & 1) == 1, threads[i]);
        }
        for (int i = 0; i < fds.length; i++) {
            assertTrue(waiters.isListed(fds[i], (i & 1) == 1, threads[i]), "fd " + fds[i]);
        }
        assertEquals(Set.of(threads), new HashSet<>(listed()));
        for (int i = 0; i < fds.length; i++) {
            assertSame(threads[i], waiters.take(fds[i], (i & 1) == 1), "fd " + fds[i]);
        }
        assertTrue(listed().isEmpty());
    }

    /** Threads that list themselves in new chunks at once all stay listed while the table grows under them. */
    @Test
    void concurrentGrowthLosesNoWaiter() throws Exception {
        int threads = 8;
        int each = 2_000;
        CountDownLatch start = new CountDownLatch(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int base = t;
            Thread w = new Thread(() -> {
                try {
                    start.await();
                    Thread me = Thread.currentThread();
                    for (int i = 0; i < each; i++) {
                        waiters.put((i * threads + base) * 7, false, me); // spread over many chunks
                    }
                } catch (Throwable e) {
                    failure.set(e);
                }
            });
            workers.add(w);
            w.start();
        }
        start.countDown();
        for (Thread w : workers) {
            w.join();
        }
        assertNull(failure.get());
        for (int t = 0; t < threads; t++) {
            for (int i = 0; i < each; i++) {
                assertTrue(waiters.isListed((i * threads + t) * 7, false, workers.get(t)), "thread " + t + ", " + i);
            }
        }
        assertEquals(threads * each, listed().size());
    }
}
