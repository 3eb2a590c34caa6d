package io.github.jsocketpair.tests.cookbook;

import io.github.jsocketpair.Endpoint;
import io.github.jsocketpair.SocketPair;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Cookbook: an in-process server on virtual threads where each client is a pair: {@link #connect()} opens one, a
 * virtual thread serves one end, the caller gets the other. No port, no path, nothing another process can reach.
 * Blocking calls on a virtual thread park it without pinning its carrier, so thousands of clients are cheap.
 */
final class PairServer implements AutoCloseable {
    // cookbook:server begin
    private final ExecutorService threads = newVirtualThreadPerTaskExecutor(); // JDK 21+
    final Set<Thread> servers = ConcurrentHashMap.newKeySet();               // who served, for the test

    /** A new client: the caller's end of a fresh pair; a virtual thread serves the other end. */
    Endpoint connect() throws IOException {
        SocketPair pair = SocketPair.open();
        threads.execute(() -> serve(pair.second()));
        return pair.first();
    }

    /** Answers each line in capitals until the client shuts its output down or closes. */
    private void serve(Endpoint end) {
        servers.add(Thread.currentThread());
        try (end; BufferedReader in = new BufferedReader(new InputStreamReader(end.inputStream(),
                StandardCharsets.UTF_8))) {
            OutputStream out = end.outputStream();
            for (String line; (line = in.readLine()) != null; ) {
                out.write((line.toUpperCase(Locale.ROOT) + "\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        threads.shutdown();
    }
    // cookbook:server end

    /**
     * {@code Executors.newVirtualThreadPerTaskExecutor()}, called reflectively: this module is compiled for Java 17,
     * where the method does not exist (on JDK 21+ code, call it directly).
     */
    static ExecutorService newVirtualThreadPerTaskExecutor() {
        try {
            return (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
        } catch (ReflectiveOperationException e) {
            throw new UnsupportedOperationException("virtual threads need JDK 21 or later", e);
        }
    }

    /** {@code Thread.isVirtual()}, reflectively (JDK 21+). */
    static boolean isVirtual(Thread t) {
        try {
            return (Boolean) Thread.class.getMethod("isVirtual").invoke(t);
        } catch (ReflectiveOperationException e) {
            return false;
        }
    }
}
