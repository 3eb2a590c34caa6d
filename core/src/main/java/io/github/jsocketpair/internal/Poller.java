package io.github.jsocketpair.internal;

import java.io.IOException;
import java.nio.channels.Channel;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * Where virtual threads wait, modelled on the JDK's {@code sun.nio.ch.Poller}: a waiting virtual thread arms its
 * descriptor one-shot in the backend's readiness queue ({@link Readiness}: epoll, kqueue) and parks, so its carrier
 * is free for other virtual threads; whoever drains the queue unparks it when the kernel reports the descriptor
 * ready. Close, interrupt and deadlines need no help from the queue: close and {@link Thread#interrupt()} unpark the
 * waiter directly, and a deadline is a timed park.
 *
 * <p>Two ways to drain the queue, as the JDK has ({@code jdk.pollerMode}):
 * <ul>
 *   <li><b>On the carriers</b> (JDK 21+, where the queue has a {@linkplain Readiness#descriptor() descriptor}; the
 *       JDK's {@code VTHREAD_POLLERS}, its default on Linux): the poller is itself a virtual thread. It drains the
 *       queue without waiting, and after a round that found something it yields and drains again, so under load the
 *       waiters it unparks go to its own carrier's queue and no platform thread is woken on the way (a platform
 *       poller costs two thread wake-ups per hop: its own and then a carrier's). Only when a round finds nothing
 *       does it wait: on a small platform {@linkplain #master master} poller that watches the queue's descriptor.
 *   <li><b>On a platform thread</b> (JDK 17-20, a queue without a descriptor, or {@code -Djsocketpair.poller=platform};
 *       see {@link Pollers}):
 *       one daemon thread waits in the queue and unparks the waiters it reports.
 * </ul>
 *
 * <p>A waiter is keyed by descriptor and direction. An endpoint lets one reader and one writer in at a time, and two
 * open endpoints never share a number, so a key has at most one waiter.
 */
final class Poller {
    /**
     * For a wait that no close ends (the sub-poller's on the master: its queue lives as long as the backend; tests).
     */
    static final Channel ALWAYS_OPEN = new Channel() {
        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void close() {
        }
    };

    /**
     * How long a virtual poller drains before it lets the scheduler's external queue run (see
     * {@link #drainOnCarriers}): long against what a turn's end costs (the poller is away until its carrier's queue
     * empties, its sibling draining both queues meanwhile), short against a timeout. Measured with the echo workload
     * on 2 carriers: 0.25 ms costs 20% of the round trips at 100 pairs, 1 ms 10%; at 5,000 pairs 4 ms still costs
     * 15-25%, 16 ms nothing measurable against no turns at all. So an outside thread waits about 16 ms per turn
     * under full load (the JDK's own pollers let it wait for as long as the load lasts).
     */
    static final long TURN_NANOS = 16_000_000;
    /**
     * The park at the end of a turn: long enough that the timer cannot fire before the park has unmounted the poller
     * (a wake-up that beats the park leaves it on its carrier), short against the turn.
     */
    static final long DETOUR_NANOS = 50_000;

    private final Readiness readiness;
    private final ScratchPool pool;
    /** Where the virtual poller waits when its queue is empty; null for a platform poller. */
    private final Poller master;
    private final Waiters waiting = new Waiters();
    private final Readiness.Sink sink = this::ready;
    private final Thread thread;
    /** The virtual pollers of the same backend, this one included; set before they start. */
    private Poller[] siblings = new Poller[0];
    /** A virtual poller sleeps on the master (its queue was empty); siblings then drain its queue too. */
    private volatile boolean asleep;
    /** Held while one thread drains the queue: the queue's event buffer is one thread's at a time. */
    private final AtomicBoolean draining = new AtomicBoolean();
    private volatile IOException failure;

    /**
     * A poller over {@code readiness}, not started: it drains on a virtual thread that waits on {@code master} when
     * {@code master} is given, else on a daemon platform thread.
     *
     * @throws IllegalStateException if {@code master} is given on a JDK without virtual threads
     */
    Poller(Readiness readiness, ScratchPool pool, Poller master, String name) {
        this.readiness = readiness;
        this.pool = pool;
        this.master = master;
        if (master != null) {
            thread = Threads.unstartedVirtual(name, this::drainOnCarriers);
            if (thread == null) {
                throw new IllegalStateException("no virtual threads on JDK " + Runtime.version());
            }
        } else {
            thread = new Thread(this::drainOnPlatformThread, name);
            thread.setDaemon(true);
        }
    }

    /** Starts draining; returns this poller. */
    Poller start() {
        thread.start();
        return this;
    }

    /** Tells whether the poller drains its queue on a virtual thread (for tests and the bench header). */
    boolean isVirtual() {
        return master != null;
    }

    /**
     * Parks the calling thread until {@code fd} is ready for the direction, {@code channel} is closed, the thread
     * is interrupted or the deadline ({@code System.nanoTime()}, 0 for none) passes. The caller holds a use of the
     * number throughout.
     *
     * @return false if the deadline passed, true otherwise (ready, closed, interrupted, or a spurious wake-up: the
     *     caller tries its call again and looks at the endpoint's state)
     * @throws IOException if the kernel refuses the registration or the poller has failed
     */
    boolean await(Channel channel, int fd, boolean write, long deadline) throws IOException {
        IOException failed = failure;
        if (failed != null) {
            throw new IOException("the poller thread has failed", failed);
        }
        Thread me = Thread.currentThread();
        waiting.put(fd, write, me);
        try {
            Scratch s = pool.take();
            try {
                readiness.arm(fd, write, s.event);
            } finally {
                pool.give(s);
            }
            while (waiting.isListed(fd, write, me) && channel.isOpen() && !me.isInterrupted() && failure == null) {
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
            if (waiting.remove(fd, write, me)) {
                Scratch s = pool.take();
                try {
                    readiness.disarm(fd, write, s.event);
                } finally {
                    pool.give(s);
                }
            }
        }
    }

    /** How many threads are parked here now (for tests that must know a thread is really waiting). */
    int waiters() {
        return waiting.count();
    }

    /** Tells whether {@code thread} is parked here now. */
    boolean isWaiting(Thread thread) {
        return waiting.contains(thread);
    }

    private void ready(int fd, boolean write) {
        Thread t = waiting.take(fd, write);
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    private void drainOnPlatformThread() {
        try {
            for (;;) {
                readiness.await(sink, -1); // the only drainer of this queue
            }
        } catch (IOException | RuntimeException e) {
            fail(e);
        }
    }

    /**
     * The virtual poller's loop, as the JDK's sub-poller's: drain without waiting; after a round that found
     * something, yield (other virtual threads, the ones just unparked first, run on this carrier meanwhile) and drain
     * again; after an empty round, sleep on the master until the queue's descriptor polls readable.
     *
     * <p>Each round also drains the queues of sibling pollers that sleep on the master. The master wakes a sleeper
     * from a platform thread, which puts it in the scheduler's external queue, and a carrier takes from there only
     * once its own queue is empty: while the awake pollers keep their carriers' queues full (every unpark and yield
     * from a carrier goes there), a sleeper woken by the master could wait for ever and its waiters with it (seen:
     * 20 of 100 echo pairs never ran). Drained by an awake sibling, its waiters are unparked from a carrier instead.
     *
     * <p>The same holds for every virtual thread the scheduler gets from outside a carrier: one started by a platform
     * thread, one unblocked from a monitor, one whose timed park expired. While the pollers yield from carrier to
     * carrier, their carriers' own queues never empty and those threads wait (seen: a thread blocked a moment on a
     * monitor inside java.lang.foreign never ran again). So a poller that has been draining for
     * {@link #TURN_NANOS} parks for {@link #DETOUR_NANOS}: the JDK's timer thread wakes it, from outside, so it queues
     * behind whatever waits there, and its carrier's own queue runs empty meanwhile (its siblings drain its queue).
     */
    private void drainOnCarriers() {
        try {
            int queue = readiness.descriptor();
            long turn = System.nanoTime();
            for (int found = 0;;) {
                if (found == 0) {
                    asleep = true;
                    try {
                        master.await(ALWAYS_OPEN, queue, false, 0);
                    } finally {
                        asleep = false;
                    }
                    turn = System.nanoTime();
                } else if (System.nanoTime() - turn > TURN_NANOS) {
                    // A turn used up: a timed park, whose wake-up comes from the JDK's timer thread and so through the
                    // external queue, behind whatever waits there. (Not through the master: with events pending it
                    // would unpark this thread before it parked, and the park would not yield at all.)
                    asleep = true;
                    try {
                        LockSupport.parkNanos(this, DETOUR_NANOS);
                    } finally {
                        asleep = false;
                    }
                    turn = System.nanoTime();
                } else {
                    Thread.yield();
                }
                found = drain();
                for (Poller p : siblings) {
                    if (p != this && p.asleep) {
                        found += p.drain();
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            fail(e);
        }
    }

    /**
     * Drains this poller's queue without waiting, unless another poller is draining it now; returns how many
     * descriptors it reported (1 when it was busy: somebody is at work on it). A failed queue fails this poller.
     */
    private int drain() {
        if (!draining.compareAndSet(false, true)) {
            return 1;
        }
        try {
            return readiness.await(sink, 0);
        } catch (IOException | RuntimeException e) {
            fail(e);
            return 0;
        } finally {
            draining.set(false);
        }
    }

    /** Tells each virtual poller of one backend who its siblings are (all of them, itself included). */
    static void siblings(Poller[] all) {
        for (Poller p : all) {
            p.siblings = all;
        }
    }

    private void fail(Exception e) {
        // Nothing can wake the waiters any more: let every one see the failure instead of parking for ever.
        failure = e instanceof IOException io ? io : new IOException(e);
        waiting.forEach(LockSupport::unpark);
    }
}
