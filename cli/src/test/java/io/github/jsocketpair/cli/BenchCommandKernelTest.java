package io.github.jsocketpair.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** {@code bench} for real, briefly: three child JVMs, pinned threads, one table; and the pinning itself. */
class BenchCommandKernelTest {

    @Test
    @EnabledOnOs(OS.LINUX)
    void aPinnedThreadSeesOneCpu() throws Exception {
        AtomicInteger seen = new AtomicInteger();
        AtomicReference<Throwable> failed = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                Affinity.pin(Affinity.firstAllowedCpu());
                // The kernel's view of this thread's mask, not Runtime.availableProcessors(): in a container the
                // JDK caches that count for a while, so it may still say what another thread saw before the pin.
                seen.set(allowedCpus());
            } catch (RuntimeException e) {
                failed.set(e);
            }
        });
        t.start();
        t.join();
        assertEquals(null, failed.get());
        assertEquals(1, seen.get());
        assertThrows(IllegalArgumentException.class, () -> Affinity.pin(-1));
    }

    @Test
    @Timeout(180)
    void aShortRunPrintsTheHeaderAndOneRowPerContender() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = new BenchCommand().run(java.util.List.of("--seconds", "1.5"),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        String text = out.toString(StandardCharsets.UTF_8);
        assertEquals(Exit.OK, status, text + err.toString(StandardCharsets.UTF_8));
        assertTrue(text.contains("JDK " + System.getProperty("java.version")), text);
        assertTrue(text.contains("Each contender in a fresh JVM"), text);
        if (OS.LINUX.isCurrentOs()) {
            assertTrue(text.contains("main and helper thread pinned to CPU"), text);
        }
        for (String row : new String[] {"| jsocketpair ", "| JDK unix channels ", "| loopback TCP "}) {
            assertEquals(1, text.split(java.util.regex.Pattern.quote(row), -1).length - 1, row + " in\n" + text);
        }
        assertTrue(text.contains("[18/18]"), "progress of every step, from the children:\n" + text);
    }

    /** How many CPUs /proc/thread-self/status lists as allowed for the calling thread ("0-1,3" is 3). */
    private static int allowedCpus() {
        try {
            for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/thread-self/status"))) {
                if (line.startsWith("Cpus_allowed_list:")) {
                    int n = 0;
                    for (String range : line.substring(line.indexOf(':') + 1).trim().split(",")) {
                        String[] ends = range.split("-");
                        n += ends.length == 1 ? 1 : Integer.parseInt(ends[1]) - Integer.parseInt(ends[0]) + 1;
                    }
                    return n;
                }
            }
            throw new IllegalStateException("no Cpus_allowed_list in /proc/thread-self/status");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
