package io.github.jsocketpair.internal;

import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.ByteOrder;

/**
 * Where a platform thread waits: {@code poll(2)} on the socket and on this thread's own wake-up descriptor
 * ({@code eventfd} on Linux, a socket pair elsewhere), which a closer writes to. So {@code close()} (and an
 * interrupt, which closes) wakes a blocked platform thread without {@code shutdown(2)}, which would end the
 * connection for every other holder of the socket: a child process, a peer that received it over
 * {@code SCM_RIGHTS}, a duplicate.
 *
 * <p>Lent for the length of one wait by the backend's {@link WakeupPool}, so the descriptors held grow with the
 * platform threads waiting at once, not with the threads that ever waited, and are closed at a known moment (a
 * thread-local one would be closed by the GC at any time, visible in any count of open descriptors). A signal holds
 * a use of the numbers ({@link DescriptorUse}), so a pool that closes an extra wake-up never closes (and lets the
 * number be reused) under a signal; a late signal only wakes the next borrower once, which looks again.
 */
final class Wakeup {
    // native memory: pollfd[2] at 0, the 8-byte value 1 to write at 16, a drain buffer at 24
    private static final int POLLFDS = 0;
    private static final int ONE = 16;
    private static final int DRAIN = 24;
    private static final int DRAIN_SIZE = 64;

    private final Libc libc;
    private final NativeConstants c;
    private final int readFd;
    private final int writeFd;
    private final ByteBuffer memory;
    private final long address;
    private final PosixBackend backend;
    private final DescriptorUse use = new DescriptorUse();

    /** Takes ownership of the numbers ({@code readFd == writeFd} for an eventfd), both non-blocking. */
    Wakeup(PosixBackend backend, int readFd, int writeFd) {
        Libc shared = backend.libc();
        this.libc = shared instanceof Libc.Isolating i ? i.isolated() : shared;
        this.c = backend.constants();
        this.readFd = readFd;
        this.writeFd = writeFd;
        this.memory = ByteBuffer.allocateDirect(DRAIN + DRAIN_SIZE).order(ByteOrder.nativeOrder());
        this.address = libc.address(memory);
        memory.putLong(ONE, 1);
        this.backend = backend;
    }

    /** Closes the numbers, now or after a signal in progress. */
    void close() {
        if (use.markClosed() == DescriptorUse.Close.NOW) {
            closeNumbers();
        }
    }

    private void closeNumbers() {
        backend.closeQuietly(readFd);
        if (writeFd != readFd) {
            backend.closeQuietly(writeFd);
        }
    }

    /** Wakes the thread if it is waiting, or makes its next wait return at once; any thread may call it. */
    void signal() {
        try {
            use.acquire();
        } catch (ClosedChannelException e) {
            return; // closed by its pool: nobody waits on it any more
        }
        try {
            // One 8-byte write: an eventfd adds 1 to its counter, a socket gets 8 bytes. A full socket (EAGAIN) is
            // readable already, which is all a signal needs. Its own isolated errno would race the waiter's, so the
            // shared binding's (per-thread) errno is read here.
            Libc shared = backend.libc();
            while (shared.write(writeFd, address + ONE, 8) < 0 && shared.errno() == c.EINTR) {
                // a signal before anything was written: the write must still happen
            }
        } finally {
            if (use.release()) {
                closeNumbers();
            }
        }
    }

    /**
     * Waits until {@code fd} has {@code events}, this wake-up is signalled, or {@code timeoutMillis} pass (-1: no
     * limit). Only the owning thread calls it.
     *
     * @return false on timeout; true otherwise (ready, signalled, or EINTR: the caller looks again)
     * @throws SocketPairException if poll(2) fails
     */
    boolean await(int fd, int events, int timeoutMillis) throws io.github.jsocketpair.SocketPairException {
        memory.putInt(POLLFDS, fd);
        memory.putShort(POLLFDS + 4, (short) events);
        memory.putShort(POLLFDS + 6, (short) 0);
        memory.putInt(POLLFDS + 8, readFd);
        memory.putShort(POLLFDS + 12, (short) c.POLLIN);
        memory.putShort(POLLFDS + 14, (short) 0);
        int r = libc.poll(address + POLLFDS, 2, timeoutMillis);
        if (r < 0) {
            int e = libc.errno();
            if (e == c.EINTR) {
                return true;
            }
            throw new io.github.jsocketpair.SocketPairException("poll", c.toErrno(e), e, "fd=" + fd + ", events="
                    + events + ", " + timeoutMillis + " ms");
        }
        if (r > 0 && memory.getShort(POLLFDS + 14) != 0) {
            while (libc.read(readFd, address + DRAIN, DRAIN_SIZE) < 0 && libc.errno() == c.EINTR) {
                // drain for real, or the next poll returns at once
            }
        }
        return r > 0;
    }
}
