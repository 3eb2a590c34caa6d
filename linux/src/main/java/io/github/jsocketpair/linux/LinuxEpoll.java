package io.github.jsocketpair.linux;

import io.github.jsocketpair.SocketPairException;
import io.github.jsocketpair.internal.EventArea;
import io.github.jsocketpair.internal.NativeConstants;
import io.github.jsocketpair.internal.Readiness;
import io.github.jsocketpair.linux.jna.LinuxConstants;
import io.github.jsocketpair.linux.jna.LinuxLibc;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The poller's readiness queue on Linux: two epoll instances, one for readers and one for writers, with the writers'
 * instance nested in the readers' (an epoll descriptor is itself pollable, epoll(7)), so that one thread waits on
 * both and a reader and a writer of the same socket each have a registration of their own (one epoll instance holds
 * one registration per descriptor). Registrations are {@code EPOLLONESHOT}: once reported, a registration stays in
 * the set disabled and the next wait re-arms it with one {@code EPOLL_CTL_MOD}; a wait that ends otherwise (close,
 * interrupt, timeout) deletes it. A disabled registration reports nothing, so one left on a file another process
 * still holds after our number is closed (epoll(7): registrations are keyed by the open file) is inert, and a new
 * file under the same number gets its own (MOD finds none: ENOENT, then ADD).
 */
final class LinuxEpoll implements Readiness {
    /** epoll_data of the nested writers' instance in the readers' one; no descriptor has this number. */
    private static final long WRITERS = -1L;
    private static final int MAX_EVENTS = 256;

    private final LinuxLibc libc;
    private final NativeConstants c;
    private final int eventSize;
    private final int dataOffset;
    private final int readers;
    private final int writers;
    /** Only the poller thread uses it (await). */
    private final ByteBuffer events;
    private final long eventsAddress;

    LinuxEpoll(LinuxLibc libc, NativeConstants c, LinuxArch arch) throws IOException {
        this.libc = libc;
        this.c = c;
        this.eventSize = LinuxConstants.epollEventSize(arch);
        this.dataOffset = LinuxConstants.epollDataOffset(arch);
        this.events = ByteBuffer.allocateDirect(MAX_EVENTS * eventSize).order(ByteOrder.nativeOrder());
        this.eventsAddress = libc.address(events);
        int r = create();
        int w;
        try {
            w = create();
        } catch (IOException e) {
            libc.close(r);
            throw e;
        }
        this.readers = r;
        this.writers = w;
        events.putInt(0, LinuxConstants.EPOLLIN);
        events.putLong(dataOffset, WRITERS);
        if (libc.epoll_ctl(readers, LinuxConstants.EPOLL_CTL_ADD, writers, eventsAddress) != 0) {
            int e = libc.errno();
            libc.close(r);
            libc.close(w);
            throw error("epoll_ctl", e, "nest the writers' epoll");
        }
    }

    private int create() throws IOException {
        int fd = libc.epoll_create1(c.SOCK_CLOEXEC); // EPOLL_CLOEXEC is O_CLOEXEC, as SOCK_CLOEXEC is
        if (fd < 0) {
            throw error("epoll_create1", libc.errno(), "EPOLL_CLOEXEC");
        }
        return fd;
    }

    private SocketPairException error(String call, int errno, String detail) {
        return new SocketPairException(call, c.toErrno(errno), errno, detail);
    }

    @Override
    public void arm(int fd, boolean write, EventArea event) throws IOException {
        int bits = (write ? LinuxConstants.EPOLLOUT : LinuxConstants.EPOLLIN | LinuxConstants.EPOLLRDHUP)
                | LinuxConstants.EPOLLONESHOT;
        putEvent(event.buffer(), bits, fd);
        int ep = write ? writers : readers;
        LinuxLibc l = event.libc(LinuxLibc.class); // the lent area's binding: its errno is this call's
        // Re-arm the registration a fired one-shot left disabled (one call per wait, as the JDK's EPollPoller
        // does); ENOENT: none yet for this open file under this number, so add one.
        if (l.epoll_ctl(ep, LinuxConstants.EPOLL_CTL_MOD, fd, event.address()) == 0) {
            return;
        }
        int e = l.errno();
        if (c.toErrno(e) != io.github.jsocketpair.Errno.ENOENT
                || l.epoll_ctl(ep, LinuxConstants.EPOLL_CTL_ADD, fd, event.address()) != 0) {
            e = c.toErrno(e) == io.github.jsocketpair.Errno.ENOENT ? l.errno() : e;
            throw error("epoll_ctl", e, "fd=" + fd + (write ? ", EPOLLOUT" : ", EPOLLIN"));
        }
    }

    @Override
    public void disarm(int fd, boolean write, EventArea event) {
        putEvent(event.buffer(), 0, fd); // kernels before 2.6.9 want a non-null event even for EPOLL_CTL_DEL
        event.libc(LinuxLibc.class).epoll_ctl(write ? writers : readers, LinuxConstants.EPOLL_CTL_DEL, fd,
                event.address());
    }

    private void putEvent(ByteBuffer event, int bits, int fd) {
        // struct epoll_event: events, then data (fd as u64) at dataOffset
        event.putInt(0, bits);
        event.putLong(dataOffset, fd);
    }

    @Override
    public void close() {
        libc.close(writers);
        libc.close(readers);
    }

    /** The readers' instance: the writers' is nested in it, so it polls readable when either has an event. */
    @Override
    public int descriptor() {
        return readers;
    }

    @Override
    public int await(Sink sink, int timeoutMillis) throws IOException {
        int n = libc.epoll_wait(readers, eventsAddress, MAX_EVENTS / 2, timeoutMillis); // 2nd half: writers
        if (n < 0) {
            int e = libc.errno();
            if (e == c.EINTR) {
                return 0;
            }
            throw error("epoll_wait", e, "readers");
        }
        int reported = 0;
        for (int i = 0; i < n; i++) {
            long data = events.getLong(i * eventSize + dataOffset);
            if (data == WRITERS) {
                reported += drainWriters(sink);
            } else {
                sink.ready((int) data, false);
                reported++;
            }
        }
        return reported;
    }

    /** The nested writers' instance is readable: take its events without waiting. */
    private int drainWriters(Sink sink) throws IOException {
        int n = libc.epoll_wait(writers, eventsAddress + (long) (MAX_EVENTS / 2) * eventSize, MAX_EVENTS / 2, 0);
        if (n < 0) {
            int e = libc.errno();
            if (e == c.EINTR) {
                return 0;
            }
            throw error("epoll_wait", e, "writers");
        }
        int base = (MAX_EVENTS / 2) * eventSize;
        for (int i = 0; i < n; i++) {
            sink.ready((int) events.getLong(base + i * eventSize + dataOffset), true);
        }
        return n;
    }
}
