package io.github.jsocketpair.tests;

import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Starts programs with {@code posix_spawnp(3)} and no file actions beyond the ones asked for, so the child inherits
 * every descriptor that is not close-on-exec, exactly as a C program's child would. {@link ProcessBuilder} cannot
 * show a leak: the JDK's child set-up closes every descriptor above 2 before {@code exec} (childproc.c
 * {@code closeDescriptors}), whatever close-on-exec says.
 */
public final class Spawn {
    /** The libc calls, bound with JNA's interface mapping (test code: speed does not matter). */
    private interface C extends Library {
        int posix_spawn_file_actions_init(Pointer actions);

        int posix_spawn_file_actions_adddup2(Pointer actions, int fd, int newfd);

        int posix_spawn_file_actions_addopen(Pointer actions, int fd, String path, int oflag, int mode);

        int posix_spawn_file_actions_destroy(Pointer actions);

        int posix_spawnp(IntByReference pid, String file, Pointer actions, Pointer attr, String[] argv,
                String[] envp);

        int waitpid(int pid, IntByReference status, int options);

        int kill(int pid, int sig);
    }

    private static final class Holder {
        static final C C = Native.load(Platform.C_LIBRARY_NAME, C.class);
    }

    /** {@code O_WRONLY}: 1 on Linux (every architecture) and the BSDs. */
    private static final int O_WRONLY = 1;
    /** {@code WNOHANG}: 1 on Linux and the BSDs. */
    private static final int WNOHANG = 1;
    /** {@code SIGKILL}. */
    public static final int SIGKILL = 9;

    private final int pid;
    private final Path output;
    private Integer status;

    private Spawn(int pid, Path output) {
        this.pid = pid;
        this.output = output;
    }

    /**
     * Starts {@code argv} with standard output and error going to {@code output} (standard input stays this JVM's,
     * unless {@code dup2} says otherwise).
     *
     * @param output a file for the child's standard output and error (created or emptied)
     * @param dup2 descriptor moves done in the child before {@code exec}: source fd to target fd
     * @param argv the program (looked up on {@code PATH}) and its arguments
     * @return the running child
     * @throws IOException if the output file cannot be made or {@code posix_spawnp} fails
     */
    public static Spawn start(Path output, Map<Integer, Integer> dup2, String... argv) throws IOException {
        Files.write(output, new byte[0]);
        C c = Holder.C;
        Memory actions = new Memory(1024); // posix_spawn_file_actions_t: 80 bytes on glibc LP64; room for any libc
        actions.clear();
        check(c.posix_spawn_file_actions_init(actions), "posix_spawn_file_actions_init");
        try {
            check(c.posix_spawn_file_actions_addopen(actions, 1, output.toString(), O_WRONLY, 0), "addopen");
            check(c.posix_spawn_file_actions_adddup2(actions, 1, 2), "adddup2 1 2");
            for (Map.Entry<Integer, Integer> e : dup2.entrySet()) {
                check(c.posix_spawn_file_actions_adddup2(actions, e.getKey(), e.getValue()), "adddup2 " + e);
            }
            List<String> env = new ArrayList<>();
            env.add("PATH=" + System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
            env.add("LC_ALL=C");
            IntByReference pid = new IntByReference();
            check(c.posix_spawnp(pid, argv[0], actions, null, argv, env.toArray(String[]::new)), "posix_spawnp "
                    + argv[0]);
            return new Spawn(pid.getValue(), output);
        } finally {
            c.posix_spawn_file_actions_destroy(actions);
        }
    }

    private static void check(int r, String what) throws IOException {
        if (r != 0) {
            throw new IOException(what + " failed: error " + r);
        }
    }

    /**
     * Returns the child's process id.
     *
     * @return the pid
     */
    public int pid() {
        return pid;
    }

    /**
     * Sends a signal to the child.
     *
     * @param signal the signal number
     */
    public void kill(int signal) {
        Holder.C.kill(pid, signal);
    }

    /**
     * Waits for the child to end, killing it if it takes longer than {@code timeout}.
     *
     * @param timeout how long to wait
     * @return the raw wait status ({@code (code << 8)} after a normal exit, the signal number after a kill)
     * @throws AssertionError if the child had to be killed
     */
    public int waitFor(Duration timeout) {
        if (status != null) {
            return status;
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        IntByReference st = new IntByReference();
        for (;;) {
            int r = Holder.C.waitpid(pid, st, WNOHANG);
            if (r == pid) {
                status = st.getValue();
                return status;
            }
            if (r < 0) {
                throw new IllegalStateException("waitpid(" + pid + ") failed: " + Native.getLastError());
            }
            if (System.nanoTime() > deadline) {
                kill(SIGKILL);
                Holder.C.waitpid(pid, st, 0);
                status = st.getValue();
                throw new AssertionError("child " + pid + " still running after " + timeout + ": killed");
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
    }

    /**
     * Returns what the child wrote so far.
     *
     * @return its standard output and error
     * @throws IOException if the file cannot be read
     */
    public String output() throws IOException {
        return Files.readString(output);
    }

    private static final Pattern FD_LINE = Pattern.compile("\\s(\\d+) -> (.*)$");

    /**
     * Lists the descriptors a freshly started program inherits from this JVM: runs {@code ls -l /proc/self/fd}
     * (Linux) and parses {@code N -> target} lines. The listing's own directory descriptor is included.
     *
     * @param dir a folder for the output file
     * @return descriptor number to link target, as the child saw them
     * @throws IOException if the child cannot run
     */
    public static Map<Integer, String> inheritedDescriptors(Path dir) throws IOException {
        Spawn s = start(Files.createTempFile(dir, "fds", ".txt"), Map.of(), "ls", "-l", "/proc/self/fd/");
        int st = s.waitFor(Duration.ofSeconds(60));
        String out = s.output();
        if (st != 0) {
            throw new IOException("ls -l /proc/self/fd exited with status " + st + ": " + out);
        }
        Map<Integer, String> fds = new LinkedHashMap<>();
        for (String line : out.split("\n")) {
            Matcher m = FD_LINE.matcher(line);
            if (m.find()) {
                fds.put(Integer.parseInt(m.group(1)), m.group(2));
            }
        }
        return fds;
    }
}
