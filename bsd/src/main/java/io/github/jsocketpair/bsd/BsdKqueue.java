package io.github.jsocketpair.bsd;

import io.github.jsocketpair.SocketPairException;
import io.github.jsocketpair.bsd.jna.BsdLibc;
import io.github.jsocketpair.bsd.jna.KeventLayout;
import io.github.jsocketpair.internal.EventArea;
import io.github.jsocketpair.internal.NativeConstants;
import io.github.jsocketpair.internal.Readiness;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The poller's readiness queue on the BSDs and macOS: one kqueue. A kqueue keys its registrations by descriptor
 * <em>and</em> filter (kqueue(2)), so a reader ({@code EVFILT_READ}) and a writer ({@code EVFILT_WRITE}) of one socket
 * each have their own in one queue, with no nesting as epoll needs. Registrations are {@code EV_ADD | EV_ONESHOT}:
 * the kernel deletes a one-shot registration when it reports it, so a reported wait needs no disarm, and a wait that
 * ends otherwise (close, interrupt, timeout) deletes its own with {@code EV_DELETE} (ENOENT, the registration fired
 * meanwhile, is ignored). Closing a descriptor deletes every registration on it (kqueue(2)), and the caller holds a use
 * of the number for the whole wait, so a registration never outlives its number into a reused one.
 *
 * <p>{@code ident} and {@code udata} both carry the descriptor; {@code ident} is read back. An event with
 * {@code EV_EOF} or {@code EV_ERROR} is reported as ready: the waiter's next call sees the end or the error itself.
 */
final class BsdKqueue implements Readiness {
    private static final int MAX_EVENTS = 256;
    /** Zeros for a whole {@code struct kevent} (at most {@link Readiness#SCRATCH_SIZE} bytes). */
    private static final byte[] ZEROS = new byte[Readiness.SCRATCH_SIZE];

    private final BsdLibc libc;
    private final NativeConstants c;
    private final KeventLayout k;
    private final int kq;
    /** Only the poller thread uses these (await). */
    private final ByteBuffer events;
    private final long eventsAddress;
    private final ByteBuffer timeout;
    private final long timeoutAddress;

    BsdKqueue(BsdLibc libc, NativeConstants c, KeventLayout k) throws IOException {
        if (k.size() > Readiness.SCRATCH_SIZE) {
            throw new IllegalArgumentException("struct kevent of " + k.size() + " bytes does not fit the scratch");
        }
        this.libc = libc;
        this.c = c;
        this.k = k;
        this.events = ByteBuffer.allocateDirect(MAX_EVENTS * k.size()).order(ByteOrder.nativeOrder());
        this.eventsAddress = libc.address(events);
        this.timeout = ByteBuffer.allocateDirect(KeventLayout.TIMESPEC_SIZE).order(ByteOrder.nativeOrder());
        this.timeoutAddress = libc.address(timeout);
        int fd = libc.kqueue();
        if (fd < 0) {
            throw error("kqueue", libc.errno(), "");
        }
        // Close-on-exec at once, one way on all five: kqueuex(KQUEUE_CLOEXEC) is FreeBSD 14+ and kqueue1 NetBSD and
        // OpenBSD only. The moment before it matters little: a child made by fork(2) does not inherit a kqueue
        // (kqueue(2)), so only an exec in this very process could keep the number.
        if (libc.fcntl(fd, c.F_SETFD, c.FD_CLOEXEC) == -1) {
            int e = libc.errno();
            libc.close(fd);
            throw error("fcntl", e, "fd=" + fd + ", F_SETFD, FD_CLOEXEC (kqueue)");
        }
        // One call with nothing to change and a zero timeout before any waiter depends on the queue: it binds the
        // flavour's kevent symbol (a libc without it fails here, not in a waiter's arm) and shows that the kernel
        // serves that entry point (NetBSD's __kevent50 on 11 goes through compatibility code).
        timeout.putLong(0, 0).putLong(KeventLayout.TIMESPEC_NSEC, 0);
        int n;
        try {
            n = libc.kevent(fd, 0, 0, eventsAddress, MAX_EVENTS, timeoutAddress);
        } catch (LinkageError e) {
            libc.close(fd);
            throw new IOException(k.symbol() + " is not in this C library", e);
        }
        if (n < 0) {
            int e = libc.errno();
            libc.close(fd);
            throw error(k.symbol(), e, "kq=" + fd + ", no changes, zero timeout (start-up check)");
        }
        this.kq = fd;
    }

