package io.github.jsocketpair.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A readiness queue over plain {@code poll(2)}, for a release whose kernel queue the backend has no binding for (the
 * BSD backend on NetBSD 11, whose {@code struct kevent} was not read in a header, and on FreeBSD before 12, whose
 * 32-byte one it has no table for): the armed descriptors are kept here, the poller thread polls them all plus a
 * wake-up socket pair, and an arm wakes it so the new descriptor joins the next poll. One-shot like epoll's and
 * kqueue's: a descriptor reported ready is dropped until armed again. Costs one poll(2) over every waiter per
 * wake-up, so it suits hundreds of waiting virtual threads rather than tens of thousands.
 */
final class PollReadiness implements Readiness {
    private final PosixBackend backend;
    private final NativeConstants c;
    private final Libc libc;
    private final int wakeRead;
    private final int wakeWrite;
    /** Armed: key fd << 1 | write. */
    private final ConcurrentHashMap<Long, Boolean> armed = new ConcurrentHashMap<>();
    private final ByteBuffer one = ByteBuffer.allocateDirect(8).order(ByteOrder.nativeOrder());
    private final long oneAddress;
    // the poller thread's own
    private ByteBuffer fds = ByteBuffer.allocateDirect(8 * 64).order(ByteOrder.nativeOrder());
    private long fdsAddress;
    private long[] keys = new long[64];
    private final ByteBuffer drain = ByteBuffer.allocateDirect(64);
    private final long drainAddress;

    PollReadiness(PosixBackend backend) throws IOException {
        this.backend = backend;
        this.c = backend.constants();
        Libc shared = backend.libc();
        this.libc = shared instanceof Libc.Isolating i ? i.isolated() : shared;
        int[] wake = backend.openWakeup();
        this.wakeRead = wake[0];
        this.wakeWrite = wake[1];
        this.oneAddress = libc.address(one);
        one.putLong(0, 1);
        this.fdsAddress = libc.address(fds);
        this.drainAddress = libc.address(drain);
    }

    @Override
    public void arm(int fd, boolean write, EventArea event) {
        armed.put(((long) fd << 1) | (write ? 1 : 0), Boolean.TRUE);
        libc.write(wakeWrite, oneAddress, 8);
    }

    @Override
    public void disarm(int fd, boolean write, EventArea event) {
        // Dropped from the next poll; a poll already running on the number is harmless (poll consumes nothing).
        armed.remove(((long) fd << 1) | (write ? 1 : 0));
    }

    @Override
    public int await(Sink sink, int timeoutMillis) throws IOException {
        int n = 1 + armed.size();
        if (n > keys.length) {
            int cap = Integer.highestOneBit(n) << 1;
            keys = new long[cap];
            fds = ByteBuffer.allocateDirect(8 * cap).order(ByteOrder.nativeOrder());
            fdsAddress = libc.address(fds);
        }
        put(0, wakeRead, c.POLLIN);
        int count = 1;
        for (Long k : armed.keySet()) {
            if (count == keys.length) {
                break; // armed meanwhile: the wake-up brings it into the next round
            }
            keys[count] = k;
            put(count++, (int) (k >> 1), (k & 1) != 0 ? c.POLLOUT : c.POLLIN);
        }
        int r = libc.poll(fdsAddress, count, timeoutMillis);
        if (r < 0) {
            int e = libc.errno();
            if (e == c.EINTR) {
                return 0;
            }
            throw backend.error("poll", e, count + " descriptors");
        }
        int reported = 0;
        if (fds.getShort(6) != 0) {
            libc.read(wakeRead, drainAddress, drain.capacity());
        }
        for (int i = 1; i < count; i++) {
            if (fds.getShort(8 * i + 6) != 0 && armed.remove(keys[i]) != null) {
                sink.ready((int) (keys[i] >> 1), (keys[i] & 1) != 0);
                reported++;
            }
        }
        return reported;
    }

    private void put(int i, int fd, int events) {
        fds.putInt(8 * i, fd);
        fds.putShort(8 * i + 4, (short) events);
        fds.putShort(8 * i + 6, (short) 0);
    }
}
