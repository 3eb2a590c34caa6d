package io.github.jsocketpair.tests;

import io.github.jsocketpair.ChildProcess;
import io.github.jsocketpair.Descriptor;
import io.github.jsocketpair.Errno;
import io.github.jsocketpair.SocketPair;
import io.github.jsocketpair.SocketPairException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.TreeMap;

/**
 * The child-JVM side of the {@code RLIMIT_NOFILE} test, run under a low limit: fills the descriptor table and opens a
 * pair on its two highest numbers, gives the higher end to a child as its standard output (the old plan put its
 * temporaries above it, past the limit, and glibc refused with a bare {@code EBADF}), and checks that a child number
 * at or above the limit is refused before spawning, with a message naming the limit. Prints {@code OK ...} or
 * {@code FAIL ...}.
 *
 * <p>Argument: the limit the probe runs under.
 */
public final class RlimitProbe {
    private RlimitProbe() {
    }

    private static void hold(TreeMap<Integer, AutoCloseable> held, SocketPair p) {
        held.put(p.first().fd(), p.first());
        held.put(p.second().fd(), p.second());
    }

    /**
     * Runs the probe.
     *
     * @param args the limit
     * @throws Exception if something unexpected fails
     */
    public static void main(String[] args) throws Exception {
        int limit = Integer.parseInt(args[0]);
        ChildProcess.builder("true").start().waitFor(); // the reaper's descriptors are taken now
        // Fill the whole table, then free the two highest numbers held here and open a pair into them: opening pairs
        // until the first EMFILE would leave it to chance which pair lands on top (a JVM thread may hold a number for
        // a moment while the pairs are opened, and the last pair then stops short of the top).
        TreeMap<Integer, AutoCloseable> held = new TreeMap<>();
        SocketPair any = SocketPair.open();
        hold(held, any);
        SocketPair high = null;
        for (int attempt = 0; attempt < 10 && high == null; attempt++) {
            for (Descriptor d : Fds.takeEveryFreeNumber(any.first().fd())) {
                held.put(d.fd(), d);
            }
            held.pollLastEntry().getValue().close();
            held.pollLastEntry().getValue().close();
            SocketPair p;
            try {
                p = SocketPair.open();
            } catch (SocketPairException e) {
                continue; // a JVM thread took one of the two meanwhile
            }
            if (p.second().fd() >= limit - 2) { // the old plan's temporaries were limit and limit + 1
                high = p;
            } else {
                hold(held, p);
            }
        }
        if (high == null) {
            System.out.println("FAIL never got a pair onto the two highest numbers under " + limit + ": "
                    + held.keySet());
            System.exit(1);
        }
        // Free a few low numbers for the temporaries and the child's pidfd.
        for (int i = 0; i < 6 && !held.isEmpty(); i++) {
            held.pollFirstEntry().getValue().close();
        }
        int fd = high.second().fd();
        ChildProcess child = ChildProcess.builder("sh", "-c", "echo near-the-limit").stdout(high.second())
                .stderr(high.second()).start();
        high.second().close();
        high.first().setReadTimeout(Duration.ofSeconds(60));
        ByteBuffer b = ByteBuffer.allocate(64);
        while (high.first().read(b) > 0) {
            // until end of stream
        }
        String got = new String(b.array(), 0, b.position(), StandardCharsets.UTF_8);
        int status = child.waitFor();
        if (!got.equals("near-the-limit\n") || status != 0) {
            System.out.println("FAIL fd " + fd + " under a limit of " + limit + ": got \"" + got + "\", status "
                    + status);
            System.exit(1);
        }
        try {
            ChildProcess.builder("true").inherit(limit, high.first()).start();
            System.out.println("FAIL a child number at the limit was accepted");
            System.exit(1);
        } catch (SocketPairException e) {
            if (e.errno() != Errno.EBADF || !e.getMessage().contains("RLIMIT_NOFILE")
                    || !e.getMessage().contains(String.valueOf(limit))) {
                System.out.println("FAIL unexpected refusal: " + e);
                System.exit(1);
            }
            System.out.println("message: " + e.getMessage());
        }
        System.out.println("OK fd=" + fd + " limit=" + limit);
    }
}
