package io.github.jsocketpair.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.channels.ClosedChannelException;

/**
 * The close protocol every owned descriptor follows: one atomic word holds a closed bit and the number of calls in
 * progress. A call {@link #acquire() acquires} the number and {@link #release() releases} it; {@link #markClosed()}
 * sets the closed bit, and whoever brings the count to zero with the bit set closes the number, exactly once. So the
 * number is never released while a call still passes it to the kernel, and a reused number is never read, written
 * or closed by mistake (the descriptor-reuse race Netty and the JDK guard against the same way).
 *
 * <p>The word is a field of this object updated through a {@link VarHandle}, not an {@code AtomicInteger}: every call
 * on the endpoint acquires and releases it, and every pair made allocates two of these, so the extra object was one
 * more dependent load per call and one more allocation per endpoint.
 */
public final class DescriptorUse {
    private static final int CLOSED = 1 << 31;

    /** What {@link #markClosed()} found. */
    enum Close {
        /** Closed before: nothing to do. */
        ALREADY,
        /** No call in progress: the caller closes the number now. */
        NOW,
        /** Calls are in progress: wake them; the last {@link #release()} closes the number. */
        DEFERRED
    }

    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(DescriptorUse.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The closed bit and the number of calls in progress. */
    private volatile int state;

    /**
     * An open number with no call in progress. Package-private: the class is public only so that {@link Owned} can
     * name it for {@code internal.spawn}; only this package's owners make one.
     */
    DescriptorUse() {
    }

    /**
     * Marks a call in progress; pair with {@link #release()} in a {@code finally}.
     *
     * @throws ClosedChannelException if closed
     */
    void acquire() throws ClosedChannelException {
        for (;;) {
            int s = state;
            if (s < 0) {
                throw new ClosedChannelException();
            }
            if (STATE.compareAndSet(this, s, s + 1)) {
                return;
            }
        }
    }

    /** Ends a call; returns true when this was the last one out after a close, which must now close the number. */
    boolean release() {
        return (int) STATE.getAndAdd(this, -1) - 1 == CLOSED;
    }

    /** Tells whether the closed bit is set. */
    boolean isClosed() {
        return state < 0;
    }

    /** Sets the closed bit and says who closes the number. */
    Close markClosed() {
        for (;;) {
            int s = state;
            if (s < 0) {
                return Close.ALREADY;
            }
            if (STATE.compareAndSet(this, s, s | CLOSED)) {
                return s == 0 ? Close.NOW : Close.DEFERRED;
            }
        }
    }

    /**
     * Marks the descriptor closed without anyone closing the number, when no call is in progress.
     *
     * @return true if done; false if a call is in progress (nothing changed)
     * @throws ClosedChannelException if already closed
     */
    boolean detach() throws ClosedChannelException {
        if (STATE.compareAndSet(this, 0, CLOSED)) {
            return true;
        }
        if (state < 0) {
            throw new ClosedChannelException();
        }
        return false;
    }

    /** The number of calls in progress (for tests and diagnostics). */
    int inUse() {
        return state & ~CLOSED;
    }
}
