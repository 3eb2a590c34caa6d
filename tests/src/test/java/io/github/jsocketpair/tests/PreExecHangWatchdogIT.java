package io.github.jsocketpair.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * {@link PreExecHangWatchdog} on real child processes: a child whose command line equals what the watchdog takes for
 * this JVM's is killed once it has kept it for the limit, and only then; any other child is left alone.
 */
@EnabledOnOs(OS.LINUX)
class PreExecHangWatchdogIT {
    @Test
    void aChildWithThisJvmsCommandLineIsKilledAfterTheLimitAndOthersAreLeftAlone() throws Exception {
        Process stuck = new ProcessBuilder("sleep", "60").start();
        Process other = new ProcessBuilder("sleep", "61").start();
        try {
            byte[] line = waitForExec(stuck, "sleep\0" + "60\0");
            assertNotNull(waitForExec(other, "sleep\0" + "61\0"));
            PreExecHangWatchdog w = new PreExecHangWatchdog(() -> line, Duration.ofMillis(300), Duration.ZERO);
            assertEquals(0, w.look(), "first seen: not yet");
            assertTrue(stuck.isAlive());
            Thread.sleep(400);
            assertEquals(1, w.look(), "seen for the limit: killed");
            assertTrue(stuck.waitFor(10, TimeUnit.SECONDS));
            assertEquals(137, stuck.exitValue(), "SIGKILL");
            assertTrue(other.isAlive(), "another command line is never touched");
            assertEquals(0, w.look());
        } finally {
            stuck.destroyForcibly().waitFor();
            other.destroyForcibly().waitFor();
        }
    }

    /** Waits until the child's command line is {@code expected} (it has exec'd), and returns it. */
    private static byte[] waitForExec(Process p, String expected) throws InterruptedException {
        long end = System.nanoTime() + TestEnv.scaled(Duration.ofSeconds(10)).toNanos();
        while (System.nanoTime() - end < 0) {
            byte[] line = PreExecHangWatchdog.cmdline(p.pid());
            if (line != null && new String(line, java.nio.charset.StandardCharsets.UTF_8).equals(expected)) {
                return line;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("child " + p.pid() + " did not exec " + expected.replace('\0', ' '));
    }
}
