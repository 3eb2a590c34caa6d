package io.github.jsocketpair.internal.spawn;

import io.github.jsocketpair.Descriptor;
import io.github.jsocketpair.Errno;
import io.github.jsocketpair.SocketPairException;
import io.github.jsocketpair.internal.NativeConstants;
import io.github.jsocketpair.internal.Owned;
import java.io.IOException;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ThreadFactory;
import java.util.function.Function;
import java.util.function.IntFunction;

/**
 * Starts, reaps and signals child processes with {@code posix_spawnp}, the same way on every OS: descriptors reach
 * the child through {@code dup2} file actions (so only the child's copies lose close-on-exec), the child starts with
 * default signal dispositions and an empty signal mask unless asked otherwise, one {@link Reaper} thread waits for
 * every child, and errors become {@link SocketPairException}s that name the command, the directory and the errno.
 * The OS-specific parts are the binding and its numbers ({@link SpawnLibc}).
 */
public final class Spawner {
    /**
     * System property that picks the reaper: {@code waitid} forces the one-thread {@code waitid(P_ALL, WNOWAIT)}
     * reaper even where process descriptors exist (for diagnosis and tests); anything else, or nothing, takes
     * {@code pidfd} where the kernel has it.
     */
    public static final String REAPER_PROPERTY = "jsocketpair.reaper";

    private final NativeConstants c;
    private final SpawnLibc libc;
    private final SpawnConstants k;
    private final ThreadFactory threads;
    /** Guarded by {@code this}. */
    private Reaper reaper;

    /**
     * Creates a spawner over a binding.
     *
     * @param c the platform's constants, for errno names
     * @param libc the binding
     */
    public Spawner(NativeConstants c, SpawnLibc libc) {
        this(c, libc, Reaper.THREADS);
    }

    /** The test seam: where the reaper thread comes from. */
    Spawner(NativeConstants c, SpawnLibc libc, ThreadFactory threads) {
        this.c = c;
        this.libc = libc;
        this.k = libc.constants();
        this.threads = threads;
    }

    /**
     * Returns the {@code SIGTERM} number.
     *
     * @return the number
     */
    public int sigterm() {
        return k.SIGTERM();
    }

    /**
     * Returns the {@code SIGKILL} number.
     *
     * @return the number
     */
    public int sigkill() {
        return k.SIGKILL();
    }

    /**
     * Tells whether the C library can start a child in a new session ({@code POSIX_SPAWN_SETSID}).
     *
     * @return {@code true} on glibc 2.26+, musl and macOS
     */
    public boolean hasNewSession() {
        return k.POSIX_SPAWN_SETSID() != 0;
    }

    /**
     * How a child starts, beyond its command, environment, directory and descriptors.
     *
     * @param file what {@code posix_spawnp} executes: {@code argv[0]}, or the path found on the child's
     *        {@code PATH}
     * @param searchPath the {@code PATH} a name without {@code /} is looked up on, for error messages
     * @param processGroup a new process group led by the child ({@code POSIX_SPAWN_SETPGROUP} with 0)
     * @param newSession a new session led by the child ({@code POSIX_SPAWN_SETSID}), which is a new group too
     * @param inheritSignals keep this thread's signal mask and the ignored signals of this process
     */
    public record Options(String file, String searchPath, boolean processGroup, boolean newSession,
            boolean inheritSignals) {
    }

    // ---- file actions -------------------------------------------------------------------------------------------

    /** One file action, in the order posix_spawn performs them in the child. */
    record Action(Kind kind, int fd, int newFd) {
        enum Kind { DUP2, CLOSE, CLOSEFROM, INHERIT }
    }

