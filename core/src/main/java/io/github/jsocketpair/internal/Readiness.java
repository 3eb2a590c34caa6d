package io.github.jsocketpair.internal;

import java.io.IOException;

/**
 * One kernel readiness queue, as the shared {@link Poller} uses it: {@code epoll} on Linux, {@code kqueue} on the
 * BSDs and macOS. Each backend implements it over its own binding; everything else about waiting (who waits, who
 * wakes whom, deadlines, close and interrupt) is the core's.
 *
 * <p>Registrations are one-shot: an armed descriptor is reported once, then stays quiet until armed again. Reads
 * and writes are separate registrations, so one reader and one writer can wait on one descriptor at once. A wait
 * that was not reported (close, interrupt, timeout) is disarmed before the caller stops holding the descriptor; a
 * reported one needs no disarm (a fired one-shot registration is inert), which saves a system call per wait.
 */
public interface Readiness {
    /**
     * The size of the scratch memory {@link #arm} and {@link #disarm} get: room for one {@code struct kevent} of
     * FreeBSD 12+ (64 bytes on LP64, with {@code uint64_t ext[4]}), the largest event struct a backend passes.
     */
    int SCRATCH_SIZE = 64;

    /** Receives the descriptors {@link #await} found ready. */
    interface Sink {
        /** {@code fd} is ready for writing ({@code write}) or reading, or has an error or hang-up. */
        void ready(int fd, boolean write);
    }

    /**
     * Starts watching {@code fd} for one direction, once. {@code event} is lent for the duration of the call: the
     * struct the call passes is written through its buffer (no JNA {@code Pointer} made per wait), and the call goes
     * through its binding (whose errno is the area's own, not a per-thread slot).
     *
     * @throws IOException if the kernel refuses the registration
     */
    void arm(int fd, boolean write, EventArea event) throws IOException;

    /**
     * Stops watching {@code fd} for one direction after a wait that was not reported; errors are ignored.
     * {@code event} as for {@link #arm}.
     */
    void disarm(int fd, boolean write, EventArea event);

    /**
     * The descriptor that polls readable while an armed registration is ready ({@code epoll(7)} and
     * {@code kqueue(2)} descriptors are themselves pollable), or -1 where there is none. With one, the poller can run
     * as a virtual thread on the carriers and sleep in another queue only when nothing is ready ({@link Poller});
     * without one it stays a platform thread.
     */
    default int descriptor() {
        return -1;
    }

    /**
     * Waits until at least one armed descriptor is ready (or {@code timeoutMillis} pass, -1 for ever; 0 looks
     * without waiting) and reports each; one thread at a time calls it (the poller's).
     *
     * @return how many were reported
     * @throws IOException if the wait itself fails
     */
    int await(Sink sink, int timeoutMillis) throws IOException;

    /**
     * Closes the queue's descriptors; only for a queue no poller uses yet (one opened for pollers that then failed to
     * start). Errors are ignored: there is nobody to report them to.
     */
    default void close() {
    }
}
