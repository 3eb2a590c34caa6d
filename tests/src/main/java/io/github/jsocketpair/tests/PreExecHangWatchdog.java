package io.github.jsocketpair.tests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Kills a child process that has been stuck between {@code fork} and {@code execve} for too long: one whose command
 * line is still this JVM's own. Only started under qemu-user ({@link NoChildOutlivesItsTest} starts it when
 * {@link TestEnv#emulated()}), where qemu 7.2's fork of a busy multithreaded guest now and then leaves the child
 * blocked on one of qemu's own locks before it ever reaches {@code execve}. The test waiting for that child would
 * otherwise sit out its whole time limit (up to 20 minutes once scaled for emulation, more than an architecture's
 * CI budget); killed, the child ends with {@code SIGKILL}, the test fails at once, and the emulated run's single
 * rerun gives it a second fork.
 *
 * <p>Natively no child ever keeps its parent's command line this long: every test starts its children through
 * {@code posix_spawn} or {@link ProcessBuilder}, which exec at once.
 */
final class PreExecHangWatchdog implements Runnable {
    private final Supplier<byte[]> own;
    private final Duration limit;
    private final Duration period;
    /** Children seen with this JVM's command line: pid to when first seen (System.nanoTime). */
    private final Map<Long, Long> since = new HashMap<>();

    /**
     * A watchdog that kills a child whose command line has equalled {@code own} for {@code limit}, looking every
     * {@code period}.
     */
    PreExecHangWatchdog(Supplier<byte[]> own, Duration limit, Duration period) {
        this.own = own;
        this.limit = limit;
        this.period = period;
    }

    /** Starts the watchdog for this JVM on a daemon thread: limit 20 s, a look every 2 s. */
    static void startForThisJvm() {
        byte[] self = cmdline(ProcessHandle.current().pid());
        if (self == null) {
            return;
        }
        Thread t = new Thread(new PreExecHangWatchdog(() -> self, Duration.ofSeconds(20), Duration.ofSeconds(2)),
                "pre-exec-hang-watchdog");
        t.setDaemon(true);
        t.start();
    }

    /** The raw {@code /proc/PID/cmdline}, or null if it cannot be read (the process is gone). */
    static byte[] cmdline(long pid) {
        try {
            return Files.readAllBytes(Path.of("/proc/" + pid + "/cmdline"));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * Looks once: notes the children that still carry this JVM's command line and kills those that have carried it
     * for the limit. Returns the number killed.
     */
    int look() {
        long now = System.nanoTime();
        byte[] self = own.get();
        Map<Long, Long> seen = new HashMap<>();
        int killed = 0;
        for (ProcessHandle h : ProcessHandle.current().children().toList()) {
            byte[] line = cmdline(h.pid());
            if (line == null || !Arrays.equals(line, self)) {
                continue;
            }
            long first = since.getOrDefault(h.pid(), now);
            if (now - first >= limit.toNanos()) {
                System.err.println("[tests] killed child " + h.pid() + ": still this JVM's command line after "
                        + limit.toMillis() + " ms, so stuck before execve (under qemu-user: its fork hang)");
                h.destroyForcibly();
                killed++;
            } else {
                seen.put(h.pid(), first);
            }
        }
        since.clear();
        since.putAll(seen);
        return killed;
    }

    @Override
    public void run() {
        try {
            for (;;) {
                look();
                Thread.sleep(period.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