    /**
     * Plans the file actions that give the child {@code childToParent} (child number → our number).
     *
     * <p>Every descriptor goes through a temporary number: first {@code dup2(ours, temp)}, then
     * {@code dup2(temp, childNumber)}, then the temporaries are closed. Going straight to
     * {@code dup2(ours, childNumber)} fails in two cases: when a descriptor must land on its own number,
     * {@code dup2(fd, fd)} does nothing and leaves {@code FD_CLOEXEC} set, so exec would close it (only newer C
     * libraries special-case {@code adddup2(fd, fd)}, after Austin Group issue 411); and when the mapping permutes
     * numbers (our 3 to the child's 4 and our 4 to its 3), an earlier {@code dup2} would overwrite a descriptor a
     * later one still needs. With distinct temporaries the second {@code dup2} always has two different numbers and
     * always clears close-on-exec on the child's copy, in any order. All of this happens in the child only; our
     * descriptors keep their flags.
     *
     * <p>The temporaries are the lowest numbers from 3 up that are neither a source nor a target: glibc refuses a
     * file action on a number at or above {@code RLIMIT_NOFILE} with {@code EBADF}
     * ({@code posix/spawn_faction_adddup2.c}), so numbers above the highest one involved would fail near the limit.
     * Overwriting the child's copy of some other descriptor there is harmless: it is the child's copy, and it is
     * closed afterwards.
     *
     * <p>With {@code closeRest} the child gets nothing it was not given: unmapped numbers between 3 and the highest
     * mapped one are closed, and everything above it with {@code closefrom} (which also takes the temporaries).
     * With {@code cloexecDefault} (macOS {@code POSIX_SPAWN_CLOEXEC_DEFAULT}) the kernel closes everything no
     * action names, so unmapped 0, 1 and 2 are named with an inherit action. Otherwise 0, 1 and 2 that are not
     * mapped stay what they are here.
     */
    static List<Action> plan(SortedMap<Integer, Integer> childToParent, boolean closeRest, boolean cloexecDefault) {
        List<Action> out = new ArrayList<>();
        Set<Integer> busy = new HashSet<>(childToParent.keySet());
        busy.addAll(childToParent.values());
        int highest = 2;
        for (int child : childToParent.keySet()) {
            highest = Math.max(highest, child);
        }
        List<Integer> temps = new ArrayList<>();
        for (int n = 3; temps.size() < childToParent.size(); n++) {
            if (!busy.contains(n)) {
                temps.add(n);
            }
        }
        int i = 0;
        for (int parent : childToParent.values()) {
            out.add(new Action(Action.Kind.DUP2, parent, temps.get(i++)));
        }
        i = 0;
        for (int child : childToParent.keySet()) {
            out.add(new Action(Action.Kind.DUP2, temps.get(i++), child));
        }
        if (cloexecDefault) {
            for (int fd = 0; fd <= 2; fd++) {
                if (!childToParent.containsKey(fd)) {
                    out.add(new Action(Action.Kind.INHERIT, fd, -1));
                }
            }
            for (int t : temps) {
                out.add(new Action(Action.Kind.CLOSE, t, -1));
            }
        } else if (closeRest) {
            for (int fd = 3; fd < highest; fd++) {
                if (!childToParent.containsKey(fd)) {
                    out.add(new Action(Action.Kind.CLOSE, fd, -1));
                }
            }
            out.add(new Action(Action.Kind.CLOSEFROM, highest + 1, -1));
        } else {
            for (int t : temps) {
                out.add(new Action(Action.Kind.CLOSE, t, -1));
            }
        }
        return out;
    }

