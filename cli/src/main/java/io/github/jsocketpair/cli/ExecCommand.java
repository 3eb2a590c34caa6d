package io.github.jsocketpair.cli;

import io.github.jsocketpair.ChildProcess;
import io.github.jsocketpair.Domain;
import io.github.jsocketpair.Errno;
import io.github.jsocketpair.SocketFlag;
import io.github.jsocketpair.SocketPair;
import io.github.jsocketpair.SocketPairException;
import io.github.jsocketpair.SocketType;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.List;

/**
 * {@code exec -- CMD ARGS...}: runs CMD with one end of a stream pair as its standard input and output, and relays
 * the other end to this terminal: our standard input goes to the command, what it writes comes back to our standard
 * output. Its standard error stays ours. The exit status is the command's.
 */
final class ExecCommand implements Command {
    /** The shell's status for a command that cannot be found. */
    static final int NOT_FOUND = 127;
    /** The shell's status for a command that cannot be executed. */
    static final int NOT_EXECUTABLE = 126;

    private final InputStream in;

    /** Relays this process's standard input. */
    ExecCommand() {
        this(System.in);
    }

    /** Relays {@code in}, for tests. */
    ExecCommand(InputStream in) {
        this.in = in;
    }

    @Override
    public String name() {
        return "exec";
    }

    @Override
    public String arguments() {
        return "-- CMD [ARGS...]";
    }

    @Override
    public String summary() {
        return "run CMD with one end of a socket pair as its stdin and stdout, relayed to this terminal";
    }

    @Override
    public String help() {
        return """
                Creates a UNIX stream socket pair, starts CMD (looked up on PATH) with one end as its standard input
                and standard output (its standard error stays this terminal's), and relays the other end: what you
                type goes to CMD, what CMD writes comes back here. End of input (Ctrl-D) shuts down CMD's input side.
                A Java CMD can take the socket with System.inheritedChannel().

                  java -jar jsocketpair.jar exec -- cat
                  java -jar jsocketpair.jar exec -- sh -c 'ls -l /proc/self/fd'

                Exit status: CMD's (128+N when signal N killed it), 126 CMD not executable, 127 CMD not found,
                2 usage error, 3 no backend for this platform.
                """;
    }

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) {
        List<String> command = args;
        if (!command.isEmpty() && command.get(0).equals("--")) {
            command = command.subList(1, command.size());
        } else if (!command.isEmpty() && command.get(0).startsWith("-")) {
            err.println("jsocketpair exec: unknown option " + command.get(0) + " (put the command after --)");
            return Exit.USAGE;
        }
        if (command.isEmpty()) {
            err.println("jsocketpair exec: no command; usage: exec -- CMD [ARGS...]");
            return Exit.USAGE;
        }
        try (SocketPair pair = SocketPair.open(Domain.UNIX, SocketType.STREAM, SocketFlag.CLOEXEC)) {
            ChildProcess child;
            try {
                child = ChildProcess.builder(command.toArray(String[]::new))
                        .stdin(pair.second()).stdout(pair.second()).start();
            } catch (SocketPairException e) {
                err.println("jsocketpair exec: " + e.getMessage());
                return e.errno() == Errno.ENOENT ? NOT_FOUND : NOT_EXECUTABLE;
            }
            pair.second().close(); // the child holds its copy; ours would keep its input from ever ending
            Thread pump = new Thread(() -> relayInput(pair), "jsocketpair-exec-stdin");
            pump.setDaemon(true); // a read of our stdin cannot be interrupted; it must not keep the JVM alive
            pump.start();
            relay(pair.first().inputStream(), out);
            return child.waitFor();
        } catch (UnsupportedOperationException e) {
            err.println("jsocketpair exec: " + e.getMessage());
            return Exit.NO_BACKEND;
        } catch (IOException e) {
            err.println("jsocketpair exec: " + e.getMessage());
            return NOT_EXECUTABLE;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("jsocketpair exec: interrupted");
            return NOT_EXECUTABLE;
        }
    }

    /** Our standard input to the command; at its end, shut down the command's input side. */
    private void relayInput(SocketPair pair) {
        try {
            OutputStream toChild = pair.first().outputStream();
            byte[] b = new byte[8192];
            int n;
            while ((n = in.read(b)) >= 0) {
                toChild.write(b, 0, n);
            }
            pair.first().shutdownOutput();
        } catch (IOException e) {
            // The command stopped reading (EPIPE) or the pair was closed because it ended: nothing to relay to.
        }
    }

    /** The command's output to ours, until it closes its end. */
    private static void relay(InputStream fromChild, PrintStream out) throws IOException {
        byte[] b = new byte[8192];
        int n;
        while ((n = fromChild.read(b)) >= 0) {
            out.write(b, 0, n);
            out.flush();
        }
    }
}
