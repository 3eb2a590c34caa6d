package io.github.jsocketpair.internal;

import io.github.jsocketpair.Descriptor;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A descriptor this library owns, with the close protocol every owned descriptor follows: one atomic word holds a
 * closed bit and the number of calls in progress. A call {@link #acquire() acquires} the number and
 * {@link #release() releases} it; {@link #close()} sets the closed bit, and whoever brings the count to zero with the
 * bit set calls {@code close(2)}, exactly once. So the number is never released while a call still uses it, and a
 * reused number is never read, written or closed by mistake (the descriptor-reuse race Netty and the JDK guard
 * against the same way).
 */
public class OwnedDescriptor implements Descriptor {
    private static final int CLOSED = 1 << 31;

    protected final PosixBackend backend;
    private final int fd;
    private final AtomicInteger state = new AtomicInteger();

    public OwnedDescriptor(PosixBackend backend, int fd) {
        this.backend = backend;
        this.fd = fd;
    }

    @Override
    public final int fd() {
        return state.get() < 0 ? -1 : fd;
    }

    /** The number, whatever the state: for messages and for the backend while it holds a use. */
    protected final int rawFd() {
        return fd;
    }

    @Override
    public final boolean isOpen() {
        return state.get() >= 0;
    }

    /**
     * Marks a call in progress and returns the number; pair with {@link #release()} in a {@code finally}.
     *
     * @throws ClosedChannelException if closed
     */
    public final int acquire() throws ClosedChannelException {
        for (;;) {
            int s = state.get();
            if (s < 0) {
                throw new ClosedChannelException();
            }
            if (state.compareAndSet(s, s + 1)) {
                return fd;
            }
        }
    }

    /** Ends a call; the last one out after a close closes the number. */
    public final void release() {
        if (state.decrementAndGet() == CLOSED) {
            // Deferred close: nobody is left to report an error to; close(2) has released the number either way.
            backend.closeQuietly(fd);
        }
    }

    /** Tells whether {@link #close()} has been called, for a call that has just returned. */
    protected final boolean closedMeanwhile() {
        return state.get() < 0;
    }

    @Override
    public final void close() throws IOException {
        for (;;) {
            int s = state.get();
            if (s < 0) {
                return;
            }
            if (s == 0) {
                if (state.compareAndSet(0, CLOSED)) {
                    backend.closeChecked(fd);
                    return;
                }
            } else if (state.compareAndSet(s, (s + 1) | CLOSED)) {
                // Calls are in progress: wake them while holding a use ourselves, so the number cannot be closed
                // (and reused) under the wake-up; the last release closes it.
                try {
                    wakeBlocked(fd);
                } finally {
                    release();
                }
                return;
            }
        }
    }

    /**
     * Wakes threads blocked in calls on this descriptor when it is closed under them. Plain descriptors have no
     * blocking calls here.
     */
    protected void wakeBlocked(int fd) {
    }

    /**
     * Gives up ownership without closing the number, for {@link io.github.jsocketpair.Endpoint#adopt}: returns the
     * number, and this object is closed.
     *
     * @throws ClosedChannelException if already closed
     * @throws IllegalStateException if a call is in progress
     */
    public final int detach() throws ClosedChannelException {
        if (state.compareAndSet(0, CLOSED)) {
            return fd;
        }
        if (state.get() < 0) {
            throw new ClosedChannelException();
        }
        throw new IllegalStateException("descriptor " + fd + " is in use by another thread");
    }

    /**
     * Holds any descriptor open for the duration of a call that passes its number to the kernel (an owned one by
     * {@link #acquire()}, so its number cannot be closed and reused meanwhile); pair with {@link #unhold}.
     *
     * @throws ClosedChannelException if it is closed
     */
    static int hold(Descriptor d) throws ClosedChannelException {
        if (d instanceof OwnedDescriptor o) {
            return o.acquire();
        }
        int fd = d.fd();
        if (!d.isOpen() || fd < 0) {
            throw new ClosedChannelException();
        }
        return fd;
    }

    /** Ends a {@link #hold}. */
    static void unhold(Descriptor d) {
        if (d instanceof OwnedDescriptor o) {
            o.release();
        }
    }

    @Override
    public String toString() {
        return "Descriptor[fd=" + fd + (isOpen() ? "" : ", closed") + "]";
    }
}
