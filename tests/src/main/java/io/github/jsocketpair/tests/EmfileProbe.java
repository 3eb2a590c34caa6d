package io.github.jsocketpair.tests;

import io.github.jsocketpair.Descriptor;
import io.github.jsocketpair.Domain;
import io.github.jsocketpair.Errno;
import io.github.jsocketpair.SocketPair;
import io.github.jsocketpair.SocketPairException;
import io.github.jsocketpair.SocketType;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The child-JVM side of {@link LeakContract#emfileUnderALoweredLimitLeaksNothing()}: run under a low
 * {@code RLIMIT_NOFILE}, it opens pairs until {@code socketpair} fails with {@code EMFILE}, then checks with
 * {@code /proc/self/fd} that no failed open left a descriptor behind, also when exactly one slot is free (a pair
 * needs two). Prints {@code OK pairs=N} and exits 0, or prints {@code FAIL ...} and exits 1.
 *
 * <p>Arguments: the native {@code EMFILE}, {@code AF_UNIX} and {@code SOCK_STREAM} numbers.
 */
public final class EmfileProbe {
    private EmfileProbe() {
    }

    /**
     * Runs the probe.
     *
     * @param args native EMFILE, AF_UNIX, SOCK_STREAM
     * @throws Exception if something unexpected fails
     */
    public static void main(String[] args) throws Exception {
        int emfile = Integer.parseInt(args[0]);
        int afUnix = Integer.parseInt(args[1]);
        int sockStream = Integer.parseInt(args[2]);
        // Warm up while descriptors are free: every class the failure path needs is loaded now.
        try (SocketPair p = SocketPair.open()) {
            p.first().write(ByteBuffer.wrap(new byte[] {1}));
            p.second().read(ByteBuffer.allocate(1));
        }
        try {
            SocketPair.openNative(-1, sockStream, 0).close();
        } catch (SocketPairException e) {
            e.getMessage();
        }
        Descriptor.duplicate(0).close();
        Fds.snapshot();
        int base = Fds.count();

        List<SocketPair> pairs = new ArrayList<>();
        SocketPairException failure = null;
        while (failure == null && pairs.size() < 100_000) {
            try {
                pairs.add(SocketPair.open());
            } catch (SocketPairException e) {
                failure = e;
            }
        }
        check(failure != null, "socketpair never failed: is the limit lowered?");
        check(failure.errno() == Errno.EMFILE && failure.nativeErrno() == emfile && failure.call().equals("socketpair"),
                "expected EMFILE (" + emfile + ") from socketpair: " + failure);
        System.out.println("message: " + failure.getMessage());
        int opened = pairs.size();
        // socketpair needs two numbers: one may still be free. Take single numbers until none is.
        List<Descriptor> singles = new ArrayList<>();
        for (;;) {
            try {
                singles.add(Descriptor.duplicate(pairs.get(0).first().fd()));
            } catch (SocketPairException e) {
                check(e.errno() == Errno.EMFILE, "expected EMFILE from dup: " + e);
                break;
            }
        }
        check(singles.size() <= 1, singles.size() + " numbers were still free after socketpair's EMFILE");
        // Two numbers free: the count shows whether the failed open kept anything.
        pairs.remove(pairs.size() - 1).close();
        int expected = base + 2 * pairs.size() + singles.size();
        check(Fds.count() == expected, "after EMFILE: " + Fds.count() + " open, expected " + expected + ": "
                + Fds.snapshot());
        // One number free: the kernel takes one, fails on the second, and must give the first back. Take every free
        // number and give exactly one back: a JVM thread may have closed a descriptor of its own since the count.
        List<Descriptor> fill = new ArrayList<>();
        for (;;) {
            try {
                fill.add(Descriptor.duplicate(pairs.get(0).first().fd()));
            } catch (SocketPairException e) {
                check(e.errno() == Errno.EMFILE, "expected EMFILE from dup: " + e);
                break;
            }
        }
        check(!fill.isEmpty(), "no number was free after closing a pair");
        fill.remove(fill.size() - 1).close();
        int failures = 0;
        for (int i = 0; i < 300; i++) {
            try {
                if (i % 4 == 3) {
                    SocketPair.openNative(afUnix, sockStream, 0).close();
                } else {
                    SocketPair.open(Domain.UNIX, SocketType.values()[i % 4]).close();
                }
            } catch (SocketPairException e) {
                check(e.errno() == Errno.EMFILE, "expected EMFILE: " + e);
                failures++;
            }
        }
        check(failures == 300, "only " + failures + " of 300 opens failed with one number free");
        // Listing /proc/self/fd takes two numbers (the JDK dups the directory's), so free the filler first.
        for (Descriptor d : fill) {
            d.close();
        }
        check(Fds.count() == expected, "after 300 failures with one number free: " + Fds.count()
                + " open, expected " + expected + ": " + Fds.snapshot());
        for (Descriptor d : singles) {
            d.close();
        }
        for (SocketPair p : pairs) {
            p.close();
        }
        check(Fds.count() == base, "after closing everything: " + Fds.count() + " open, expected " + base);
        System.out.println("OK pairs=" + opened);
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            System.out.println("FAIL " + what);
            System.out.flush();
            System.exit(1);
        }
    }
}
