package io.github.jsocketpair.tests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Counts this process's open descriptors from {@code /proc/self/fd} (Linux) or {@code /dev/fd} (BSDs, macOS). The
 * listing itself holds one directory descriptor while it runs, the same every time, so counts compare exactly.
 */
public final class Fds {
    private Fds() {
    }

    private static Path dir() {
        Path proc = Path.of("/proc/self/fd");
        return Files.isDirectory(proc) ? proc : Path.of("/dev/fd");
    }

    /**
     * Tells whether descriptors can be counted here.
     *
     * @return {@code true} if {@code /proc/self/fd} or {@code /dev/fd} exists
     */
    public static boolean available() {
        return Files.isDirectory(dir());
    }

    /**
     * Returns the number of open descriptors, the listing's own included.
     *
     * @return the count
     */
    public static int count() {
        try (Stream<Path> s = Files.list(dir())) {
            return (int) s.count();
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
     * Remembers the open sockets now, to compare later.
     *
     * @return the mark
     */
    public static Mark mark() {
        return new Mark(sockets(), snapshot());
    }

    /**
     * The sockets open at one moment.
     *
     * @param count how many
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
