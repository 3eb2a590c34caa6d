package io.github.jsocketpair.tests;

import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import io.github.jsocketpair.ChildProcess;
import io.github.jsocketpair.SocketPair;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The child-JVM side of the signal tests: started under {@code trap "" HUP INT} (so this JVM ignores {@code SIGHUP}
 * and {@code SIGINT}, as under {@code nohup}; HotSpot keeps an inherited ignore for those), it also ignores
 * {@code SIGPIPE} through native code (HotSpot would otherwise catch it, and a caught signal is default again after
 * exec) and blocks {@code SIGTERM} in the thread that starts the children. Then it starts, each once with the
 * defaults and once with {@code inheritSignals()}: {@code grep Sig /proc/self/status}, and {@code yes | head -1}
 * in bash, printing the exit status of {@code yes} (141 = killed by {@code SIGPIPE}; 1 = {@code yes} got
 * {@code EPIPE} because {@code SIGPIPE} was ignored). Output lines: {@code <mode> <line>}.
 *
 * <p>Argument: the {@code SIG_BLOCK} number (0, or 1 on mips).
 */
public final class SignalProbe {
    private SignalProbe() {
    }

    /** The calls this probe needs; test code, so interface mapping. */
    interface C extends Library {
        Pointer signal(int sig, Pointer handler);

        int sigemptyset(Pointer set);

        int sigaddset(Pointer set, int sig);

        int pthread_sigmask(int how, Pointer set, Pointer old);
    }

    /**
     * Runs the probe.
     *
     * @param args SIG_BLOCK
     * @throws Exception if something unexpected fails
     */
    public static void main(String[] args) throws Exception {
        C c = Native.load(Platform.C_LIBRARY_NAME, C.class);
        c.signal(13, new Pointer(1)); // SIGPIPE (13 on every Linux architecture) to SIG_IGN ((void *) 1)
        Memory set = new Memory(128);
        c.sigemptyset(set);
        c.sigaddset(set, 15); // SIGTERM, 15 everywhere
        if (c.pthread_sigmask(Integer.parseInt(args[0]), set, null) != 0) {
            throw new IllegalStateException("pthread_sigmask failed");
        }
        for (String mode : new String[] {"default", "inherit"}) {
            run(mode, "grep", "^Sig", "/proc/self/status");
            run(mode, "bash", "-c", "yes | head -1 >/dev/null; echo \"yes=${PIPESTATUS[0]}\"");
        }
    }

    private static void run(String mode, String... command) throws Exception {
        try (SocketPair pair = SocketPair.open()) {
            ChildProcess.Builder b = ChildProcess.builder(command).stdout(pair.second());
            if (mode.equals("inherit")) {
                b.inheritSignals();
            }
            ChildProcess child = b.start();
            pair.second().close();
            pair.first().setReadTimeout(Duration.ofSeconds(60));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteBuffer buf = ByteBuffer.allocate(4096);
            while (pair.first().read(buf.clear()) > 0) {
                out.write(buf.array(), 0, buf.position());
            }
            child.waitFor();
            for (String line : out.toString(StandardCharsets.UTF_8).split("\n")) {
                System.out.println(mode + " " + line);
            }
        }
    }
}
