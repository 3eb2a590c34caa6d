package io.github.jsocketpair.internal;

/**
 * A guess, per endpoint, whether its next blocking read would find the socket empty, so that the read waits before
 * its first attempt instead of making one that fails with {@code EAGAIN}. Reading a reply (ping-pong, request and
 * response, an echo) always finds the socket drained: the failed attempt is one system call in three on that path
 * (a non-blocking {@code recv}, then {@code poll(2)} or the poller, then the {@code recv} that gets the data), while
 * C's blocking {@code read} makes one. Waiting first when the last read had to wait makes it two.
 *
 * <p>A wrong guess costs a wait that returns at once (the socket is readable), never a different result: the wait
 * ends on readiness, end of stream, close, interrupt or the read timeout exactly as a wait after a failed attempt
 * does. To notice that data now keeps coming faster than it is read, every {@value #PROBE_EVERY}th guided read makes
 * its attempt first anyway; if that attempt finds data, the guess is dropped until a read has to wait again.
 *
 * <p>For platform threads only, where the wait is a {@code poll(2)} that returns at once when the guess was wrong. A
 * virtual thread that waits first while data is queued pays an arming, a park and an unpark through the poller
 * instead of one failed {@code recv}; measured with the bench's echo workload (JDK 25, 2 carriers), waiting first
 * gained 5-10% at 100 pairs and lost 8-12% at 5,000, where a reader often finds its peer's message already queued.
 *
 * <p>Used only under the endpoint's read lock (one reader at a time), so its fields need no synchronisation.
 */
final class DrainGuess {
    /** How often a read that would wait first makes its attempt first instead, to see whether data is queued now. */
    static final int PROBE_EVERY = 16;

    private boolean waitFirst;
    private int guided;

    /**
     * Tells whether the next blocking read should wait before its first attempt; counts the guided reads and now and
     * then answers {@code false} to test the guess.
     */
    boolean waitFirst() {
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

    /** Records that a read attempt found the socket empty and had to wait. */
    void drained() {
        waitFirst = true;
    }
}
