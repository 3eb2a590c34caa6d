package io.github.jsocketpair.internal.spawn;

import java.io.IOException;
import java.util.concurrent.ThreadFactory;

/**
 * Waits for every child a {@link Spawner} started, in one thread for all of them, and has each reaped once it has
 * exited. A reaper never reaps a process itself: it calls {@link Watched#reap()}, which reaps exactly that pid
 * ({@code waitpid(pid, WNOHANG)}) under the child's own lock, so a child started by anyone else (the JDK's
 * {@link ProcessBuilder}, native code) is never taken from its owner and a pid is never signalled after its reap.
 */
public interface Reaper {
    /** One child, as the reaper sees it. */
    interface Watched {
        /**
         * Returns the child's pid.
         *
         * @return the pid
         */
        int pid();

        /**
         * Reaps the child if it has exited. Called by the reaper thread only.
         *
         * @return {@code true} once the child is done with (reaped, or found reaped by someone else)
         */
        boolean reap();
    }

    /**
     * Starts watching a child (and the reaper thread, the first time).
     *
     * @param child the child, just started and not reaped
     * @return {@code false} if this kind of reaper cannot watch children on this system at all (the caller picks
     *         another), {@code true} once the child is watched
     * @throws IOException if the thread or a descriptor the reaper needs cannot be had; the child is not watched
     */
    boolean watch(Watched child) throws IOException;

    /** The thread factory reapers use unless a test gives another: one small daemon platform thread. */
    ThreadFactory THREADS = r -> {
        Thread t = new Thread(null, r, "jsocketpair-reaper", 256 * 1024);
        t.setDaemon(true);
        t.setContextClassLoader(null); // it runs only our code: keep no class loader of the first caller alive
        return t;
    };

    /**
     * Creates and starts the reaper thread.
     *
     * @param threads where threads come from
     * @param body what the thread runs
     * @return the started thread
     * @throws IOException if no thread can be had (e.g. "unable to create native thread")
     */
    static Thread start(ThreadFactory threads, Runnable body) throws IOException {
        try {
            Thread t = threads.newThread(body);
            if (t == null) {
                throw new IOException("cannot start the jsocketpair-reaper thread: the thread factory gave none");
            }
            t.start();
            return t;
        } catch (OutOfMemoryError | RuntimeException e) {
            // OutOfMemoryError is what Thread.start throws when the OS refuses a thread: a child we cannot watch
            // must not be left behind, and the caller says so.
            throw new IOException("cannot start the jsocketpair-reaper thread: " + e, e);
        }
    }
}