    /**
     * Checks that every number the plan names is below {@code limit} (the soft {@code RLIMIT_NOFILE}), which the C
     * library checks too, with a bare {@code EBADF}; a {@code closefrom} at the limit is dropped (nothing above it
     * can be open).
     */
    List<Action> fit(List<Action> plan, int limit, SortedMap<Integer, Integer> childToParent, String detail)
            throws SocketPairException {
        List<Action> out = new ArrayList<>(plan.size());
        for (Action a : plan) {
            if (a.kind() == Action.Kind.CLOSEFROM) {
                if (a.fd() < limit) {
                    out.add(a);
                }
                continue;
            }
            for (int n : a.kind() == Action.Kind.DUP2 ? new int[] {a.fd(), a.newFd()} : new int[] {a.fd()}) {
                if (n >= limit) {
                    String what = childToParent.containsKey(n) ? "the child's descriptor " + n
                            : childToParent.containsValue(n) ? "this process's descriptor " + n
                                    + " (opened before the limit was lowered)"
                                    : "the temporary descriptor " + n + " the dup2 plan needs";
                    throw new SocketPairException("posix_spawn_file_actions_adddup2", Errno.EBADF,
                            c.nativeErrno(Errno.EBADF), detail, what + " is not below the open-files limit "
                                    + "(RLIMIT_NOFILE, soft) of " + limit + "; raise the limit (ulimit -n) or give the "
                                    + "child lower numbers");
                }
            }
            out.add(a);
        }
        return out;
    }

    // ---- spawn --------------------------------------------------------------------------------------------------

    /**
     * Starts a child and has the reaper watch it. If the child cannot be watched (no reaper thread, no process
     * descriptor), it is killed and reaped before the error is thrown, so nothing is left behind.
     *
     * @param <T> what the caller makes of the pid
     * @param argv the command and its arguments
     * @param env the child's environment as {@code NAME=value} strings
     * @param directory the child's working directory, or {@code null} for ours
     * @param fds child descriptor number → descriptor to give it there
     * @param options how the child starts
     * @param make turns the pid into the caller's object, before the reaper sees it
     * @param watched the reaper's view of that object
     * @return the caller's object
     * @throws java.nio.channels.ClosedChannelException if a descriptor is closed
     * @throws UnsupportedOperationException if a directory or a new session is asked for and the C library cannot
     * @throws SocketPairException if the C library fails or the command cannot be started
     * @throws IOException if the child cannot be watched (it was killed and reaped)
     */
    public <T> T start(List<String> argv, List<String> env, Path directory, SortedMap<Integer, Descriptor> fds,
            Options options, IntFunction<T> make, Function<? super T, Reaper.Watched> watched) throws IOException {
        int pid = spawn(argv, env, directory, fds, options);
        try {
            T child = make.apply(pid);
            watch(watched.apply(child));
            return child;
        } catch (IOException | RuntimeException | Error e) {
            killAndReap(pid);
            throw e;
        }
    }

    private void watch(Reaper.Watched child) throws IOException {
        Reaper r;
        synchronized (this) {
            if (reaper == null) {
                reaper = libc instanceof PidfdLibc p && !"waitid".equals(System.getProperty(REAPER_PROPERTY))
                        ? new PidfdReaper(c, libc, p, threads)
                        : new WaitidReaper(c, libc, threads);
            }
            r = reaper;
        }
        if (!r.watch(child)) {
            synchronized (this) {
                if (reaper == r) {
                    reaper = new WaitidReaper(c, libc, threads); // no pidfd on this kernel: for every later child too
                }
                r = reaper;
            }
            r.watch(child);
        }
    }

    /** SIGKILL and a blocking reap, for a child nobody can watch. */
    private void killAndReap(int pid) {
        libc.kill(pid, k.SIGKILL());
        ByteBuffer status = ByteBuffer.allocateDirect(8);
        long address = libc.address(status);
        try {
            while (libc.waitpid(pid, address, 0) < 0 && libc.errno() == c.EINTR) {
                // retry: the child dies of SIGKILL at once
            }
        } finally {
            Reference.reachabilityFence(status);
        }
    }

