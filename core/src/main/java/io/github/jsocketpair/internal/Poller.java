package io.github.jsocketpair.internal;

import java.io.IOException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;

/**
 * Where virtual threads wait: one daemon platform thread per backend over the kernel's readiness queue
 * ({@link Readiness}: epoll, kqueue), modelled on the JDK's {@code sun.nio.ch.Poller}. A waiting virtual thread arms
 * its descriptor one-shot and parks, so its carrier is free for other virtual threads; the poller thread unparks it
 * when the kernel reports the descriptor ready. Close, interrupt and deadlines need no help from the poller thread:
 * close and {@link Thread#interrupt()} unpark the waiter directly, and a deadline is a timed park.
 *
 * <p>A waiter is keyed by descriptor and direction. An endpoint lets one reader and one writer in at a time, and two
 * open endpoints never share a number, so a key has at most one waiter.
 */
final class Poller {
    private final Readiness readiness;
    private final ScratchPool pool;
    private final ConcurrentHashMap<Long, Thread> waiting = new ConcurrentHashMap<>();
    private final Readiness.Sink sink = this::ready;
    private volatile IOException failure;

    Poller(Readiness readiness, ScratchPool pool, String name) {
        this.readiness = readiness;
        this.pool = pool;
        Thread t = new Thread(this::run, name);
        t.setDaemon(true);
        t.start();
    }

    private static Long key(int fd, boolean write) {
        return ((long) fd << 1) | (write ? 1 : 0);
    }

    /**
     * Parks the calling thread until {@code fd} is ready for the direction, {@code endpoint} is closed, the thread
     * is interrupted or the deadline ({@code System.nanoTime()}, 0 for none) passes. The caller holds a use of the
     * number throughout.
     *
     * @return false if the deadline passed, true otherwise (ready, closed, interrupted, or a spurious wake-up: the
     *     caller tries its call again and looks at the endpoint's state)
     * @throws IOException if the kernel refuses the registration or the poller has failed
     */
    boolean await(NativeEndpoint endpoint, int fd, boolean write, long deadline) throws IOException {
        IOException failed = failure;
        if (failed != null) {
            throw new IOException("the poller thread has failed", failed);
        }
        Thread me = Thread.currentThread();
        Long key = key(fd, write);
        waiting.put(key, me);
        try {
            Scratch s = pool.take();
            try {
                readiness.arm(fd, write, s.areaAddress + s.event);
            } finally {
                pool.give(s);
            }
            while (waiting.get(key) == me && endpoint.isOpen() && !me.isInterrupted() && failure == null) {
                if (deadline == 0) {
                    LockSupport.park(this);
                } else {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        return false;
                    }
                    LockSupport.parkNanos(this, left);
                }
            }
            return true;
        } finally {
            // Still listed: not reported (close, interrupt, deadline, a failed arm), so the registration may be live.
            if (waiting.remove(key, me)) {
                Scratch s = pool.take();
                try {
                    readiness.disarm(fd, write, s.areaAddress + s.event);
                } finally {
                    pool.give(s);
                }
            }
        }
    }

    /** How many threads are parked here now (for tests that must know a thread is really waiting). */
    int waiters() {
        return waiting.size();
    }

    /** Tells whether {@code thread} is parked here now. */
    boolean isWaiting(Thread thread) {
        return waiting.containsValue(thread);
    }

    private void ready(int fd, boolean write) {
        Thread t = waiting.remove(key(fd, write));
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    private void run() {
        try {
            for (;;) {
                readiness.await(sink, -1);
            }
        } catch (IOException | RuntimeException e) {
            // Nothing can wake the waiters any more: let every one see the failure instead of parking for ever.
            failure = e instanceof IOException io ? io : new IOException(e);
            for (Thread t : waiting.values()) {
                LockSupport.unpark(t);
            }
        }
    }
}
