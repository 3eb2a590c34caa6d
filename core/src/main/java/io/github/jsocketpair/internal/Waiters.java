package io.github.jsocketpair.internal;

import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * Who is parked on a {@link Poller}, indexed by descriptor and direction: slot {@code 2 * fd + (write ? 1 : 0)} in
 * fixed-size chunks that are made at a descriptor's first wait and never move or go away. A wait costs one volatile
 * write and one compare-and-set, with nothing allocated: a {@code ConcurrentHashMap<Long, Thread>} boxed a key and
 * made a node per wait, 3-5% of the CPU time of the 5,000-pair echo workload with the collections they caused
 * (async-profiler). Descriptors are small and dense (POSIX hands out the lowest free number), so the chunks stay few.
 */
final class Waiters {
    /** Slots per chunk: 512 descriptors, both directions. */
    private static final int CHUNK_BITS = 10;
    private static final int CHUNK = 1 << CHUNK_BITS;

    /** The chunks; replaced by a longer copy to grow, under {@link #grow}. Entries are never changed once set. */
    private volatile AtomicReferenceArray<?>[] chunks = new AtomicReferenceArray<?>[16];
    private final ReentrantLock grow = new ReentrantLock(); // not a monitor: a virtual thread must not pin here

    private static int slot(int fd, boolean write) {
        return (fd << 1) | (write ? 1 : 0);
    }

    /** The chunk that holds {@code slot}, made if it is not there yet. */
    @SuppressWarnings("unchecked")
    private AtomicReferenceArray<Thread> chunk(int slot) {
        int i = slot >>> CHUNK_BITS;
        AtomicReferenceArray<?>[] all = chunks;
        if (i < all.length) {
            AtomicReferenceArray<?> c = all[i];
            if (c != null) {
                return (AtomicReferenceArray<Thread>) c;
            }
        }
        grow.lock();
        try {
            all = chunks;
            if (i >= all.length) {
                AtomicReferenceArray<?>[] longer = new AtomicReferenceArray<?>[Math.max(i + 1, all.length * 2)];
                System.arraycopy(all, 0, longer, 0, all.length);
                all = longer;
            }
            AtomicReferenceArray<?> c = all[i];
            if (c == null) {
                c = new AtomicReferenceArray<Thread>(CHUNK);
                all[i] = c;
            }
            chunks = all; // publishes the new chunk (and the longer array) with one volatile write
            return (AtomicReferenceArray<Thread>) c;
        } finally {
            grow.unlock();
        }
    }

    /** Lists {@code t} as the waiter for the descriptor and direction (at most one: the endpoint's lock). */
    void put(int fd, boolean write, Thread t) {
        int s = slot(fd, write);
        chunk(s).set(s & (CHUNK - 1), t);
    }

    /** Tells whether {@code t} is still listed for the descriptor and direction (not reported yet). */
    boolean isListed(int fd, boolean write, Thread t) {
        int s = slot(fd, write);
        return chunk(s).get(s & (CHUNK - 1)) == t;
    }

    /** Takes {@code t} off the list if it is still there; tells whether it was. */
    boolean remove(int fd, boolean write, Thread t) {
        int s = slot(fd, write);
        return chunk(s).compareAndSet(s & (CHUNK - 1), t, null);
    }

    /** Takes off and returns the waiter for the descriptor and direction, or null if there is none. */
    Thread take(int fd, boolean write) {
        int s = slot(fd, write);
        AtomicReferenceArray<?>[] all = chunks;
        int i = s >>> CHUNK_BITS;
        if (i >= all.length || all[i] == null) {
            return null; // nobody ever waited here: a report for a registration another process's file kept
        }
        @SuppressWarnings("unchecked")
        AtomicReferenceArray<Thread> c = (AtomicReferenceArray<Thread>) all[i];
        return c.getAndSet(s & (CHUNK - 1), null);
    }

    /** How many waiters are listed now (tests). */
    int count() {
        int[] n = {0};
        forEach(t -> n[0]++);
        return n[0];
    }

    /** Tells whether {@code thread} is listed now, for any descriptor (tests). */
    boolean contains(Thread thread) {
        boolean[] found = {false};
        forEach(t -> found[0] |= t == thread);
        return found[0];
    }

    /** Calls {@code action} for every listed waiter (tests, and a failed poller waking everyone). */
    void forEach(Consumer<Thread> action) {
        for (AtomicReferenceArray<?> c : chunks) {
            if (c != null) {
                for (int j = 0; j < c.length(); j++) {
                    Object t = c.get(j);
                    if (t != null) {
                        action.accept((Thread) t);
                    }
                }
            }
        }
    }
}