    /**
     * Starts a child.
     *
     * @param argv the command and its arguments
     * @param env the child's environment as {@code NAME=value} strings
     * @param directory the child's working directory, or {@code null} for ours
     * @param fds child descriptor number → descriptor to give it there
     * @param options how the child starts
     * @return the child's pid
     * @throws java.nio.channels.ClosedChannelException if a descriptor is closed
     * @throws UnsupportedOperationException if a directory or a new session is asked for and the C library cannot
     * @throws SocketPairException if the C library fails or the command cannot be started
     */
    public int spawn(List<String> argv, List<String> env, Path directory, SortedMap<Integer, Descriptor> fds,
            Options options) throws IOException {
        if (directory != null && !libc.hasAddchdir()) {
            throw new UnsupportedOperationException("a working directory for the child needs "
                    + "posix_spawn_file_actions_addchdir_np (glibc 2.29+, musl 1.1.24+, FreeBSD 13.1+, macOS 10.15+) "
                    + "or POSIX.1-2024's posix_spawn_file_actions_addchdir, which this C library lacks; changing our "
                    + "own directory instead would affect every thread");
        }
        if (options.newSession() && !hasNewSession()) {
            throw new UnsupportedOperationException("a new session for the child needs POSIX_SPAWN_SETSID (glibc "
                    + "2.26+, musl, macOS; POSIX.1-2024), which this C library's <spawn.h> lacks; processGroup() "
                    + "gives the child a group of its own");
        }
        SortedMap<Integer, Integer> numbers = new TreeMap<>();
        List<Descriptor> held = new ArrayList<>();
        try {
            for (Map.Entry<Integer, Descriptor> e : fds.entrySet()) {
                numbers.put(e.getKey(), Owned.hold(e.getValue()));
                held.add(e.getValue());
            }
            return spawnHeld(argv, env, directory, numbers, options);
        } finally {
            for (Descriptor d : held) {
                Owned.unhold(d);
            }
        }
    }

    private int spawnHeld(List<String> argv, List<String> env, Path directory, SortedMap<Integer, Integer> numbers,
            Options options) throws SocketPairException {
        String detail = describe(argv, directory);
        boolean cloexecDefault = k.POSIX_SPAWN_CLOEXEC_DEFAULT() != 0;
        List<Action> plan = fit(plan(numbers, libc.hasAddclosefrom(), cloexecDefault), libc.getdtablesize(), numbers,
                detail);
        int actionsAt = 0;
        int attrAt = NativeConstants.align(actionsAt + k.fileActionsSize(), 16);
        int maskAt = NativeConstants.align(attrAt + k.attrSize(), 16);
        int defaultAt = NativeConstants.align(maskAt + k.sigsetSize(), 16);
        int pidAt = NativeConstants.align(defaultAt + k.sigsetSize(), 16);
        ByteBuffer mem = ByteBuffer.allocateDirect(pidAt + 16).order(ByteOrder.nativeOrder());
        long base = libc.address(mem);
        long actions = base + actionsAt;
        long attr = base + attrAt;
        try {
            check("posix_spawn_file_actions_init", libc.posix_spawn_file_actions_init(actions), detail);
            try {
                for (Action a : plan) {
                    switch (a.kind()) {
                        case DUP2 -> check("posix_spawn_file_actions_adddup2",
                                libc.posix_spawn_file_actions_adddup2(actions, a.fd(), a.newFd()),
                                a.fd() + " -> " + a.newFd());
                        case CLOSE -> check("posix_spawn_file_actions_addclose",
                                libc.posix_spawn_file_actions_addclose(actions, a.fd()), "fd=" + a.fd());
                        case CLOSEFROM -> check("posix_spawn_file_actions_addclosefrom_np",
                                libc.posix_spawn_file_actions_addclosefrom_np(actions, a.fd()), "from=" + a.fd());
                        case INHERIT -> check("posix_spawn_file_actions_addinherit_np",
                                libc.posix_spawn_file_actions_addinherit_np(actions, a.fd()), "fd=" + a.fd());
                        default -> throw new AssertionError(a);
                    }
                }
                if (directory != null) {
                    check("posix_spawn_file_actions_addchdir_np",
                            libc.posix_spawn_file_actions_addchdir_np(actions, directory.toString()), detail);
                }
                check("posix_spawnattr_init", libc.posix_spawnattr_init(attr), detail);
                try {
                    int flags = attributes(attr, base + maskAt, base + defaultAt, options, detail);
                    if (cloexecDefault) {
                        flags |= k.POSIX_SPAWN_CLOEXEC_DEFAULT();
                    }
                    check("posix_spawnattr_setflags", libc.posix_spawnattr_setflags(attr, (short) flags), detail);
                    int r = libc.posix_spawnp(base + pidAt, options.file(), actions, attr, terminated(argv),
                            terminated(env));
                    if (r != 0) {
                        // posix_spawnp returns the error (exec's errno reported back from the child); errno is
                        // not set.
                        throw error("posix_spawnp", r, detail, explain(r, options, directory));
                    }
                    return mem.getInt(pidAt);
                } finally {
                    libc.posix_spawnattr_destroy(attr);
                }
            } finally {
                libc.posix_spawn_file_actions_destroy(actions);
            }
        } finally {
            Reference.reachabilityFence(mem);
        }
    }

