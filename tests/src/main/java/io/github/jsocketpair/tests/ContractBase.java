package io.github.jsocketpair.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jsocketpair.Capabilities;
import io.github.jsocketpair.Domain;
import io.github.jsocketpair.Endpoint;
import io.github.jsocketpair.Errno;
import io.github.jsocketpair.SocketFlag;
import io.github.jsocketpair.SocketPair;
import io.github.jsocketpair.SocketPairException;
import io.github.jsocketpair.SocketType;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * What every contract shares: the backend the concrete IT expects ServiceLoader to pick, the platform's native
 * numbers, pairs that are closed after each test, and small helpers. Contracts reach the library only through its
 * public API ({@link SocketPair}, {@link Endpoint}), so any backend can run them.
 */
public abstract class ContractBase {
    private final List<Closeable> opened = new ArrayList<>();

    /**
     * Names the backend ServiceLoader must have picked on this platform.
     *
     * @return e.g. {@code "linux"}
     */
    protected abstract String backendName();

    /**
     * Returns this platform's native numbers, written down from its headers.
     *
     * @return the numbers
     */
    protected abstract NativeNumbers numbers();

    /** Checks that the expected backend serves this JVM, picked through ServiceLoader. */
    @BeforeEach
    protected void expectBackend() {
        assertEquals(backendName(), SocketPair.platform().name(), SocketPair.platform().selection());
    }

    /** What {@link #reportUnverified} prints first, for grepping a first run's output. */
    public static final String UNVERIFIED_PREFIX = "[jsocketpair] UNVERIFIED errno observed:";

    /**
     * Checks what every failure must satisfy whatever its errno: the backend named the native number (not
     * {@link Errno#UNKNOWN}), and the IT wrote down the same number for that name from the platform's headers, so a
     * wrong errno table still fails.
     *
     * @param e the failure
     */
    protected final void assertKnownErrno(SocketPairException e) {
        assertNotEquals(Errno.UNKNOWN, e.errno(), e.getMessage());
        assertTrue(numbers().knows(e.errno()), () -> "errno " + e.nativeErrno() + " (" + e.errno() + ") is not written "
                + "down for this OS; add it from the reference: " + e.getMessage());
        assertEquals(numbers().errno(e.errno()), e.nativeErrno(), e.getMessage());
    }

    /**
     * Prints the errno the kernel gave for a provoked error whose errno the reference does not give for this OS, so
     * that the first run on a real kernel can be written down (and the expectation made exact).
     *
     * @param p the provoked error
     * @param what the call, as asked
     * @param e what it gave
     */
    protected static void reportUnverified(NativeNumbers.Provoked p, String what, SocketPairException e) {
        System.out.println(UNVERIFIED_PREFIX + " " + SocketPair.platform().os() + ": " + p + " " + what + " -> errno "
                + e.nativeErrno() + " (" + e.errno() + "): " + e.getMessage());
    }

    /**
     * Closes whatever the test opened through {@link #track}.
     *
     * @throws IOException if a close fails
     */
    @AfterEach
    protected void closeOpened() throws IOException {
        for (int i = opened.size() - 1; i >= 0; i--) {
            opened.get(i).close();
        }
        opened.clear();
    }

    /**
     * Closes {@code c} after the test.
     *
     * @param <T> its type
     * @param c what to close
     * @return {@code c}
     */
    protected final <T extends Closeable> T track(T c) {
        opened.add(c);
        return c;
    }

    /**
     * Opens a {@link Domain#UNIX} pair, closed after the test.
     *
     * @param type the type
     * @param flags the flags
     * @return the pair
     * @throws IOException if the open fails
     */
    protected final SocketPair open(SocketType type, SocketFlag... flags) throws IOException {
        return track(SocketPair.open(Domain.UNIX, type, flags));
    }

    /**
     * Returns the platform's capabilities.
     *
     * @return the capabilities of the selected backend
     */
    protected static Capabilities caps() {
        return SocketPair.platform().capabilities();
    }

    /**
     * Scales a time limit for emulated runs.
     *
     * @param d the limit on a native JVM
     * @return the scaled limit
     */
    protected static Duration scaled(Duration d) {
        return TestEnv.scaled(d);
    }

    /**
     * Returns {@code n} reproducible pseudo-random bytes.
     *
     * @param n how many
     * @param seed the seed
     * @return the bytes
     */
    protected static byte[] bytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    /**
     * Encodes a string as UTF-8 in a heap buffer.
     *
     * @param s the text
     * @return a buffer positioned at 0
     */
    protected static ByteBuffer utf8(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Decodes what a buffer holds between 0 and its position.
     *
     * @param b the buffer after a read
     * @return the text read
     */
    protected static String text(ByteBuffer b) {
        ByteBuffer d = b.duplicate().flip();
        byte[] a = new byte[d.remaining()];
        d.get(a);
        return new String(a, StandardCharsets.UTF_8);
    }

    /**
     * Fills the socket buffer from {@code e} with non-blocking sends until the kernel takes no more.
     *
     * @param e a sending endpoint
     * @param chunk the size of each send (one record on record types)
     * @return the bytes sent
     * @throws IOException if a send fails
     */
    protected static long fill(Endpoint e, int chunk) throws IOException {
        ByteBuffer b = ByteBuffer.allocateDirect(chunk);
        long total = 0;
        for (int i = 0; i < 1_000_000; i++) {
            b.clear();
            int n = e.send(b, io.github.jsocketpair.MessageFlag.DONTWAIT);
            if (n == 0) {
                assertTrue(total > 0, "nothing could be sent");
                return total;
            }
            total += n;
        }
        throw new AssertionError("the socket buffer never filled");
    }

    /** Work for another thread, which may throw. */
    @FunctionalInterface
    protected interface Task<T> {
        /**
         * Does the work.
         *
         * @return the result
         * @throws Exception whatever it throws
         */
        T call() throws Exception;
    }

    /**
     * Runs {@code task} in a new daemon thread (not the common pool: a blocked task must not hold up other tests).
     *
     * @param <T> the result type
     * @param task the work
     * @return its future result; an exception completes it exceptionally
     */
    protected static <T> CompletableFuture<T> async(Task<T> task) {
        CompletableFuture<T> f = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                f.complete(task.call());
            } catch (Throwable e) {
                f.completeExceptionally(e);
            }
        }, "contract-task");
        t.setDaemon(true);
        t.start();
        return f;
    }

    /**
     * Waits until {@code calls} calls on {@code e} are really blocked: in the engine's wait path, or queued behind
     * the reader or writer that is (the endpoint publishes its waiters before it waits, so a close from now on must
     * release them). No sleep that hopes the other thread got there.
     *
     * @param e the endpoint
     * @param calls how many blocked calls to wait for
     * @throws InterruptedException if interrupted
     */
    protected static void awaitBlocked(Endpoint e, int calls) throws InterruptedException {
        long end = System.nanoTime() + scaled(Duration.ofSeconds(60)).toNanos();
        while (io.github.jsocketpair.internal.TestSeams.blockedCalls(e) < calls) {
            assertTrue(System.nanoTime() - end < 0, "only " + io.github.jsocketpair.internal.TestSeams.blockedCalls(e)
                    + " of " + calls + " calls blocked");
            Thread.sleep(1);
        }
    }
}