    private SocketPairException error(String call, int errno, String detail) {
        return new SocketPairException(call, c.toErrno(errno), errno, detail);
    }

    @Override
    public void arm(int fd, boolean write, EventArea event) throws IOException {
        putChange(event.buffer(), fd, write, k.evAdd() | k.evOneshot());
        BsdLibc l = event.libc(BsdLibc.class); // the lent area's binding: its errno is this call's
        // No event list: an error in the change comes back as -1 and errno (kqueue(2)), not as an EV_ERROR event.
        // EINTR: tried again (EV_ADD of a registration that exists only updates it).
        while (l.kevent(kq, event.address(), 1, 0, 0, 0) < 0) {
            int e = l.errno();
            if (e != c.EINTR) {
                throw error("kevent", e, "fd=" + fd + (write ? ", EVFILT_WRITE" : ", EVFILT_READ")
                        + ", EV_ADD|EV_ONESHOT");
            }
        }
    }

    @Override
    public void disarm(int fd, boolean write, EventArea event) {
        putChange(event.buffer(), fd, write, k.evDelete());
        // ENOENT: reported and deleted meanwhile; nothing else to do either way
        event.libc(BsdLibc.class).kevent(kq, event.address(), 1, 0, 0, 0);
    }

    /** Writes one {@code struct kevent} into {@code event}: every byte, so FreeBSD's {@code ext[4]} is zero. */
    private void putChange(ByteBuffer event, int fd, boolean write, int flags) {
        event.put(0, ZEROS, 0, k.size());
        event.putLong(KeventLayout.IDENT_OFFSET, fd);
        int filter = write ? k.evfiltWrite() : k.evfiltRead();
        if (k.filterSize() == 2) {
            event.putShort(k.filterOffset(), (short) filter);
        } else {
            event.putInt(k.filterOffset(), filter);
        }
        if (k.flagsSize() == 2) {
            event.putShort(k.flagsOffset(), (short) flags);
        } else {
            event.putInt(k.flagsOffset(), flags);
        }
        event.putLong(k.udataOffset(), fd);
    }

    @Override
    public void close() {
        libc.close(kq);
    }

    /** The kqueue: it polls readable while events are pending (kqueue(2)). */
    @Override
    public int descriptor() {
        return kq;
    }

    @Override
    public int await(Sink sink, int timeoutMillis) throws IOException {
        long ts = 0; // NULL: wait for ever
        if (timeoutMillis >= 0) {
            timeout.putLong(0, timeoutMillis / 1000);
            timeout.putLong(KeventLayout.TIMESPEC_NSEC, (timeoutMillis % 1000) * 1_000_000L);
            ts = timeoutAddress;
        }
        int n = libc.kevent(kq, 0, 0, eventsAddress, MAX_EVENTS, ts);
        if (n < 0) {
            int e = libc.errno();
            if (e == c.EINTR) {
                return 0;
            }
            throw error("kevent", e, "wait");
        }
        int reported = 0;
        for (int i = 0; i < n; i++) {
            int at = i * k.size();
            int fd = (int) events.getLong(at + KeventLayout.IDENT_OFFSET);
            int filter = k.filterSize() == 2 ? events.getShort(at + k.filterOffset())
                    : events.getInt(at + k.filterOffset());
            // Only read and write registrations are ever made; EV_EOF and EV_ERROR in flags are ready too.
            if (filter == k.evfiltWrite()) {
                sink.ready(fd, true);
                reported++;
            } else if (filter == k.evfiltRead()) {
                sink.ready(fd, false);
                reported++;
            }
        }
        return reported;
    }
}