    /** Sets the signal and group attributes; returns the flags they need. */
    private int attributes(long attr, long mask, long defaults, Options options, String detail)
            throws SocketPairException {
        int flags = 0;
        if (!options.inheritSignals()) {
            // A JVM thread blocks some signals (HotSpot blocks SIGQUIT in every thread but one) and a child inherits
            // the mask through exec; a JVM under nohup, or native code, may ignore SIGHUP, SIGINT or SIGPIPE, and
            // exec keeps ignored signals ignored (execve(2)). Start as a shell would: nothing blocked, every
            // disposition the default. SIGKILL and SIGSTOP have no disposition to set, and FreeBSD's posix_spawn
            // fails on sigaction's EINVAL for them (lib/libc/gen/posix_spawn.c), so they are left out of the set.
            sig("sigemptyset", libc.sigemptyset(mask), detail);
            check("posix_spawnattr_setsigmask", libc.posix_spawnattr_setsigmask(attr, mask), detail);
            sig("sigfillset", libc.sigfillset(defaults), detail);
            sig("sigdelset", libc.sigdelset(defaults, k.SIGKILL()), detail);
            sig("sigdelset", libc.sigdelset(defaults, k.SIGSTOP()), detail);
            check("posix_spawnattr_setsigdefault", libc.posix_spawnattr_setsigdefault(attr, defaults), detail);
            flags |= k.POSIX_SPAWN_SETSIGMASK() | k.POSIX_SPAWN_SETSIGDEF();
        }
        if (options.newSession()) {
            // setsid makes the child a group leader as well; setpgid after it would fail with EPERM (glibc runs
            // both when both flags are set, setsid first: posix/spawni.c)
            flags |= k.POSIX_SPAWN_SETSID();
        } else if (options.processGroup()) {
            check("posix_spawnattr_setpgroup", libc.posix_spawnattr_setpgroup(attr, 0), detail);
            flags |= k.POSIX_SPAWN_SETPGROUP();
        }
        return flags;
    }

    private void sig(String call, int result, String detail) throws SocketPairException {
        if (result != 0) {
            throw error(call, libc.errno(), detail, null);
        }
    }

    /** The array with a null element at the end: the {@code argv}/{@code envp} terminator execve needs. */
    private static String[] terminated(List<String> strings) {
        String[] a = strings.toArray(new String[strings.size() + 1]);
        a[strings.size()] = null;
        return a;
    }

    private static String describe(List<String> argv, Path directory) {
        return argv + (directory == null ? "" : ", directory " + directory);
    }

