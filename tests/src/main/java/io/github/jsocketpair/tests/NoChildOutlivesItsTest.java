package io.github.jsocketpair.tests;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Kills every child process a test started and left running, and fails a test that passed otherwise but left one.
 *
 * <p>Why the kill matters beyond tidiness: a child inherits Surefire's standard output and error, and Surefire waits
 * for the end of those pipes before it ends the run. A child that never exits (a test that failed before it waited,
 * or a child that hangs before {@code exec}: under qemu-user 7.2 a fork of a busy multithreaded guest now and then
 * leaves the child blocked on one of qemu's own locks, never reaching {@code execve}) would hold the whole build
 * until CI's time limit, and the failure of one test would show as a timeout of everything. Under emulation it also
 * starts {@link PreExecHangWatchdog}, which ends such a child while its test still waits for it.
 */
public final class NoChildOutlivesItsTest implements BeforeEachCallback, AfterEachCallback {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace
            .create(NoChildOutlivesItsTest.class);
    /** How long a killed child has to be gone. */
    private static final Duration GONE = Duration.ofSeconds(10);
    /** Whether {@link PreExecHangWatchdog} runs in this JVM (started once, under emulation only). */
    private static final AtomicBoolean WATCHDOG = new AtomicBoolean();

    /** Creates the extension (JUnit makes one per registration). */
    public NoChildOutlivesItsTest() {
    }

    /**
     * Notes the children already running, which are not the test's to answer for.
     *
     * @param context the test
     */
    @Override
    public void beforeEach(ExtensionContext context) {
        if (TestEnv.emulated() && WATCHDOG.compareAndSet(false, true)) {
            PreExecHangWatchdog.startForThisJvm();
        }
        context.getStore(NAMESPACE).put("before", running());
    }

    /**
     * Kills the children the test left running and fails the test for them, unless it failed already.
     *
     * @param context the test
     * @throws AssertionError naming the children the test left running
     */
    @Override
    public void afterEach(ExtensionContext context) {
        @SuppressWarnings("unchecked")
        Set<Long> before = context.getStore(NAMESPACE).get("before", Set.class);
        String left = ProcessHandle.current().children().filter(ProcessHandle::isAlive)
                .filter(h -> before == null || !before.contains(h.pid())).map(NoChildOutlivesItsTest::kill)
                .collect(Collectors.joining("; "));
        if (!left.isEmpty() && context.getExecutionException().isEmpty()) {
            throw new AssertionError("the test left child processes running (now killed): " + left);
        }
    }

    private static Set<Long> running() {
        return ProcessHandle.current().children().filter(ProcessHandle::isAlive).map(ProcessHandle::pid)
                .collect(Collectors.toSet());
    }

    /** Kills {@code h} and its descendants, waits for it to be gone, and describes it. */
    private static String kill(ProcessHandle h) {
        String what = h.pid() + " " + h.info().commandLine().orElse("(command line unknown)");
        h.descendants().forEach(ProcessHandle::destroyForcibly);
        h.destroyForcibly();
        CompletableFuture<ProcessHandle> exit = h.onExit();
        try {
            exit.get(GONE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            return what + " (still there after SIGKILL)";
        }
        return what;
    }
}
