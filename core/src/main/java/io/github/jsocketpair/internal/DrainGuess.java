package io.github.jsocketpair.internal;

/**
 * A guess, per endpoint and direction, whether its next blocking call would find the socket not ready (empty for a
 * read, full for a write), so that the call waits before its first attempt instead of making one that fails with
 * {@code EAGAIN}. Reading a reply (ping-pong, request and response, an echo) always finds the socket drained: the
 * failed attempt is one system call in three on that path (a non-blocking {@code recv}, then {@code poll(2)}, then
 * the {@code recv} that gets the data), while C's blocking {@code read} makes one. Waiting first when the last calls
 * had to wait makes it two, and where the call blocks in the kernel itself ({@link KernelWaits}) one.
 *
 * <p>The guess is made after a number of calls in a row had to wait ({@link #ENTER_AFTER_POLL}, {@link
 * #ENTER_AFTER_IN_CALL}), and what a wrong guess costs sets that number:
 * <ul>
 *   <li>Where the wait is {@code poll(2)}, a wrong guess costs a {@code poll} that returns at once, so the guess waits
 *       for two waits in a row: a reader draining a stream that is written in large chunks waits now and then (on
 *       one CPU, 6% of its 64 KiB reads), and a guess after each such wait would add a {@code poll(2)} to most of
 *       the reads that follow.
 *   <li>Where the call blocks in the kernel, a wrong guess costs no system call at all (a blocking {@code recv} with
 *       data queued returns at once, a blocking {@code send} with room does), only the bookkeeping that lets close
 *       reach a thread in the call (about 50 ns): one wait is enough. 64 KiB chunks through a direct buffer on one
 *       CPU made 1.27 {@code recv} and 1.28 {@code send} per chunk without it (C: one each).
 * </ul>
 * Either way the result is the same as without the guess: the wait ends on readiness, end of stream, close,
 * interrupt or the timeout exactly as a wait after a failed attempt does. To notice that the socket now keeps being
 * ready, every so many guided calls one makes its attempt first anyway; if that attempt succeeds, the guess is
 * dropped until calls have to wait again. That probe is a failed system call wherever the guess is right, so how
 * often it comes is set by what the guess saves: a {@code poll(2)} that returns at once where the wait is
 * {@code poll(2)} (every {@value #PROBE_EVERY_POLL}th call), only the close bookkeeping where the call blocks in the
 * kernel (every {@value #PROBE_EVERY_IN_CALL}th: at every 16th, 64 KiB direct chunks on one CPU made 1.06
 * {@code recv} and 1.08 {@code send} per chunk, the probes' failed calls).
 *
 * <p>For platform threads only. A virtual thread that waits first while data is queued pays an arming, a park and an
 * unpark through the poller instead of one failed {@code recv}; measured with the bench's echo workload (JDK 25, 2
 * carriers), waiting first gained 5-10% at 100 pairs and lost 8-12% at 5,000, where a reader often finds its peer's
 * message already queued.
 *
 * <p>Used only under the endpoint's lock for the direction (one reader and one writer at a time), so its fields need
 * no synchronisation.
 */
final class DrainGuess {
    /** How many calls in a row must have waited before calls that wait in {@code poll(2)} wait first. */
    static final int ENTER_AFTER_POLL = 2;
    /** How many calls in a row must have waited before calls that block in the kernel block at once. */
    static final int ENTER_AFTER_IN_CALL = 1;
    /** How often a call that would wait in {@code poll(2)} first makes its attempt first, to test the guess. */
    static final int PROBE_EVERY_POLL = 16;
    /** How often a call that would block in the kernel at once makes a non-blocking attempt first, to test it. */
    static final int PROBE_EVERY_IN_CALL = 256;

    private final int enterAfter;
    private final int probeEvery;
    private boolean waitFirst;
    private int guided;
    /** Calls in a row that waited, the current one included once it has. */
    private int streak;
    /** Whether the current call has waited. */
    private boolean waited;

    /**
     * A guess that is made after {@code enterAfter} calls in a row had to wait and tested every {@code probeEvery}th
     * guided call.
     */
    DrainGuess(int enterAfter, int probeEvery) {
        this.enterAfter = enterAfter;
        this.probeEvery = probeEvery;
    }

    /** The guess for calls that wait in {@code poll(2)}. */
    static DrainGuess forPoll() {
        return new DrainGuess(ENTER_AFTER_POLL, PROBE_EVERY_POLL);
    }

    /** The guess for calls that block in the kernel. */
    static DrainGuess inCall() {
        return new DrainGuess(ENTER_AFTER_IN_CALL, PROBE_EVERY_IN_CALL);
    }

    /**
     * Starts a call: tells whether it should wait before its first attempt; counts the guided calls and now and then
     * answers {@code false} to test the guess.
     */
    boolean waitFirst() {
        if (!waited) {
            streak = 0; // the previous call did not wait
        }
        waited = false;
        if (!waitFirst) {
            return false;
        }
        if (++guided == probeEvery) {
            guided = 0;
            waitFirst = false; // the attempt that follows sets it again if it fails
            return false;
        }
        return true;
    }

    /** Records that the current call waits (its attempt found the socket not ready, or it waits first). */
    void drained() {
        if (!waited) {
            waited = true;
            if (++streak >= enterAfter) {
                waitFirst = true;
            }
        }
    }
}
