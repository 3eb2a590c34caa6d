package io.github.jsocketpair.internal.spawn;

import io.github.jsocketpair.internal.NativeConstants;
import java.io.IOException;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadFactory;

/**
 * The reaper for systems without process descriptors (the BSDs, macOS, Linux before 5.3): one thread blocked in
 * {@code waitid(P_ALL, 0, &info, WEXITED | WNOWAIT)}, which returns when any child of this process has exited and
 * leaves it waitable (waitid(2), POSIX.1-2008). The thread then offers each of its own children a reap
 * ({@code waitpid(pid, WNOHANG)} under that child's lock); it never reaps any other pid and needs no
 * {@code SIGCHLD} handler, which the JVM's own signal handling owns.
 *
 * <p>When the exited child was someone else's (a {@link ProcessBuilder} child the JDK's reaper has not reaped yet,
 * or one native code never reaps), a blocking {@code waitid} would return at once for ever, so until
 * {@code waitid(..., WNOHANG | WNOWAIT)} finds no exited child the thread polls its own children instead, backing off
 * from 1 ms to 100 ms. Where the C library has no {@code waitid} (OpenBSD before 7.3: {@code ENOSYS}) it always
 * polls that way.
 */
final class WaitidReaper implements Reaper {
    private static final long MAX_DELAY_MS = 100;

    private final NativeConstants c;
    private final SpawnLibc libc;
    private final SpawnConstants k;
    private final ThreadFactory threads;
    private final Object lock = new Object();
    /** Guarded by {@link #lock}. */
    private final List<Watched> children = new ArrayList<>();
    /** Guarded by {@link #lock}. */
    private Thread thread;

    WaitidReaper(NativeConstants c, SpawnLibc libc, ThreadFactory threads) {
        this.c = c;
        this.libc = libc;
        this.k = libc.constants();
        this.threads = threads;
    }

    @Override
    public boolean watch(Watched child) throws IOException {
        synchronized (lock) {
            if (thread == null) {
                thread = Reaper.start(threads, this::run);
            }
            children.add(child);
            lock.notifyAll();
        }
        return true;
    }

    /** How many children are watched now (for tests). */
    int watching() {
        synchronized (lock) {
            return children.size();
        }
    }

    private void run() {
        ByteBuffer info = ByteBuffer.allocateDirect(k.siginfoSize());
        long address = libc.address(info);
        boolean hasWaitid = true;
        boolean foreignPending = false;
        long delay = 1;
        try {
            for (;;) {
                List<Watched> now;
                synchronized (lock) {
                    while (children.isEmpty()) {
                        lock.wait();
                    }
                    now = new ArrayList<>(children);
                }
                if (sweep(now)) {
                    foreignPending = false; // ours it was; more may have exited: sweep again before blocking
                    delay = 1;
                    continue;
                }
                if (hasWaitid && !foreignPending) {
                    // Blocks until any child has exited; new children need no wake-up, they are children too.
                    if (libc.waitid(k.P_ALL(), 0, address, k.WEXITED() | k.WNOWAIT()) == 0) {
                        foreignPending = true; // until a sweep finds it was ours
                        continue;
                    }
                    int e = libc.errno();
                    if (e == c.EINTR) {
                        continue;
                    }
                    if (e == c.nativeErrno(io.github.jsocketpair.Errno.ENOSYS)) {
                        hasWaitid = false;
                        continue;
                    }
                    // ECHILD: no children at all, so ours were reaped by someone else and the next sweep says so;
                    // anything else: poll below rather than spin.
                } else if (hasWaitid && !exitedChildWaiting(address, info)) {
                    foreignPending = false; // its owner reaped it: block again
                    delay = 1;
                    continue;
                }
                Thread.sleep(delay);
                delay = Math.min(MAX_DELAY_MS, delay * 2);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // nobody interrupts this thread; if someone does, it stops
        } finally {
            Reference.reachabilityFence(info);
        }
    }

    /** Offers each child a reap; true if one was reaped (or found lost). */
    private boolean sweep(List<Watched> now) {
        boolean any = false;
        for (Watched w : now) {
            if (w.reap()) {
                any = true;
                synchronized (lock) {
                    children.remove(w);
                }
            }
        }
        return any;
    }

    /**
     * Whether some child, anyone's, has exited and waits to be reaped: {@code waitid(P_ALL, WNOHANG | WNOWAIT)}
     * reports none by returning 0 without filling the {@code siginfo_t} (waitid(2): "zero out the si_pid field
     * before the call"), and {@code si_signo}, the first field everywhere, is {@code SIGCHLD} when it reports one.
     */
    private boolean exitedChildWaiting(long address, ByteBuffer info) {
        for (int i = 0; i < info.capacity(); i++) {
            info.put(i, (byte) 0);
        }
        int r = libc.waitid(k.P_ALL(), 0, address, k.WEXITED() | k.WNOWAIT() | k.WNOHANG());
        return r == 0 && info.getInt(0) != 0;
    }
}
