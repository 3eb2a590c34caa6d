package io.github.jsocketpair.internal;

import java.lang.ref.WeakReference;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Native memory for one system call, lent by the backend's {@link ScratchPool}, so that no call allocates: a fixed
 * area for the structs a call passes ({@code msghdr}, the {@code iovec} array, the control buffer, a {@code pollfd},
 * a getsockopt value, an {@code epoll_event} or {@code kevent}), a growable data area that heap buffers are copied
 * through, and the address of the last direct buffer seen. One thread uses it at a time (the one that took it), so
 * nothing here is synchronised.
 */
final class Scratch {
    /** Data areas up to this size are kept; larger transfers use a one-off buffer. */
    static final int MAX_CACHED_DATA = 1 << 20;
    private static final int MIN_DATA = 1 << 16;
    /** Control space beyond SCM_RIGHTS for credentials, security labels and the like. */
    static final int EXTRA_CONTROL = 512;

    /** The binding as this area's calls use it ({@link Libc.Isolating#isolated()}): errno() stays with them. */
    final Libc libc;
    final ByteBuffer area;
    final long areaAddress;
    // offsets within area
    final int msg;
    final int iov;
    final int control;
    final int controlSize;
    final int pollfd;
    final int opt;
    final int optlen;
    final int pair;
    /** {@link Readiness#SCRATCH_SIZE} bytes for one {@code epoll_event} or {@code kevent}, with this area's binding. */
    final EventArea event;

    private ByteBuffer data;
    private long dataAddress;
    private WeakReference<ByteBuffer> lastDirect = new WeakReference<>(null);
    private long lastDirectAddress;

    Scratch(Libc libc, NativeConstants c) {
        this.libc = libc instanceof Libc.Isolating p ? p.isolated() : libc;
        int at = 0;
        msg = at;
        at = NativeConstants.align(at + c.msghdrSize, 16);
        iov = at;
        at = NativeConstants.align(at + c.iovMax * c.iovecSize(), 16);
        control = at;
        // Room for the most descriptors one message carries, plus room for the other control messages a socket
        // may get in the same call when SO_PASSCRED/SO_PASSSEC/SO_PASSPIDFD is set on it (e.g. an adopted socket):
        // Linux puts SCM_CREDENTIALS (12 bytes), SCM_SECURITY (a label) and SCM_PIDFD before SCM_RIGHTS, and a buffer
        // sized for SCM_RIGHTS alone would then cut descriptors off (MSG_CTRUNC).
        controlSize = c.cmsgSpace(Math.max(1, c.maxFdsPerMessage) * 4) + EXTRA_CONTROL;
        at = NativeConstants.align(at + controlSize, 16);
        pollfd = at;
        at += 16;
        opt = at;
        at += 128;
        optlen = at;
        at += 8;
        pair = at;
        at += 8;
        int event = at;
        at += Readiness.SCRATCH_SIZE; // FreeBSD 12+'s struct kevent is 64 bytes, epoll_event 12 or 16
        area = ByteBuffer.allocateDirect(at).order(ByteOrder.nativeOrder());
        areaAddress = libc.address(area);
        this.event = new EventArea(area.slice(event, Readiness.SCRATCH_SIZE).order(ByteOrder.nativeOrder()),
                areaAddress + event, this.libc);
        data = ByteBuffer.allocateDirect(MIN_DATA).order(ByteOrder.nativeOrder());
        dataAddress = libc.address(data);
    }

    /** Returns the data area, at least {@code size} bytes when {@code size <= MAX_CACHED_DATA}. */
    ByteBuffer data(int size) {
        if (size > data.capacity()) {
            if (size > MAX_CACHED_DATA) {
                ByteBuffer big = ByteBuffer.allocateDirect(size).order(ByteOrder.nativeOrder());
                oneOff = big;
                oneOffAddress = libc.address(big);
                return big;
            }
            int cap = Math.max(Integer.highestOneBit(size - 1) << 1, MIN_DATA);
            data = ByteBuffer.allocateDirect(cap).order(ByteOrder.nativeOrder());
            dataAddress = libc.address(data);
        }
        return data;
    }

    private ByteBuffer batch;
    private long batchAddress;

    /** The batch area (mmsghdr array then iovec array, {@link Batches#MAX} each), made at first use. */
    long batchArea(NativeConstants c) {
        if (batch == null) {
            int size = Batches.MAX * (MessageCodec.mmsghdrSize(c) + c.iovecSize());
            batch = ByteBuffer.allocateDirect(size).order(ByteOrder.nativeOrder());
            batchAddress = libc.address(batch);
        }
        return batchAddress;
    }

    /** The batch area as a buffer, after {@link #batchArea}. */
    ByteBuffer batch() {
        return batch;
    }


    private ByteBuffer oneOff;
    private long oneOffAddress;

    /** The address of a buffer {@link #data(int)} returned. */
    long addressOf(ByteBuffer scratchData) {
        if (scratchData == data) {
            return dataAddress;
        }
        if (scratchData == oneOff) {
            return oneOffAddress;
        }
        throw new IllegalArgumentException("not a scratch buffer");
    }

    /** The scratch data buffer whose address {@link #addressOf} gave. */
    ByteBuffer dataAt(long address) {
        if (address == dataAddress) {
            return data;
        }
        if (oneOff != null && address == oneOffAddress) {
            return oneOff;
        }
        throw new IllegalArgumentException("not a scratch address");
    }

    /** Drops a one-off buffer so the GC can free it. */
    void dropOneOff() {
        oneOff = null;
    }

    /**
     * The address of a direct buffer's first element: read from the buffer where the JDK allows it, else asked from
     * the backend and remembered for the last buffer seen.
     */
    long directAddress(ByteBuffer direct) {
        if (BufferAddress.AVAILABLE) {
            return BufferAddress.of(direct);
        }
        if (lastDirect.get() == direct) {
            return lastDirectAddress;
        }
        long a = libc.address(direct);
        lastDirect = new WeakReference<>(direct);
        lastDirectAddress = a;
        return a;
    }
}
