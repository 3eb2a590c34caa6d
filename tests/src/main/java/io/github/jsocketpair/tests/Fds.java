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
     * Waits briefly for the count to come back to {@code expected} (a JVM thread may hold a descriptor for a moment),
     * and fails with the difference if it does not.
     *
     * @param expected the count taken before
     * @param before the snapshot taken before, for the message
     * @param what what was done in between
     */
    public static void assertCount(int expected, Map<Integer, String> before, String what) {
        long deadline = System.nanoTime() + 2_000_000_000L;
        int now;
        while ((now = count()) != expected && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (now != expected) {
            Map<Integer, String> after = snapshot();
            Map<Integer, String> added = new TreeMap<>(after);
            added.keySet().removeAll(before.keySet());
            Map<Integer, String> removed = new TreeMap<>(before);
            removed.keySet().removeAll(after.keySet());
            throw new AssertionError(what + ": " + expected + " descriptors open before, " + now + " after; new: "
                    + added + ", gone: " + removed);
        }
    }
}
