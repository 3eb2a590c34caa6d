package io.github.jsocketpair.tests;

import io.github.jsocketpair.Descriptor;
import io.github.jsocketpair.Errno;
import io.github.jsocketpair.SocketPair;
import io.github.jsocketpair.SocketPairException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * Counts this process's open descriptors from {@code /proc/self/fd} (Linux) or {@code /dev/fd} (BSDs, macOS). The
 * listing itself holds one directory descriptor while it runs, the same every time, so counts compare exactly.
 */
public final class Fds {
    private static final Path PROC = Path.of("/proc/self/fd");
    private static volatile Boolean tracks;

    private Fds() {
    }

    private static Path dir() {
        return Files.isDirectory(PROC) ? PROC : Path.of("/dev/fd");
    }

    /**
     * Tells whether descriptors can be counted here: {@code /proc/self/fd}, or a {@code /dev/fd} seen to list a pair
     * while it is open and not after it is closed. A {@code /dev/fd} that exists may still not show what is open:
     * FreeBSD's devfs lists only 0, 1 and 2 unless fdescfs is mounted there ({@code mount -t fdescfs fdesc /dev/fd};
     * fdescfs(5)), and a static {@code /dev/fd} made by MAKEDEV lists the same nodes whatever is open.
     *
     * @return {@code true} if counts reflect this process's descriptors
     */
    public static boolean available() {
        Boolean t = tracks;
        if (t == null) {
            t = Files.isDirectory(PROC) || (Files.isDirectory(dir()) && listingTracksAPair());
            tracks = t;
        }
        return t;
    }

    private static boolean listingTracksAPair() {
        try {
            SocketPair p = SocketPair.open();
            int a = p.first().fd();
            int b = p.second().fd();
            Set<Integer> open = snapshot().keySet();
            p.close();
            Set<Integer> closed = snapshot().keySet();
            return open.contains(a) && open.contains(b) && !closed.contains(a) && !closed.contains(b);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Returns every open descriptor with what it points at ({@code socket:[1234]}, a path), for failure messages.
     *
     * @return descriptor number to link target
     */
    public static Map<Integer, String> snapshot() {
        Map<Integer, String> m = new TreeMap<>();
        try (Stream<Path> s = Files.list(dir())) {
            s.forEach(p -> {
                String target;
                try {
                    target = Files.readSymbolicLink(p).toString();
                } catch (IOException | UnsupportedOperationException e) {
                    target = "?";
                }
                m.put(Integer.parseInt(p.getFileName().toString()), target);
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return m;
    }

    /**
     * Counts the open sockets (links {@code socket:[inode]}); where links cannot be read ({@code /dev/fd} on some
     * systems), counts every descriptor. Sockets are what this library creates, and the JVM opens or closes no socket
     * behind a test's back, while it does close pipes and jars at its own pace.
     *
     * @return the count
     */
    public static int sockets() {
        Map<Integer, String> m = snapshot();
        if (m.values().stream().allMatch("?"::equals)) {
            return m.size();
        }
        return (int) m.values().stream().filter(t -> t.startsWith("socket:")).count();
    }

    /**
     * Counts the open sockets as {@link #sockets()} does, in a process at its descriptor limit: the listing needs a
     * free number or two, and a JVM thread (a collector reading its cgroup's files, the class loader opening a jar) may
     * hold one of them for a moment, so a listing refused with {@code EMFILE} is tried again, for up to ten seconds.
     * Sockets, unlike those, are opened by nobody but the test.
     *
     * @return the count
     * @throws UncheckedIOException if the listing fails otherwise, or for ten seconds
     */
    public static int socketsAtTheLimit() {
        long deadline = System.nanoTime() + 10_000_000_000L;
        for (;;) {
            try {
                return sockets();
            } catch (UncheckedIOException e) {
                String m = String.valueOf(e.getCause().getMessage());
                if (!m.contains("Too many open files") || System.nanoTime() > deadline) {
                    throw e;
                }
                LockSupport.parkNanos(1_000_000L); // let the holder finish
            }
        }
    }

    /**
     * Duplicates {@code fd} until {@code dup} fails with {@code EMFILE}, so that every free number is held: the way a
     * test brings the process to its descriptor limit exactly.
     *
     * @param fd an open descriptor to duplicate
     * @return the duplicates, possibly none
     * @throws IOException if {@code dup} fails otherwise (the duplicates made so far are closed)
     */
    public static List<Descriptor> takeEveryFreeNumber(int fd) throws IOException {
        List<Descriptor> taken = new ArrayList<>();
        for (;;) {
            try {
                taken.add(Descriptor.duplicate(fd));
            } catch (SocketPairException e) {
                if (e.errno() != Errno.EMFILE) {
                    for (Descriptor d : taken) {
                        try {
                            d.close();
                        } catch (IOException c) {
                            e.addSuppressed(c);
                        }
                    }
                    throw e;
                }
                return taken;
            }
        }
    }

    /**
     * Remembers the open sockets now, to compare later.
     *
     * @return the mark
     */
    public static Mark mark() {
        return available() ? new Mark(sockets(), snapshot()) : new Mark(-1, Map.of());
    }

    /**
     * The sockets open at one moment.
     *
     * @param count how many, or -1 where descriptors cannot be counted ({@link #available()})
     * @param before every descriptor then, for failure messages
     */
    public record Mark(int count, Map<Integer, String> before) {
        /**
         * Fails unless the socket count is back where it was.
         *
         * @param what what was done in between
         */
        public void assertUnchanged(String what) {
            assertChange(0, what);
        }

        /**
         * Waits briefly for the socket count to differ by {@code delta} from the mark (a closing thread may still
         * hold a descriptor for a moment), and fails with the difference if it does not.
         *
         * @param delta the expected change, e.g. {@code -1} after one close
         * @param what what was done in between
         */
        public void assertChange(int delta, String what) {
            // Called last in a test: what came before has been checked, and the test ends as skipped with the reason
            // rather than passing without the count.
            Assumptions.assumeTrue(count >= 0, () -> "open descriptors cannot be counted here (" + dir() + " does not "
                    + "list them; on FreeBSD mount fdescfs on /dev/fd): " + what + " not checked for leaks");
            long deadline = System.nanoTime() + 2_000_000_000L;
            int now;
            while ((now = sockets()) != count + delta && System.nanoTime() < deadline) {
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            if (now != count + delta) {
                Map<Integer, String> after = snapshot();
                Map<Integer, String> added = new TreeMap<>(after);
                added.entrySet().removeAll(before.entrySet());
                Map<Integer, String> removed = new TreeMap<>(before);
                removed.entrySet().removeAll(after.entrySet());
                throw new AssertionError(what + ": " + count + " sockets open before, " + now + " after (expected "
                        + (count + delta) + "); new: " + added + ", gone: " + removed);
            }
        }
    }
}
