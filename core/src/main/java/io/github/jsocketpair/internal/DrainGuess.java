package io.github.jsocketpair.internal;

/**
 * A guess, per endpoint, whether its next blocking read would find the socket empty, so that the read waits before
 * its first attempt instead of making one that fails with {@code EAGAIN}. Reading a reply (ping-pong, request and
 * response, an echo) always finds the socket drained: the failed attempt is one system call in three on that path
 * (a non-blocking {@code recv}, then {@code poll(2)}, then the {@code recv} that gets the data), while C's blocking
 * {@code read} makes one. Waiting first when the last reads had to wait makes it two.
 *
 * <p>The guess is made after {@value #ENTER_AFTER} reads in a row had to wait, not after one: a reader draining a
 * stream that is written in large chunks waits now and then (on one CPU, 6% of its 64 KiB reads), and there a guess
 * after each such wait would add a {@code poll(2)} to most of the reads that follow. A wrong guess costs a wait that
 * returns at once (the socket is readable), never a different result: the wait ends on readiness, end of stream,
 * close, interrupt or the read timeout exactly as a wait after a failed attempt does. To notice that data now keeps
 * coming faster than it is read, every {@value #PROBE_EVERY}th guided read makes its attempt first anyway; if that
 * attempt finds data, the guess is dropped until reads have to wait again.
 *
 * <p>For platform threads only, where the wait is a {@code poll(2)} that returns at once when the guess was wrong. A
 * virtual thread that waits first while data is queued pays an arming, a park and an unpark through the poller
 * instead of one failed {@code recv}; measured with the bench's echo workload (JDK 25, 2 carriers), waiting first
 * gained 5-10% at 100 pairs and lost 8-12% at 5,000, where a reader often finds its peer's message already queued.
 *
 * <p>Used only under the endpoint's read lock (one reader at a time), so its fields need no synchronisation.
 */
final class DrainGuess {
    /** How many reads in a row must have waited before reads wait first. */
    static final int ENTER_AFTER = 2;
    /** How often a read that would wait first makes its attempt first instead, to see whether data is queued now. */
    static final int PROBE_EVERY = 16;

    private boolean waitFirst;
    private int guided;
    /** Reads in a row that waited, the current one included once it has. */
    private int streak;
    /** Whether the current read has waited. */
    private boolean waited;

    /**
     * Starts a read: tells whether it should wait before its first attempt; counts the guided reads and now and then
     * answers {@code false} to test the guess.
     */
    boolean waitFirst() {
        if (!waited) {
            streak = 0; // the previous read did not wait
        }
        waited = false;
        if (!waitFirst) {
            return false;
        }
        if (++guided == PROBE_EVERY) {
            guided = 0;
            waitFirst = false; // the attempt that follows sets it again if it fails
            return false;
        }
        return true;
    }

    /** Records that the current read waits (its attempt found the socket empty, or it waits first). */
    void drained() {
        if (!waited) {
            waited = true;
            if (++streak >= ENTER_AFTER) {
                waitFirst = true;
            }
        }
    }
}
