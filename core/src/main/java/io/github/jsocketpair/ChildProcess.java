package io.github.jsocketpair;

import io.github.jsocketpair.internal.Backends;
import io.github.jsocketpair.internal.spawn.PathSearch;
import io.github.jsocketpair.internal.spawn.Reaper;
import io.github.jsocketpair.internal.spawn.Spawner;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
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
 * input and output; a {@link Process} like any other, so it goes wherever one is expected ({@link #onExit()} chains,
 * {@link #toHandle()} and the {@link ProcessHandle} tree, supervisors that take a {@code Process}). {@link
 * ProcessBuilder} cannot do this: it gives a child only pipes or files on 0, 1 and 2 and closes everything above.
 *
 * <pre>{@code
 * try (SocketPair pair = SocketPair.open()) {
 *     Process child = ChildProcess.builder("cat")
 *             .stdin(pair.second()).stdout(pair.second())
 *             .start();
 *     pair.second().close();                 // the child has its own copy now
 *     pair.first().write(ByteBuffer.wrap("hello\n".getBytes()));
 *     pair.first().shutdownOutput();         // cat sees end of input and exits
 *     ...read "hello\n" from pair.first()...
 *     child.onExit().thenAccept(p -> System.out.println("cat exited with " + p.exitValue()));
 * }
 * }</pre>
 *
 * <p>The child is started with {@code posix_spawnp}: each descriptor given to the builder reaches the child at the
 * number asked for, through a {@code dup2} done in the child only, so it loses close-on-exec there and keeps it here.
 * Unless given something else, the child's 0, 1 and 2 are this process's, and {@link #getInputStream()},
 * {@link #getErrorStream()} and {@link #getOutputStream()} are null streams, as for a {@link ProcessBuilder.Redirect}
 * other than a pipe: the child talks through the descriptors it was given. Where the C library can
 * ({@code posix_spawn_file_actions_addclosefrom_np}: glibc 2.34+, FreeBSD 13.1+; {@code POSIX_SPAWN_CLOEXEC_DEFAULT}:
 * macOS) every other descriptor is closed in the child; in any case every descriptor this library creates is
 * close-on-exec, so the other end of the pair never reaches the child.
 *
 * <p>Signals: the child starts with every signal at its default disposition and none blocked, whatever this JVM
 * ignores (a JVM under {@code nohup} ignores {@code SIGHUP}; native code may ignore {@code SIGPIPE}) or this thread
 * blocks, so {@code yes | head -1} ends as in a terminal. {@link Builder#inheritSignals()} keeps them instead.
 *
 * <p>Process groups: {@link Builder#processGroup()} starts the child as the leader of a new process group and
 * {@link Builder#newSession()} as the leader of a new session (and so of a new group); {@link #destroyGroup()} then
 * signals the child and everything it started that stayed in its group, e.g. a shell and its pipeline.
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
 * <p>Reaping: one daemon thread waits for all children (on Linux 5.3+ in {@code poll(2)} over a process descriptor
 * per child, elsewhere in {@code waitid(P_ALL, WNOWAIT)}, which leaves every child waitable) and reaps each of ours
 * exactly once, under the lock that {@link #destroy()} also takes, so no signal is ever sent to a recycled pid and
 * no zombie is left, whether or not anyone calls {@link #waitFor()}. It never reaps a process it did not start: the
 * JDK's own reaper still gets the status of every {@link ProcessBuilder} child, and {@link #toHandle()}'s {@link
 * ProcessHandle#onExit()} waits without reaping. Any number of threads may wait.
 *
 * <p>Instances are safe for use by several threads.
 */
public final class ChildProcess extends Process {
    private final Spawner spawner;
    private final int pid;
    private final List<String> command;
    private final boolean ownGroup;
    private final ProcessHandle handle;
    private final Object lock = new Object();
    /** Completed, in the reaper thread, once the child has been reaped (or found lost). */
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private final Reaper.Watched watched = new Reaper.Watched() {
        @Override
        public int pid() {
            return pid;
        }

        @Override
        public boolean reap() {
            return reapOnce();
        }
    };
    /** The wait status once reaped; guarded by {@link #lock}. */
    private int status;
    /** Reaped (or lost): the pid may belong to someone else now; guarded by {@link #lock}. */
    private boolean reaped;
    /** Why the status is unknown (someone else reaped the child), or {@code null}; guarded by {@link #lock}. */
    private String lost;

    private ChildProcess(Spawner spawner, int pid, List<String> command, boolean ownGroup) {
        this.spawner = spawner;
        this.pid = pid;
        this.command = command;
        this.ownGroup = ownGroup;
        // Taken while the child cannot have been reaped (only our reaper, which does not watch it yet, reaps it):
        // the handle carries the start time, so it never stands for a later process with the same pid.
        this.handle = handleOf(pid);
    }

    private static ProcessHandle handleOf(int pid) {
        try {
            return ProcessHandle.of(pid).orElse(null);
        } catch (RuntimeException e) {
            return null; // never let this stop the reaper from watching: the child would stay a zombie
        }
    }

    /**
     * Starts building a child process.
     *
     * @param command the program and its arguments; the program is looked up on the child's {@code PATH} (see
     *        {@link Builder#environment()}) unless it contains a {@code /}
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
        private boolean processGroup;
        private boolean newSession;
        private boolean inheritSignals;

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
         * Returns the child's environment, a mutable map that starts as a copy of this process's environment. A
         * program name without {@code /} is looked up on this map's {@code PATH} (on {@value PathSearch#DEFAULT_PATH}
         * if it has none), as the child's own shell would, not on this process's {@code PATH}, which is what
         * {@code posix_spawnp} would search.
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
         * Starts the child as the leader of a new process group ({@code POSIX_SPAWN_SETPGROUP} with group 0), so
         * that {@link ChildProcess#destroyGroup()} reaches it and everything it starts that stays in its group, and
         * a terminal's job control treats it as a job of its own (it is no longer in this JVM's foreground group).
         *
         * @return this builder
         */
        public Builder processGroup() {
            processGroup = true;
            return this;
        }

        /**
         * Starts the child as the leader of a new session ({@code POSIX_SPAWN_SETSID}), and so of a new process group:
         * it has no controlling terminal, and the terminal's hang-up and job-control signals never reach it. Where
         * the C library has no {@code POSIX_SPAWN_SETSID} (it is in glibc 2.26+, musl and macOS; not in FreeBSD,
         * NetBSD, OpenBSD or DragonFly), {@link #start()} refuses with {@link UnsupportedOperationException}.
         *
         * @return this builder
         */
        public Builder newSession() {
            newSession = true;
            return this;
        }

        /**
         * Lets the child inherit this process's ignored signals and the starting thread's signal mask, as
         * {@code fork} and {@code exec} would, instead of starting with every signal at its default disposition and
         * none blocked.
         *
         * @return this builder
         */
        public Builder inheritSignals() {
            inheritSignals = true;
            return this;
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
         *         executable, ...; {@link Errno#EBADF}, before anything is started, if a descriptor number or a
         *         temporary one the {@code dup2} plan needs is not below {@code RLIMIT_NOFILE}, which the message
         *         names)
         * @throws UnsupportedOperationException if the platform's backend cannot start child processes, or a
         *         directory or a new session was asked for and the C library cannot give a child one
         * @throws IOException if starting fails otherwise, e.g. the reaper thread cannot be started (the child has
         *         then been killed and reaped)
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
            String program = command.get(0);
            String ours = System.getenv("PATH");
            String searched = ours;
            if (program.indexOf('/') < 0 && environment != null && !Objects.equals(environment.get("PATH"), ours)) {
                searched = environment.get("PATH");
                program = PathSearch.find(program, searched, directory);
                if (searched == null) {
                    searched = PathSearch.DEFAULT_PATH + " (no PATH in the child's environment)";
                }
            }
            Spawner spawner = Backends.spawner();
            boolean group = processGroup || newSession;
            return spawner.start(command, env, directory, fds,
                    new Spawner.Options(program, searched, processGroup, newSession, inheritSignals),
                    pid -> new ChildProcess(spawner, pid, command, group), child -> child.watched);
        }

        private static void checkNoNul(String s, String what) {
            if (s.indexOf('\0') >= 0) {
                throw new IllegalArgumentException(what + " contains a NUL character");
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
        }
        done.complete(null); // outside the lock: whoever waits may look at the child at once
        return true;
    }

    /**
     * Returns the child's process id.
     *
     * @return the pid
     */
    @Override
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
    @Override
    public int waitFor() throws InterruptedException {
        try {
            done.get();
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
        long nanos = timeout.compareTo(Duration.ofDays(365 * 100L)) > 0 ? Long.MAX_VALUE : timeout.toNanos();
        return waitFor(nanos, TimeUnit.NANOSECONDS);
    }

    /**
     * Waits at most {@code timeout} {@code unit}s for the child to exit, as {@link Process#waitFor(long, TimeUnit)}
     * documents.
     *
     * @param timeout how long to wait; zero or negative checks without waiting
     * @param unit the unit of {@code timeout}
     * @return {@code true} if the child has exited (and been reaped), {@code false} if the time ran out
     * @throws NullPointerException if {@code unit} is null
     * @throws InterruptedException if this thread is interrupted while waiting
     */
    @Override
    public boolean waitFor(long timeout, TimeUnit unit) throws InterruptedException {
        Objects.requireNonNull(unit, "unit");
        if (done.isDone()) {
            return true;
        }
        if (timeout <= 0) {
            return false;
        }
        try {
            done.get(timeout, unit);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * Returns a new future completed with this object once the child has exited and been reaped. As for the JDK's
     * processes, it is completed in the default asynchronous executor of {@link CompletableFuture}, never in the
     * reaper thread, so a slow action chained to it cannot delay the reaping of other children.
     *
     * @return the future; completing or cancelling it has no effect on the child
     */
    @Override
    public CompletableFuture<Process> onExit() {
        return done.thenApplyAsync(v -> this);
    }

    /**
     * Tells whether the child has not been reaped yet (a child that has just exited may still count as alive for a
     * moment).
     *
     * @return {@code true} until the child has been reaped
     */
    @Override
    public boolean isAlive() {
        synchronized (lock) {
            return !reaped;
        }
    }

    /**
     * Returns how the child ended: its exit code, or, if a signal killed it, {@code 128 + signal} (as the shell and
     * the JDK's processes report it; {@link #terminatingSignal()} tells the two apart).
     *
     * @return the exit value
     * @throws IllegalThreadStateException if the child has not exited (been reaped) yet
     * @throws IllegalStateException if someone else reaped the child, so its status is unknown
     */
    @Override
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
     * that got the same pid is never signalled. Only the child is signalled, not what it started: see
     * {@link #destroyGroup()}.
     */
    @Override
    public void destroy() {
        signal(spawner.sigterm());
    }

    /**
     * Kills the child ({@code SIGKILL}). Does nothing once the child has been reaped.
     *
     * @return this child
     */
    @Override
    public ChildProcess destroyForcibly() {
        signal(spawner.sigkill());
        return this;
    }

    /**
     * Tells that {@link #destroy()} ends the child normally: it sends {@code SIGTERM}, which the child may handle.
     *
     * @return {@code true}
     */
    @Override
    public boolean supportsNormalTermination() {
        return true;
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
     * Asks the child's process group to terminate: {@code SIGTERM} to every process in it, the child and what it
     * started (unless they moved to another group, as a shell's background jobs under job control do). Also after
     * the child itself has been reaped, while the group still has members: the kernel keeps a group's number from
     * being reused until its last member has gone (POSIX: "process group lifetime"); once it has, the signal finds
     * no group, or in the rare case that the number has been reused since for a new group, that group.
     *
     * @throws IllegalStateException if the child was not started with {@link Builder#processGroup()} or
     *         {@link Builder#newSession()}: its group is this JVM's
     */
    public void destroyGroup() {
        signalGroup(spawner.sigterm());
    }

    /**
     * Kills the child's process group: {@code SIGKILL} to every process in it (see {@link #destroyGroup()}).
     *
     * @return this child
     * @throws IllegalStateException if the child was not started with {@link Builder#processGroup()} or
     *         {@link Builder#newSession()}
     */
    public ChildProcess destroyGroupForcibly() {
        signalGroup(spawner.sigkill());
        return this;
    }

    private void signalGroup(int sig) {
        if (!ownGroup) {
            throw new IllegalStateException("process " + pid + " was started in this JVM's process group: use "
                    + "ChildProcess.Builder.processGroup() or newSession() to give it one of its own");
        }
        synchronized (lock) {
            spawner.kill(-pid, sig); // ESRCH: no member is left, nothing to do
        }
    }

    /**
     * Returns a null output stream, as {@link ProcessBuilder} gives for a redirected standard input: the child's
     * standard input is what the builder gave it (or this process's), not a pipe from here.
     *
     * @return an output stream whose writes fail with {@link IOException}
     */
    @Override
    public OutputStream getOutputStream() {
        return NullOutputStream.INSTANCE;
    }

    /**
     * Returns a null input stream, as {@link ProcessBuilder} gives for a redirected standard output.
     *
     * @return an input stream that is always at end of stream
     */
    @Override
    public InputStream getInputStream() {
        return NullInputStream.INSTANCE;
    }

    /**
     * Returns a null input stream, as {@link ProcessBuilder} gives for a redirected standard error.
     *
     * @return an input stream that is always at end of stream
     */
    @Override
    public InputStream getErrorStream() {
        return NullInputStream.INSTANCE;
    }

    /** Always at end of stream, never closed: the JDK's behaviour for a redirected stream. */
    private static final class NullInputStream extends InputStream {
        static final NullInputStream INSTANCE = new NullInputStream();

        @Override
        public int read() {
            return -1;
        }

        @Override
        public int available() {
            return 0;
        }
    }

    /** Every write fails, as on the JDK's stream for a redirected standard input. */
    private static final class NullOutputStream extends OutputStream {
        static final NullOutputStream INSTANCE = new NullOutputStream();

        @Override
        public void write(int b) throws IOException {
            throw new IOException("Stream closed");
        }
    }

    /**
     * Returns a {@link ProcessHandle} for the child, e.g. for {@link ProcessHandle#info()}, its parent or its
     * descendants. Its {@link ProcessHandle#onExit()} does not reap the child.
     *
     * @return the handle
     * @throws UnsupportedOperationException if the JDK could not find the process when it was started
     */
    @Override
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
