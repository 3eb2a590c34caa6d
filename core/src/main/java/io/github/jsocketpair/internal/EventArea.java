package io.github.jsocketpair.internal;

import java.nio.ByteBuffer;

/**
 * What a {@link Readiness} arm or disarm writes its one {@code epoll_event} or {@code struct kevent} into, lent with
 * a {@link Scratch} for the length of the call: {@link Readiness#SCRATCH_SIZE} bytes of native memory (a direct
 * buffer in native byte order, and its address), and the binding to make the call through. The binding is the
 * scratch area's own view of the backend's binding ({@link Libc.Isolating#isolated()}), whose errno stays with the
 * area: through the backend's shared binding, every virtual thread that ever waited got a per-thread errno slot of
 * its own (a {@code ThreadLocal} and an auto {@code Arena} each; 10,000 of them at 5,000 echo pairs, and a
 * {@code ThreadLocal} lookup per wait).
 */
public final class EventArea {
    private final ByteBuffer buffer;
    private final long address;
    private final Libc libc;

    /**
     * An area over {@code buffer} at {@code address}, to be used through {@code libc}.
     *
     * @param buffer {@link Readiness#SCRATCH_SIZE} bytes of native memory, native byte order
     * @param address the buffer's address
     * @param libc the binding of the calls that use the area: the backend's own type, as the scratch area's view
     */
    public EventArea(ByteBuffer buffer, long address, Libc libc) {
        this.buffer = buffer;
        this.address = address;
        this.libc = libc;
    }

    /**
     * Returns the buffer the event is written through.
     *
     * @return the area as a direct buffer in native byte order
     */
    public ByteBuffer buffer() {
        return buffer;
    }

    /**
     * Returns the area's native address, for the call.
     *
     * @return the address
     */
    public long address() {
        return address;
    }

    /**
     * Returns the binding to make the call through: the backend's own binding type, whose {@code errno()} after the
     * call is this call's.
     *
     * @param <L> the backend's binding type
     * @param type that type
     * @return the binding
     * @throws ClassCastException if the area was lent by another backend's scratch
     */
    public <L extends Libc> L libc(Class<L> type) {
        return type.cast(libc);
    }
}
