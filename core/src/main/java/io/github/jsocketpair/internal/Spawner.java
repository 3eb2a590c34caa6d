package io.github.jsocketpair.internal;

import io.github.jsocketpair.Descriptor;
import io.github.jsocketpair.Errno;
import io.github.jsocketpair.SocketPairException;
import java.io.IOException;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Starts, waits for and signals child processes with {@code posix_spawnp}, the same way on every OS: descriptors
 * reach the child through {@code dup2} file actions (so only the child's copies lose close-on-exec), the child
 * starts with an empty signal mask, and errors become {@link SocketPairException}s that name the command, the
 * directory and the errno. The OS-specific parts are the binding and its numbers ({@link SpawnLibc}).
 */
public final class Spawner {
    private final NativeConstants c;
    private final SpawnLibc libc;
    private final SpawnConstants k;

    /**
     * Creates a spawner over a binding.
     *
     * @param c the platform's constants, for errno names
     * @param libc the binding
     */
    public Spawner(NativeConstants c, SpawnLibc libc) {
        this.c = c;
        this.libc = libc;
        this.k = libc.constants();
    }

    /** The SIGTERM number. */
    public int sigterm() {
        return k.SIGTERM();
    }

    /** The SIGKILL number. */
    public int sigkill() {
        return k.SIGKILL();
    }

    // ---- file actions -------------------------------------------------------------------------------------------

    /** One file action, in the order posix_spawn performs them in the child. */
    record Action(Kind kind, int fd, int newFd) {
        enum Kind { DUP2, CLOSE, CLOSEFROM }
    }

    /**
     * Plans the file actions that give the child {@code childToParent} (child number → our number).
     *
     * <p>Every descriptor goes through a temporary number above all the numbers involved: first
     * {@code dup2(ours, temp)}, then {@code dup2(temp, childNumber)}, then the temporaries are closed. Going straight
     * to {@code dup2(ours, childNumber)} fails in two cases: when a descriptor must land on its own number,
     * {@code dup2(fd, fd)} does nothing and leaves {@code FD_CLOEXEC} set, so exec would close it (only newer C
     * libraries special-case {@code adddup2(fd, fd)}, after Austin Group issue 411); and when the mapping permutes
     * numbers (our 3 to the child's 4 and our 4 to its 3), an earlier {@code dup2} would overwrite a descriptor a
     * later one still needs. With distinct temporaries the second {@code dup2} always has two different numbers and
     * always clears close-on-exec on the child's copy, in any order. All of this happens in the child only; our
     * descriptors keep their flags.
     *
     * <p>With {@code closeRest} the child gets nothing it was not given: unmapped numbers between 3 and the highest
     * mapped one are closed, and everything above it with {@code closefrom} (which also takes the temporaries).
     * 0, 1 and 2 that are not mapped stay what they are here.
     */
    static List<Action> plan(SortedMap<Integer, Integer> childToParent, boolean closeRest) {
        List<Action> out = new ArrayList<>();
        int highest = 2;
        // Above 0, 1 and 2 too: an unmapped standard descriptor is the child's (ours), a temporary must not land on it.
        int temp = 2;
        for (Map.Entry<Integer, Integer> e : childToParent.entrySet()) {
            highest = Math.max(highest, e.getKey());
            temp = Math.max(temp, Math.max(e.getKey(), e.getValue()));
        }
        temp++;
        int i = 0;
        for (int parent : childToParent.values()) {
            out.add(new Action(Action.Kind.DUP2, parent, temp + i++));
        }
        i = 0;
        for (int child : childToParent.keySet()) {
            out.add(new Action(Action.Kind.DUP2, temp + i++, child));
        }
        if (closeRest) {
            for (int fd = 3; fd < highest; fd++) {
                if (!childToParent.containsKey(fd)) {
                    out.add(new Action(Action.Kind.CLOSE, fd, -1));
                }
            }
            out.add(new Action(Action.Kind.CLOSEFROM, highest + 1, -1));
        } else {
            for (i = 0; i < childToParent.size(); i++) {
                out.add(new Action(Action.Kind.CLOSE, temp + i, -1));
            }
        }
        return out;
    }

    // ---- spawn --------------------------------------------------------------------------------------------------

    /**
     * Starts a child.
     *
     * @param argv the command and its arguments; {@code argv[0]} is looked up on this process's {@code PATH}
     * @param env the child's environment as {@code NAME=value} strings
     * @param directory the child's working directory, or {@code null} for ours
     * @param fds child descriptor number → descriptor to give it there
     * @return the child's pid
     * @throws java.nio.channels.ClosedChannelException if a descriptor is closed
     * @throws UnsupportedOperationException if a directory is asked for and the C library cannot change it
     * @throws SocketPairException if the C library fails or the command cannot be started
     */
    public int spawn(List<String> argv, List<String> env, Path directory, SortedMap<Integer, Descriptor> fds)
            throws IOException {
        if (directory != null && !libc.hasAddchdir()) {
            throw new UnsupportedOperationException("a working directory for the child needs "
                    + "posix_spawn_file_actions_addchdir_np (glibc 2.29+, musl 1.1.24+, FreeBSD 13.1+, macOS 10.15+) "
                    + "or POSIX.1-2024's posix_spawn_file_actions_addchdir, which this C library lacks; changing our "
                    + "own directory instead would affect every thread");
        }
        SortedMap<Integer, Integer> numbers = new TreeMap<>();
        List<Descriptor> held = new ArrayList<>();
        try {
            for (Map.Entry<Integer, Descriptor> e : fds.entrySet()) {
                numbers.put(e.getKey(), OwnedDescriptor.hold(e.getValue()));
                held.add(e.getValue());
            }
            return spawnHeld(argv, env, directory, numbers);
        } finally {
            for (Descriptor d : held) {
                OwnedDescriptor.unhold(d);
            }
        }
    }

    private int spawnHeld(List<String> argv, List<String> env, Path directory, SortedMap<Integer, Integer> numbers)
            throws SocketPairException {
        int actionsAt = 0;
        int attrAt = NativeConstants.align(actionsAt + k.fileActionsSize(), 16);
        int sigsetAt = NativeConstants.align(attrAt + k.attrSize(), 16);
        int pidAt = NativeConstants.align(sigsetAt + k.sigsetSize(), 16);
        ByteBuffer mem = ByteBuffer.allocateDirect(pidAt + 16).order(ByteOrder.nativeOrder());
        long base = libc.address(mem);
        long actions = base + actionsAt;
        long attr = base + attrAt;
        String detail = describe(argv, directory);
        try {
            check("posix_spawn_file_actions_init", libc.posix_spawn_file_actions_init(actions), detail);
            try {
                for (Action a : plan(numbers, libc.hasAddclosefrom())) {
                    switch (a.kind()) {
                        case DUP2 -> check("posix_spawn_file_actions_adddup2",
                                libc.posix_spawn_file_actions_adddup2(actions, a.fd(), a.newFd()),
                                a.fd() + " -> " + a.newFd());
                        case CLOSE -> check("posix_spawn_file_actions_addclose",
                                libc.posix_spawn_file_actions_addclose(actions, a.fd()), "fd=" + a.fd());
                        case CLOSEFROM -> check("posix_spawn_file_actions_addclosefrom_np",
                                libc.posix_spawn_file_actions_addclosefrom_np(actions, a.fd()), "from=" + a.fd());
                        default -> throw new AssertionError(a);
                    }
                }
                if (directory != null) {
                    check("posix_spawn_file_actions_addchdir_np",
                            libc.posix_spawn_file_actions_addchdir_np(actions, directory.toString()), detail);
                }
                check("posix_spawnattr_init", libc.posix_spawnattr_init(attr), detail);
                try {
                    // A JVM thread blocks some signals (HotSpot blocks SIGQUIT in every thread but one) and a child
                    // inherits the mask through exec: start it with none blocked, as a shell would.
                    if (libc.sigemptyset(base + sigsetAt) != 0) {
                        throw error("sigemptyset", libc.errno(), detail, null);
                    }
                    check("posix_spawnattr_setsigmask", libc.posix_spawnattr_setsigmask(attr, base + sigsetAt),
                            detail);
                    check("posix_spawnattr_setflags",
                            libc.posix_spawnattr_setflags(attr, (short) k.POSIX_SPAWN_SETSIGMASK()), detail);
                    int r = libc.posix_spawnp(base + pidAt, argv.get(0), actions, attr, terminated(argv),
                            terminated(env));
                    if (r != 0) {
                        // posix_spawnp returns the error (exec's errno reported back from the child); errno is
                        // not set.
                        throw error("posix_spawnp", r, detail, explain(r, argv.get(0), directory));
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

    /** The array with a null element at the end: the {@code argv}/{@code envp} terminator execve needs. */
    private static String[] terminated(List<String> strings) {
        String[] a = strings.toArray(new String[strings.size() + 1]);
        a[strings.size()] = null;
        return a;
    }

    private static String describe(List<String> argv, Path directory) {
        return argv + (directory == null ? "" : ", directory " + directory);
    }

    private String explain(int errno, String command, Path directory) {
        Errno e = c.toErrno(errno);
        if (directory != null && (e == Errno.ENOENT || e == Errno.ENOTDIR || e == Errno.EACCES)
                && !Files.isDirectory(directory)) {
            return "the working directory " + directory + " does not exist or is not a directory";
        }
        boolean searched = command.indexOf('/') < 0;
        String where = searched ? " (searched PATH=" + System.getenv("PATH") + ")" : "";
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

    // ---- wait and signal ----------------------------------------------------------------------------------------

    /**
     * Blocks until the child has exited, without reaping it ({@code waitid(P_PID, pid, WEXITED | WNOWAIT)}), so any
     * number of threads may wait while the reap itself happens once, elsewhere.
     *
     * @return 0 when the child has exited, otherwise the errno ({@code ECHILD}: it is not our child, or someone else
     *         reaped it)
     */
    public int awaitExit(int pid) {
        ByteBuffer info = ByteBuffer.allocateDirect(k.siginfoSize());
        long address = libc.address(info);
        try {
            for (;;) {
                if (libc.waitid(k.P_PID(), pid, address, k.WEXITED() | k.WNOWAIT()) == 0) {
                    return 0;
                }
                int e = libc.errno();
                if (e != c.EINTR) {
                    return e;
                }
            }
        } finally {
            Reference.reachabilityFence(info);
        }
    }

    /**
     * Reaps the child if it has exited ({@code waitpid(pid, WNOHANG)}, {@code EINTR} retried).
     *
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
     * Sends a signal ({@code kill(2)}).
     *
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
