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
 * {@code /proc/self/fd} that no failed open left a socket behind, also when exactly one slot is free (a pair
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
        // Sockets are counted, not every descriptor: the JVM opens and closes jars and cgroup files at its own pace
        // (a collection reads the cgroup's CPU limit), and a count of everything would see them come and go.
        int base = Fds.socketsAtTheLimit();

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
        int any = pairs.get(0).first().fd();
        // socketpair needs two numbers: one may still be free (more, if a JVM thread held one for a moment).
        List<Descriptor> singles = Fds.takeEveryFreeNumber(any);
        // Two numbers free: the count shows whether the failed open kept anything.
        pairs.remove(pairs.size() - 1).close();
        int expected = base + 2 * pairs.size() + singles.size();
        int now = Fds.socketsAtTheLimit();
        check(now == expected, "after EMFILE: " + now + " sockets open, expected " + expected + ": " + Fds.snapshot());
        // One number free: the kernel takes one, fails on the second, and must give the first back. Take every free
        // number and give exactly one back.
        List<Descriptor> fill = Fds.takeEveryFreeNumber(any);
        check(!fill.isEmpty(), "no number was free after closing a pair");
        fill.remove(fill.size() - 1).close();
        int failures = 0;
        int refills = 0;
        for (int i = 0; failures < 300; i++) {
            try {
                if (i % 4 == 3) {
                    SocketPair.openNative(afUnix, sockStream, 0).close();
                } else {
                    SocketPair.open(Domain.UNIX, SocketType.values()[i % 4]).close();
                }
                // Two numbers were free: a JVM thread held one while the table was filled and has let it go since.
                check(++refills <= 20, refills + " opens succeeded with the table filled to one free number");
                fill.addAll(Fds.takeEveryFreeNumber(any));
                fill.remove(fill.size() - 1).close();
            } catch (SocketPairException e) {
                check(e.errno() == Errno.EMFILE, "expected EMFILE: " + e);
                failures++;
            }
        }
        // Listing /proc/self/fd takes two numbers (the JDK dups the directory's), so free the filler first.
        for (Descriptor d : fill) {
            d.close();
        }
        now = Fds.socketsAtTheLimit();
        check(now == expected, "after 300 failures with one number free: " + now + " sockets open, expected "
                + expected + ": " + Fds.snapshot());
        for (Descriptor d : singles) {
            d.close();
        }
        for (SocketPair p : pairs) {
            p.close();
        }
        now = Fds.socketsAtTheLimit();
        check(now == base, "after closing everything: " + now + " sockets open, expected " + base);
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