    private String explain(int errno, Options options, Path directory) {
        Errno e = c.toErrno(errno);
        if (directory != null && (e == Errno.ENOENT || e == Errno.ENOTDIR || e == Errno.EACCES)
                && !Files.isDirectory(directory)) {
            return "the working directory " + directory + " does not exist or is not a directory";
        }
        String command = options.file();
        boolean searched = command.indexOf('/') < 0 || options.searchPath() != null;
        String where = searched ? " (searched PATH=" + options.searchPath() + ")" : "";
        return switch (e) {
            case ENOENT -> "command " + command + " not found" + where;
            case EACCES -> "command " + command + " is not executable, or a directory on its path is not searchable"
                    + where;
            case ENOEXEC -> "command " + command + " is not in a format this system can execute";
            case ENOTDIR -> "a component of the path of " + command + " is not a directory";
            default -> null;
        };
    }

    private void check(String call, int result, String detail) throws SocketPairException {
        if (result != 0) {
            throw error(call, result, detail, null);
        }
    }

    private SocketPairException error(String call, int errno, String detail, String reason) {
        return new SocketPairException(call, c.toErrno(errno), errno, detail, reason);
    }

    // ---- reap and signal ----------------------------------------------------------------------------------------

    /**
     * Reaps the child if it has exited ({@code waitpid(pid, WNOHANG)}, {@code EINTR} retried).
     *
     * @param pid the child
     * @return the wait status, or {@code -1} if it is still running
     * @throws SocketPairException if {@code waitpid} fails ({@link Errno#ECHILD}: someone else reaped it)
     */
    public int reapNow(int pid) throws SocketPairException {
        ByteBuffer status = ByteBuffer.allocateDirect(8).order(ByteOrder.nativeOrder());
        long address = libc.address(status);
        try {
            for (;;) {
                int r = libc.waitpid(pid, address, k.WNOHANG());
                if (r == pid) {
                    return status.getInt(0);
                }
                if (r == 0) {
                    return -1;
                }
                int e = libc.errno();
                if (e != c.EINTR) {
                    throw error("waitpid", e, "pid=" + pid + ", WNOHANG", null);
                }
            }
        } finally {
            Reference.reachabilityFence(status);
        }
    }

    /**
     * Sends a signal ({@code kill(2)}); a negative pid signals that process group.
     *
     * @param pid the process, or minus the group
     * @param signal the signal number
     * @return 0, or the errno
     */
    public int kill(int pid, int signal) {
        return libc.kill(pid, signal) == 0 ? 0 : libc.errno();
    }

    // ---- wait status --------------------------------------------------------------------------------------------
    // The traditional encoding every supported C library uses (glibc <bits/waitstatus.h>, musl <sys/wait.h>, the
    // BSDs' <sys/wait.h>): low 7 bits 0 = exited with the code in bits 8-15; 0x7f = stopped; otherwise the signal.

    /** {@code WIFEXITED}. */
    public static boolean exited(int status) {
        return (status & 0x7f) == 0;
    }

    /** {@code WEXITSTATUS}. */
    public static int exitCode(int status) {
        return (status >> 8) & 0xff;
    }

    /** {@code WIFSIGNALED}. */
    public static boolean signaled(int status) {
        int low = status & 0x7f;
        return low != 0 && low != 0x7f;
    }

    /** {@code WTERMSIG}. */
    public static int termSignal(int status) {
        return status & 0x7f;
    }

    /** {@code WCOREDUMP}. */
    public static boolean coreDumped(int status) {
        return (status & 0x80) != 0;
    }

    /**
     * Names the signals whose numbers are the same on Linux (every architecture) and the BSDs; {@code null} for
     * others.
     */
    public static String signalName(int signal) {
        return switch (signal) {
            case 1 -> "SIGHUP";
            case 2 -> "SIGINT";
            case 3 -> "SIGQUIT";
            case 4 -> "SIGILL";
            case 5 -> "SIGTRAP";
            case 6 -> "SIGABRT";
            case 8 -> "SIGFPE";
            case 9 -> "SIGKILL";
            case 11 -> "SIGSEGV";
            case 13 -> "SIGPIPE";
            case 14 -> "SIGALRM";
            case 15 -> "SIGTERM";
            default -> null;
        };
    }
}
