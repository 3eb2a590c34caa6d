package io.github.jsocketpair.internal.spawn;

import io.github.jsocketpair.Errno;
import io.github.jsocketpair.SocketPairException;
import io.github.jsocketpair.internal.NativeConstants;
import java.io.IOException;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadFactory;

/**
 * The reaper on Linux 5.3+: a process descriptor per child ({@code pidfd_open(2)}: "the file descriptor becomes
 * readable when the process terminates"), all of them and the read end of a wake-up pipe in one {@code poll(2)} in
 * one thread. Only our own children have a descriptor here, so no other process's exit even wakes the thread. A
 * pidfd does not keep its pid from being reused, but the pid is only ever signalled under the child's lock before
 * its reap, so that does not matter.
 */
final class PidfdReaper implements Reaper {
    private final NativeConstants c;
    private final SpawnLibc spawn;
    private final PidfdLibc libc;
    private final ThreadFactory threads;
    private final Object lock = new Object();
    /** pidfd → child; guarded by {@link #lock}. */
    private final Map<Integer, Watched> children = new LinkedHashMap<>();
    /** Guarded by {@link #lock}. */
    private Thread thread;
    /** The wake-up pipe; guarded by {@link #lock} until the thread starts, read-only after. */
    private int wakeRead = -1;
    private int wakeWrite = -1;
    /** A byte is in (or on its way into) the pipe; guarded by {@link #lock}. */
    private boolean wakePending;
    private final ByteBuffer one = ByteBuffer.allocateDirect(8);

    PidfdReaper(NativeConstants c, SpawnLibc spawn, PidfdLibc libc, ThreadFactory threads) {
        this.c = c;
        this.spawn = spawn;
        this.libc = libc;
        this.threads = threads;
    }

    @Override
    public boolean watch(Watched child) throws IOException {
        int fd = libc.pidfd_open(child.pid());
        if (fd < 0) {
            int e = spawn.errno();
            Errno name = c.toErrno(e);
            if (name == Errno.ENOSYS || name == Errno.EPERM) {
                return false; // a kernel before 5.3, or a seccomp filter that refuses the call
            }
            if (name == Errno.ESRCH && child.reap()) {
                return true; // already reaped by someone else (native code's wait(-1)): the child records it lost
            }
            throw new SocketPairException("pidfd_open", name, e, "pid=" + child.pid(),
                    "no process descriptor to wait for the child with");
        }
        synchronized (lock) {
            try {
                if (thread == null) {
                    startLocked();
                }
            } catch (IOException | RuntimeException e) {
                libc.close(fd);
                throw e;
            }
            children.put(fd, child);
            wakeLocked();
        }
        return true;
    }

    /** How many children are watched now (for tests). */
    int watching() {
        synchronized (lock) {
            return children.size();
        }
    }

    private void startLocked() throws IOException {
        ByteBuffer fds = ByteBuffer.allocateDirect(8).order(ByteOrder.nativeOrder());
        try {
            if (libc.pipe_cloexec(spawn.address(fds)) != 0) {
                int e = spawn.errno();
                throw new SocketPairException("pipe2", c.toErrno(e), e, "O_CLOEXEC",
                        "no wake-up pipe for the reaper thread");
            }
            int r = fds.getInt(0);
            int w = fds.getInt(4);
            try {
                thread = Reaper.start(threads, this::run);
            } catch (IOException e) {
                libc.close(r);
                libc.close(w);
                throw e;
            }
            wakeRead = r;
            wakeWrite = w;
        } finally {
            Reference.reachabilityFence(fds);
        }
    }

    /**
     * Makes the poll return so it sees a new child. At most one byte waits in the pipe (the thread clears the flag
     * before it reads), so a writer never blocks on a full pipe. The thread reads {@link #wakeRead} only after
     * taking the lock once, which publishes the numbers set in {@link #startLocked()}.
     */
    private void wakeLocked() {
        if (!wakePending && wakeWrite >= 0) {
            wakePending = true;
            one.put(0, (byte) 1);
            libc.write(wakeWrite, spawn.address(one), 1);
        }
    }

    private void run() {
        ByteBuffer poll = ByteBuffer.allocateDirect(8 * 64).order(ByteOrder.nativeOrder());
        ByteBuffer sink = ByteBuffer.allocateDirect(8);
        short pollin = libc.POLLIN();
        int wake;
        synchronized (lock) {
            wake = wakeRead;
        }
        try {
            for (;;) {
                List<Integer> fds;
                List<Watched> ws;
                synchronized (lock) {
                    fds = new ArrayList<>(children.keySet());
                    ws = new ArrayList<>(children.values());
                }
                int n = fds.size() + 1;
                if (poll.capacity() < 8 * n) {
                    poll = ByteBuffer.allocateDirect(8 * Math.max(n, 2 * poll.capacity() / 8))
                            .order(ByteOrder.nativeOrder());
                }
                // struct pollfd { int fd; short events; short revents; }: 8 bytes on every OS [K13]
                put(poll, 0, wake, pollin);
                for (int i = 1; i < n; i++) {
                    put(poll, i, fds.get(i - 1), pollin);
                }
                long address = spawn.address(poll);
                int r = libc.poll(address, n, -1);
                if (r < 0) {
                    if (spawn.errno() != c.EINTR) {
                        Thread.sleep(10); // ENOMEM and the like: try again rather than spin or give up
                    }
                    continue;
                }
                boolean progress = false;
                if (poll.getShort(6) != 0) {
                    progress = true;
                    synchronized (lock) {
                        wakePending = false;
                    }
                    libc.read(wake, spawn.address(sink), 1);
                }
                for (int i = 1; i < n; i++) {
                    // POLLIN once the child has exited (POLLHUP too on newer kernels): either means reap it. The
                    // pidfd is closed first, so that whoever waitFor() releases finds no descriptor of ours left.
                    if (poll.getShort(8 * i + 6) != 0) {
                        int fd = fds.get(i - 1);
                        Watched w = ws.get(i - 1);
                        synchronized (lock) {
                            children.remove(fd);
                        }
                        libc.close(fd);
                        progress = true;
                        if (!w.reap()) {
                            rewatch(w); // readable yet not reapable: never seen, but never lose a child
                        }
                    }
                }
                if (!progress) {
                    Thread.sleep(1); // poll returned with nothing to do: do not spin
                }
                Reference.reachabilityFence(poll);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // nobody interrupts this thread; if someone does, it stops
        } finally {
            Reference.reachabilityFence(sink);
        }
    }

    private void rewatch(Watched w) throws InterruptedException {
        int fd = libc.pidfd_open(w.pid());
        if (fd >= 0) {
            synchronized (lock) {
                children.put(fd, w);
            }
        } else {
            Thread.sleep(1);
            if (!w.reap()) {
                rewatch(w);
            }
        }
    }

    private static void put(ByteBuffer poll, int i, int fd, short events) {
        poll.putInt(8 * i, fd);
        poll.putShort(8 * i + 4, events);
        poll.putShort(8 * i + 6, (short) 0);
    }
}
