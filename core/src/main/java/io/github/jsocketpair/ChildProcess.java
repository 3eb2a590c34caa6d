package io.github.jsocketpair;

import io.github.jsocketpair.internal.Backends;
import io.github.jsocketpair.internal.Spawner;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A child process that was handed descriptors at any number, e.g. one end of a {@link SocketPair} as its standard
 * input and output. {@link ProcessBuilder} cannot do this: it gives a child only pipes or files on 0, 1 and 2 and
 * closes everything above.
 *
 * <pre>{@code
 * try (SocketPair pair = SocketPair.open()) {
 *     ChildProcess child = ChildProcess.builder("cat")
 *             .stdin(pair.second()).stdout(pair.second())
 *             .start();
 *     pair.second().close();                 // the child has its own copy now
 *     pair.first().write(ByteBuffer.wrap("hello\n".getBytes()));
 *     pair.first().shutdownOutput();         // cat sees end of input and exits
 *     ...read "hello\n" from pair.first()...
 *     int status = child.waitFor();
 * }
 * }</pre>
 *
 * <p>The child is started with {@code posix_spawnp}: each descriptor given to the builder reaches the child at the
 * number asked for, through a {@code dup2} done in the child only, so it loses close-on-exec there and keeps it here.
 * Unless given something else, the child's 0, 1 and 2 are this process's. Where the C library can
 * ({@code posix_spawn_file_actions_addclosefrom_np}, glibc 2.34+) every other descriptor is closed in the child; in
 * any case every descriptor this library creates is close-on-exec, so the other end of the pair never reaches the
 * child. The child starts with no signals blocked.
 *
 * <p>A Java child takes a socket given as its standard input with {@link System#inheritedChannel()}:
 *
 * <pre>{@code
 * // the parent:  ChildProcess.builder("java", "-cp", dir, "Echo").stdin(pair.second()).start();
 * public final class Echo {
 *     public static void main(String[] args) throws IOException {
 *         try (SocketChannel ch = (SocketChannel) System.inheritedChannel()) {   // fd 0, a connected AF_UNIX socket
 *             ByteBuffer b = ByteBuffer.allocate(256);
 *             while (ch.read(b) > 0) {
 *                 ch.write(b.flip());
 *                 b.clear();
 *             }
 *         }
 *     }
 * }
 * }</pre>
 *
 * <p>Reaping: a daemon thread per child waits for it to exit (without reaping it: {@code waitid} with
 * {@code WNOWAIT}) and then reaps it exactly once, under the lock that {@link #destroy()} also takes, so no signal is
 * ever sent to a recycled pid and no zombie is left, whether or not anyone calls {@link #waitFor()}. The JDK's own
 * reaper only waits for processes it started, and {@link #toHandle()}'s {@link ProcessHandle#onExit()} waits without
 * reaping, so neither takes the child's status away. Any number of threads may wait.
 *
 * <p>Instances are safe for use by several threads.
 */
public final class ChildProcess {
    private final Spawner spawner;
    private final int pid;
    private final List<String> command;
    private final ProcessHandle handle;
    private final Object lock = new Object();
    private final CompletableFuture<ChildProcess> exit = new CompletableFuture<>();
    /** The wait status once reaped; guarded by {@link #lock}. */
    private int status;
    /** Reaped (or lost): the pid may belong to someone else now; guarded by {@link #lock}. */
    private boolean reaped;
    /** Why the status is unknown (someone else reaped the child), or {@code null}; guarded by {@link #lock}. */
    private String lost;

    private ChildProcess(Spawner spawner, int pid, List<String> command) {
        this.spawner = spawner;
        this.pid = pid;
        this.command = command;
        // Taken while the child cannot have been reaped (only our reaper, started below, reaps it): the handle
        // carries the start time, so it never stands for a later process with the same pid.
        this.handle = handleOf(pid);
    }

    private static ProcessHandle handleOf(int pid) {
        try {
            return ProcessHandle.of(pid).orElse(null);
        } catch (RuntimeException e) {
            return null; // never let this stop the reaper from starting: the child would stay a zombie
        }
    }

    /**
     * Starts building a child process.
     *
     * @param command the program and its arguments; the program is looked up on this process's {@code PATH} unless
     *        it contains a {@code /}
     * @return a builder
     * @throws NullPointerException if {@code command} or an element is null
     * @throws IllegalArgumentException if {@code command} is empty
     */
    public static Builder builder(String... command) {
        return new Builder(command);
    }

    /** Collects what a child is started with; {@link #start()} starts it. Not safe for use by several threads. */
    public static final class Builder {
        private final List<String> command;
        private final SortedMap<Integer, Descriptor> fds = new TreeMap<>();
        private Path directory;
        private Map<String, String> environment;

        private Builder(String... command) {
            Objects.requireNonNull(command, "command");
            if (command.length == 0) {
                throw new IllegalArgumentException("empty command");
            }
            List<String> list = new ArrayList<>(command.length);
            for (String s : command) {
                list.add(Objects.requireNonNull(s, "command element"));
            }
            this.command = List.copyOf(list);
        }

        /**
         * Gives the child {@code descriptor} as its standard input (descriptor 0).
         *
         * @param descriptor the descriptor, e.g. an {@link Endpoint}; it stays open here
         * @return this builder
         * @throws NullPointerException if {@code descriptor} is null
         */
        public Builder stdin(Descriptor descriptor) {
            return inherit(0, descriptor);
        }

        /**
         * Gives the child {@code descriptor} as its standard output (descriptor 1).
         *
         * @param descriptor the descriptor; it stays open here
         * @return this builder
         * @throws NullPointerException if {@code descriptor} is null
         */
        public Builder stdout(Descriptor descriptor) {
            return inherit(1, descriptor);
        }

        /**
         * Gives the child {@code descriptor} as its standard error (descriptor 2).
         *
         * @param descriptor the descriptor; it stays open here
         * @return this builder
         * @throws NullPointerException if {@code descriptor} is null
         */
        public Builder stderr(Descriptor descriptor) {
            return inherit(2, descriptor);
        }

        /**
         * Gives the child {@code descriptor} as its descriptor number {@code childFd}, replacing what an earlier
         * call gave that number. The descriptor stays open here; close it after {@link #start()} if only the child
         * should hold it (a peer sees end of stream only when every copy is closed).
         *
         * @param childFd the number in the child, 0 or more
         * @param descriptor the descriptor
         * @return this builder
         * @throws IllegalArgumentException if {@code childFd} is negative
         * @throws NullPointerException if {@code descriptor} is null
         */
        public Builder inherit(int childFd, Descriptor descriptor) {
            if (childFd < 0) {
                throw new IllegalArgumentException("negative descriptor number: " + childFd);
            }
            fds.put(childFd, Objects.requireNonNull(descriptor, "descriptor"));
            return this;
        }

        /**
         * Sets the child's working directory (default: this process's). A relative program name with a {@code /}
         * is resolved from there.
         *
         * @param directory the directory
         * @return this builder
         * @throws NullPointerException if {@code directory} is null
         */
        public Builder directory(Path directory) {
            this.directory = Objects.requireNonNull(directory, "directory");
            return this;
        }

        /**
         * Returns the child's environment, a mutable map that starts as a copy of this process's environment. The
         * program itself is still looked up on this process's {@code PATH}, as {@code posix_spawnp} does.
         *
         * @return the map to change
         */
        public Map<String, String> environment() {
            if (environment == null) {
                environment = new HashMap<>(System.getenv());
            }
            return environment;
        }

        /**
         * Starts the child. The descriptors are held open during the call; afterwards the child has its own copies.
         *
         * @return the running child
         * @throws ClosedChannelException if a descriptor given to the builder is closed
         * @throws IllegalArgumentException if the command, an environment name or value contains a NUL character,
         *         or a name is empty or contains {@code =}
         * @throws NullPointerException if an environment name or value is null
         * @throws SocketPairException if the child cannot be started: the message names the command, the directory
         *         and the errno ({@link Errno#ENOENT} command or directory not found, {@link Errno#EACCES} not
         *         executable, ...)
         * @throws UnsupportedOperationException if the platform's backend cannot start child processes, or a
         *         directory was set and the C library cannot set a child's directory
         * @throws IOException if starting fails otherwise
         */
        public ChildProcess start() throws IOException {
            for (String s : command) {
                checkNoNul(s, "command");
            }
            List<String> env = new ArrayList<>();
            Map<String, String> source = environment == null ? System.getenv() : environment;
            for (Map.Entry<String, String> e : source.entrySet()) {
                String name = Objects.requireNonNull(e.getKey(), "environment name");
                String value = Objects.requireNonNull(e.getValue(), "environment value");
                if (name.isEmpty() || name.indexOf('=') >= 0) {
                    throw new IllegalArgumentException("invalid environment name: \"" + name + "\"");
                }
                checkNoNul(name, "environment name");
                checkNoNul(value, "environment value");
                env.add(name + "=" + value);
            }
            Spawner spawner = Backends.spawner();
            ChildProcess child = new ChildProcess(spawner, spawner.spawn(command, env, directory, fds), command);
            child.startReaper();
            return child;
        }

        private static void checkNoNul(String s, String what) {
            if (s.indexOf('\0') >= 0) {
                throw new IllegalArgumentException(what + " contains a NUL character");
            }
        }
    }

    private void startReaper() {
        Thread t = new Thread(null, this::reap, "jsocketpair-reaper-" + pid, 256 * 1024);
        t.setDaemon(true);
        t.start();
    }

    /** The reaper thread: wait without reaping, then reap once under the lock. */
    private void reap() {
        int e = spawner.awaitExit(pid);
        try {
            if (e == 0) {
                reapOnce();
            }
            // waitid failed (ECHILD: gone already; anything else: no waitid here): poll.
            long sleep = 1;
            while (!reapOnce()) {
                Thread.sleep(sleep);
                sleep = Math.min(100, sleep * 2);
            }
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt(); // nobody interrupts this thread; if someone does, stop quietly
        } finally {
            synchronized (lock) {
                if (reaped) {
                    exit.complete(this);
                }
            }
        }
    }

    /** Reaps if the child has exited; true once reaped (or lost). */
    private boolean reapOnce() {
        synchronized (lock) {
            if (reaped) {
                return true;
            }
            try {
                int s = spawner.reapNow(pid);
                if (s < 0) {
                    return false;
                }
                status = s;
            } catch (SocketPairException ex) {
                lost = ex.getMessage() + ": the child was reaped by someone else (e.g. native code calling wait), "
                        + "so its exit status is unknown";
            }
            reaped = true;
            return true;
        }
    }

    /**
     * Returns the child's process id.
     *
     * @return the pid
     */
    public long pid() {
        return pid;
    }

    /**
     * Returns the command the child was started with.
     *
     * @return the program and its arguments
     */
    public List<String> command() {
        return Collections.unmodifiableList(command);
    }

    /**
     * Waits until the child has exited and returns {@link #exitValue()}.
     *
     * @return the exit code, or {@code 128 + signal} if a signal killed it
     * @throws InterruptedException if this thread is interrupted while waiting
     * @throws IllegalStateException if someone else reaped the child, so its status is unknown
     */
    public int waitFor() throws InterruptedException {
        try {
            exit.get();
        } catch (ExecutionException e) {
            throw new AssertionError(e); // never completed exceptionally
        }
        return exitValue();
    }

    /**
     * Waits at most {@code timeout} for the child to exit.
     *
     * @param timeout how long to wait; zero or negative checks without waiting
     * @return {@code true} if the child has exited (and been reaped), {@code false} if the time ran out
     * @throws NullPointerException if {@code timeout} is null
     * @throws InterruptedException if this thread is interrupted while waiting
     */
    public boolean waitFor(Duration timeout) throws InterruptedException {
        Objects.requireNonNull(timeout, "timeout");
        if (exit.isDone()) {
            return true;
        }
        if (timeout.isNegative() || timeout.isZero()) {
            return false;
        }
        long nanos = timeout.compareTo(Duration.ofDays(365 * 100L)) > 0 ? Long.MAX_VALUE : timeout.toNanos();
        try {
            exit.get(nanos, TimeUnit.NANOSECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * Returns a future completed (with this object) once the child has exited and been reaped.
     *
     * @return the future
     */
    public CompletableFuture<ChildProcess> onExit() {
        return exit.copy();
    }

    /**
     * Tells whether the child has not been reaped yet (a child that has just exited may still count as alive for a
     * moment).
     *
     * @return {@code true} until the child has been reaped
     */
    public boolean isAlive() {
        synchronized (lock) {
            return !reaped;
        }
    }

    /**
     * Returns how the child ended: its exit code, or, if a signal killed it, {@code 128 + signal} (as the shell and
     * {@link Process#exitValue()} report it; {@link #terminatingSignal()} tells the two apart).
     *
     * @return the exit value
     * @throws IllegalThreadStateException if the child has not exited (been reaped) yet
     * @throws IllegalStateException if someone else reaped the child, so its status is unknown
     */
    public int exitValue() {
        synchronized (lock) {
            int s = statusLocked();
            return Spawner.signaled(s) ? 128 + Spawner.termSignal(s) : Spawner.exitCode(s);
        }
    }

    /**
     * Returns the signal that killed the child, if one did.
     *
     * @return the signal number (e.g. 9 for {@code SIGKILL}), empty if the child exited by itself
     * @throws IllegalThreadStateException if the child has not exited (been reaped) yet
     * @throws IllegalStateException if someone else reaped the child, so its status is unknown
     */
    public OptionalInt terminatingSignal() {
        synchronized (lock) {
            int s = statusLocked();
            return Spawner.signaled(s) ? OptionalInt.of(Spawner.termSignal(s)) : OptionalInt.empty();
        }
    }

    private int statusLocked() {
        if (!reaped) {
            throw new IllegalThreadStateException("process " + pid + " has not exited");
        }
        if (lost != null) {
            throw new IllegalStateException(lost);
        }
        return status;
    }

    /**
     * Asks the child to terminate ({@code SIGTERM}). Does nothing once the child has been reaped, so a later process
     * that got the same pid is never signalled.
     */
    public void destroy() {
        signal(spawner.sigterm());
    }

    /**
     * Kills the child ({@code SIGKILL}). Does nothing once the child has been reaped.
     *
     * @return this child
     */
    public ChildProcess destroyForcibly() {
        signal(spawner.sigkill());
        return this;
    }

    private void signal(int sig) {
        synchronized (lock) {
            if (!reaped) {
                // Not yet reaped: the pid is still ours (a zombie at worst, which ignores signals).
                spawner.kill(pid, sig);
            }
        }
    }

    /**
     * Returns a {@link ProcessHandle} for the child, e.g. for {@link ProcessHandle#info()} or its descendants. Its
     * {@link ProcessHandle#onExit()} does not reap the child.
     *
     * @return the handle
     * @throws UnsupportedOperationException if the JDK could not find the process when it was started
     */
    public ProcessHandle toHandle() {
        if (handle == null) {
            throw new UnsupportedOperationException("no ProcessHandle for pid " + pid);
        }
        return handle;
    }

    /**
     * Describes the child and, once it has ended, how: exit code or signal.
     *
     * @return e.g. {@code ChildProcess[pid=4711, [sleep, 60], killed by signal 9 (SIGKILL)]}
     */
    @Override
    public String toString() {
        String state;
        synchronized (lock) {
            if (!reaped) {
                state = "running";
            } else if (lost != null) {
                state = "exit status unknown";
            } else if (Spawner.signaled(status)) {
                int sig = Spawner.termSignal(status);
                String name = Spawner.signalName(sig);
                state = "killed by signal " + sig + (name == null ? "" : " (" + name + ")")
                        + (Spawner.coreDumped(status) ? ", core dumped" : "");
            } else {
                state = "exited with " + Spawner.exitCode(status);
            }
        }
        return "ChildProcess[pid=" + pid + ", " + command + ", " + state + "]";
    }
}
