package io.github.jsocketpair.tests;

import io.github.jsocketpair.Descriptor;
import io.github.jsocketpair.Domain;
import io.github.jsocketpair.Errno;
import io.github.jsocketpair.SocketPair;
import io.github.jsocketpair.SocketPairException;
import io.github.jsocketpair.SocketType;
import java.util.ArrayList;
import java.util.List;

/**
 * The child-JVM side of {@link SoakContract}'s {@code EMFILE} soak: run under a low {@code RLIMIT_NOFILE}, it fills
 * the descriptor table, then makes {@code n} opens fail with {@code EMFILE} (one number free, so the kernel takes it
 * and must give it back each time) and checks that the descriptor count and native memory are where they were. Prints
 * {@code OK emfile=N ...} and exits 0, or prints {@code FAIL ...} and exits 1.
 *
 * <p>Arguments: how many failing opens, the native {@code EMFILE} number.
 */
public final class SoakProbe {
    private SoakProbe() {
    }

    /**
     * Runs the probe.
     *
     * @param args the number of failing opens, the native EMFILE
     * @throws Exception if something unexpected fails
     */
    public static void main(String[] args) throws Exception {
        int n = Integer.parseInt(args[0]);
        int emfile = Integer.parseInt(args[1]);
        // Warm up while descriptors are free: every class the loop and the measurements need is loaded now.
        SocketPair.open().close();
        try {
            SocketPair.openNative(-1, 1, 0).close();
        } catch (SocketPairException e) {
            e.getMessage();
        }
        Fds.sockets();
        NativeMemory.settled();

        List<SocketPair> pairs = new ArrayList<>();
        try {
            while (pairs.size() < 10_000) {
                pairs.add(SocketPair.open());
            }
        } catch (SocketPairException e) {
            check(e.errno() == Errno.EMFILE && e.nativeErrno() == emfile, "expected EMFILE: " + e);
        }
        check(pairs.size() < 10_000, "the descriptor limit is not lowered");
        // Room for the measurements (listing /proc/self/fd, malloc_info's temporary file), then measure.
        for (int i = 0; i < 3; i++) {
            pairs.remove(pairs.size() - 1).close();
        }
        int base = Fds.socketsAtTheLimit(); // sockets: the JVM opens and closes files of its own meanwhile
        NativeMemory before = NativeMemory.settled();
        // Take every free number, then give back exactly one: a pair needs two.
        List<Descriptor> singles = Fds.takeEveryFreeNumber(pairs.get(0).first().fd());
        singles.remove(singles.size() - 1).close();
        long t0 = System.nanoTime();
        int failures = 0;
        int refills = 0;
        for (int i = 0; failures < n; i++) {
            try {
                if (i % 2 == 0) {
                    SocketPair.open(Domain.UNIX, SocketType.values()[i % 3]).close();
                } else {
                    SocketPair.openNative(1, 1, 0).close();
                }
                // Two numbers were free: a JVM thread held one while the table was filled and has let it go since.
                check(++refills <= 20, refills + " opens succeeded with the table filled to one free number");
                singles.addAll(Fds.takeEveryFreeNumber(pairs.get(0).first().fd()));
                singles.remove(singles.size() - 1).close();
            } catch (SocketPairException e) {
                check(e.errno() == Errno.EMFILE && e.nativeErrno() == emfile && e.call().equals("socketpair"),
                        "expected EMFILE: " + e);
                failures++;
            }
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        for (Descriptor d : singles) {
            d.close();
        }
        int now = Fds.socketsAtTheLimit();
        check(now == base, "after " + n + " EMFILE failures: " + now + " sockets open, expected " + base
                + ": " + Fds.snapshot());
        NativeMemory after = NativeMemory.settled();
        try {
            after.assertNoGrowthSince(before, 16L << 20, n + " EMFILE failures");
        } catch (AssertionError e) {
            check(false, e.getMessage());
        }
        for (SocketPair p : pairs) {
            p.close();
        }
        System.out.println("OK emfile=" + failures + " in " + ms + " ms; native " + before + " -> " + after);
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            System.out.println("FAIL " + what);
            System.out.flush();
            System.exit(1);
        }
    }
}
