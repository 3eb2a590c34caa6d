package io.github.jsocketpair.internal;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The {@link Wakeup}s of one backend, lent to a platform thread for the length of one wait: the descriptors held
 * grow with the platform threads waiting at once (up to {@link #SLOTS} are kept for the next waits, the extra ones
 * closed when returned), never with the threads that ever waited.
 */
final class WakeupPool {
    private static final int SLOTS = 16;

    private final PosixBackend backend;
    private final AtomicReferenceArray<Wakeup> slots = new AtomicReferenceArray<>(SLOTS);

    WakeupPool(PosixBackend backend) {
        this.backend = backend;
    }

    /** Lends a wake-up, opening one when none is free; pair with {@link #give}. */
    Wakeup take() throws IOException {
        for (int i = 0; i < SLOTS; i++) {
            Wakeup w = slots.getAndSet(i, null);
            if (w != null) {
                return w;
            }
        }
        int[] fds = backend.openWakeup();
        return new Wakeup(backend, fds[0], fds[1]);
    }

    /** Returns a wake-up; one that finds no free slot is closed. */
    void give(Wakeup w) {
        for (int i = 0; i < SLOTS; i++) {
            if (slots.get(i) == null && slots.compareAndSet(i, null, w)) {
                return;
            }
        }
        w.close();
    }
}
