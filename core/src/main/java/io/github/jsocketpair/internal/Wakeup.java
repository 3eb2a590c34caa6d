package io.github.jsocketpair.internal;

import java.lang.ref.Cleaner;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Where a platform thread waits: {@code poll(2)} on the socket and on this thread's own wake-up descriptor
 * ({@code eventfd} on Linux, a socket pair elsewhere), which a closer writes to. So {@code close()} (and an
 * interrupt, which closes) wakes a blocked platform thread without {@code shutdown(2)}, which would end the
 * connection for every other holder of the socket: a child process, a peer that received it over
 * {@code SCM_RIGHTS}, a duplicate.
 *
 * <p>One per platform thread that ever waited, made at its first wait; when the thread ends, a {@link Cleaner}
 * closes the numbers. A closer holds a reference while it signals, so the numbers cannot be closed (and reused)
 * under a signal.
 */
final class Wakeup {
    private static final Cleaner CLEANER = Cleaner.create();
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
        CLEANER.register(this, () -> {
            backend.closeQuietly(readFd);
            if (writeFd != readFd) {
                backend.closeQuietly(writeFd);
            }
        });
    }

    /** Wakes the thread if it is waiting, or makes its next wait return at once; any thread may call it. */
    void signal() {
        // One 8-byte write: an eventfd adds 1 to its counter, a socket gets 8 bytes. A full socket (EAGAIN) is
        // readable already, which is all a signal needs.
        while (libc.write(writeFd, address + ONE, 8) < 0 && libc.errno() == c.EINTR) {
            // a signal before anything was written: the write must still happen
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
