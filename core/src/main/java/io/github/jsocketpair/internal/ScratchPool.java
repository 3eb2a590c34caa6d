package io.github.jsocketpair.internal;

import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The {@link Scratch} areas of one backend, lent for the length of one system call: native memory grows with the
 * calls in flight, not with the threads that ever made one (2,000 virtual threads each holding a thread-local
 * scratch area held 160 MiB). A few slots, probed from the calling thread's id so that threads on different CPUs
 * rarely meet; a take finds a free area with one atomic exchange, a give puts it back with one compare-and-set. When
 * more calls are in flight than there are slots, the extra areas are made for the call and left to the GC.
 */
final class ScratchPool {
    private static final int SLOTS = 8;
    private static final int PROBES = 4;
    /**
     * Slot {@code i} is element {@code i * STRIDE} of the array: 16 references (64 bytes with compressed oops) apart,
     * so that two CPUs taking and giving areas touch different cache lines. Packed, the eight slots shared one line,
     * and every take and give on one carrier stole it from the other: {@code ScratchPool.give} was the engine's
     * busiest method in the 5,000-pair echo (2% of all samples; async-profiler).
     */
    private static final int STRIDE = 16;

    private final Libc libc;
    private final NativeConstants c;
    private final AtomicReferenceArray<Scratch> slots = new AtomicReferenceArray<>(SLOTS * STRIDE);

    ScratchPool(Libc libc, NativeConstants c) {
        this.libc = libc;
        this.c = c;
    }

    /** Lends an area; pair with {@link #give} in a {@code finally}. */
    Scratch take() {
        int at = probe();
        for (int i = 0; i < PROBES; i++) {
            Scratch s = slots.getAndSet(((at + i) & (SLOTS - 1)) * STRIDE, null);
            if (s != null) {
                return s;
            }
        }
        return new Scratch(libc, c);
    }

    /** Returns an area; one that finds no free slot is dropped. */
    void give(Scratch s) {
        s.dropOneOff();
        int at = probe();
        for (int i = 0; i < PROBES; i++) {
            int k = ((at + i) & (SLOTS - 1)) * STRIDE;
            if (slots.get(k) == null && slots.compareAndSet(k, null, s)) {
                return;
            }
        }
    }

    @SuppressWarnings("deprecation") // Thread.getId: threadId() is JDK 19+, and this is JDK 17 bytecode
    private static int probe() {
        return (int) Thread.currentThread().getId();
    }
}
