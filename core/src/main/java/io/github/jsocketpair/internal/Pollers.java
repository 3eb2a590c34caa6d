package io.github.jsocketpair.internal;

import java.io.IOException;

/**
 * A backend's {@link Poller}s, started at the first virtual thread that has to wait, and which one an endpoint's
 * waiters park on. Where the pollers can run on the carriers (JDK 21+ and a readiness queue with a descriptor) there
 * are as many as the power of two at or below the scheduler's carriers (at most 32), each over its own queue, with
 * one platform master that wakes a poller whose queue was empty. An endpoint goes to poller {@code slot mod count},
 * its slot given round robin when it is made and shared by the two ends of a pair: each carrier tends to drain a
 * queue of its own (as with the JDK's sub-pollers), and the two ends of one pair, which mostly wake each other, stay
 * on one. Otherwise one platform poller does it all. {@code -Djsocketpair.poller=platform} forces the latter;
 * {@code -Djsocketpair.pollers=N} (a power of two) sets the count.
 */
final class Pollers {
    /** The property that picks the pollers' kind: {@code virtual} (the default where possible) or {@code platform}. */
    static final String MODE_PROPERTY = "jsocketpair.poller";
    /** The property that sets how many virtual pollers run (a power of two). */
    static final String COUNT_PROPERTY = "jsocketpair.pollers";

    /** Opens a readiness queue. */
    interface QueueOpener {
        /**
         * Returns a new queue.
         *
         * @throws IOException if the kernel refuses
         */
        Readiness open() throws IOException;
    }

    private final Poller[] pollers;
    private final int mask;

    private Pollers(Poller[] pollers) {
        this.pollers = pollers;
        this.mask = pollers.length - 1;
    }

    /**
     * Opens the queues and starts the pollers.
     *
     * @throws IOException if a queue cannot be opened
     * @throws IllegalArgumentException if {@link #COUNT_PROPERTY} is not a power of two from 1 to 1024
     */
    static Pollers start(QueueOpener queues, ScratchPool pool, String name) throws IOException {
        int count = count(); // first: a bad setting opens nothing
        Readiness first = queues.open();
        boolean virtual = first.descriptor() >= 0 && Threads.hasVirtualThreads()
                && !"platform".equals(System.getProperty(MODE_PROPERTY));
        if (!virtual) {
            return new Pollers(new Poller[] {new Poller(first, pool, null, name).start()});
        }
        // Every queue first, then the threads: a queue the kernel refuses (EMFILE) leaves nothing open or running.
        Readiness[] q = new Readiness[count + 1]; // the pollers' queues, then the master's
        q[0] = first;
        try {
            for (int i = 1; i <= count; i++) {
                q[i] = queues.open();
            }
        } catch (IOException | RuntimeException e) {
            for (Readiness r : q) {
                if (r != null) {
                    r.close();
                }
            }
            throw e;
        }
        Poller master = new Poller(q[count], pool, null, name + "-master").start();
        Poller[] p = new Poller[count];
        for (int i = 0; i < count; i++) {
            p[i] = new Poller(q[i], pool, master, name + "-" + i);
        }
        Poller.siblings(p);
        for (Poller each : p) {
            each.start();
        }
        return new Pollers(p);
    }

    /**
     * How many virtual pollers: the {@link #COUNT_PROPERTY}, else the power of two at or below the carriers the
     * virtual-thread scheduler has (its {@code jdk.virtualThreadScheduler.parallelism}, by default the CPU count), at
     * most 32. Never more pollers than carriers: two pollers on one carrier keep each other's work on it for ever
     * (each drains the other's queue while the other takes its turn outside), and a virtual thread the scheduler
     * gets from outside the carrier would never run (seen with 100 echo pairs on one carrier; the JDK's own pollers
     * do the same there).
     */
    private static int count() {
        String s = System.getProperty(COUNT_PROPERTY);
        if (s == null) {
            int carriers = Runtime.getRuntime().availableProcessors();
            String p = System.getProperty("jdk.virtualThreadScheduler.parallelism");
            try {
                int set = p == null ? 0 : Integer.parseInt(p.trim());
                if (set > 0) {
                    carriers = set;
                }
            } catch (NumberFormatException e) {
                // the JDK refuses it too, at its first virtual thread; keep the CPU count here
            }
            return Math.min(Integer.highestOneBit(carriers), 32);
        }
        int n;
        try {
            n = Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            n = -1;
        }
        if (n < 1 || n > 1024 || Integer.bitCount(n) != 1) {
            throw new IllegalArgumentException("-D" + COUNT_PROPERTY + "=" + s + ": not a power of two from 1 to 1024");
        }
        return n;
    }

    /** The poller the waiters of an endpoint with this slot park on. */
    Poller of(int slot) {
        return pollers[slot & mask];
    }

    /** How many threads are parked on these pollers now (for tests). */
    int waiters() {
        int n = 0;
        for (Poller p : pollers) {
            n += p.waiters();
        }
        return n;
    }

    /** Tells whether the pollers drain their queues on virtual threads. */
    boolean areVirtual() {
        return pollers[0].isVirtual();
    }
}
