package io.github.jsocketpair.tests;

import io.github.jsocketpair.Domain;
import io.github.jsocketpair.Endpoint;
import io.github.jsocketpair.SocketPair;
import io.github.jsocketpair.SocketType;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;

/**
 * A child JVM's {@code main} for {@link EngineContract}'s allocation check: for each hot path (a 1-byte write and
 * read through a direct buffer, a small heap buffer, the stream views' array and single-byte calls) it prints
 * {@code ALLOC path bytes} with the fewest bytes this thread allocated per write and read in a round of 50,000
 * calls, running rounds until one allocates nothing or 30 s have passed (the JIT compiles late on a busy or emulated
 * host). A JVM of its own, so that the JIT's profile is this loop's and not that of every test before it: on
 * JDK 22+ the java.lang.foreign calls make small objects (the errno capture's slice, a buffer's segment) that C2
 * scalar-replaces once it has compiled the path, which a profile polluted by other buffer types can prevent.
 */
public final class AllocationProbe {
    private static final int CALLS = 50_000;
    /** Rounds go on until one allocates nothing or this much time passed: the JIT is slow on a busy or emulated host. */
    private static final long LIMIT_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(30);

    /** The paths, in output order. */
    enum HotPath {
        DIRECT_BUFFER, SMALL_HEAP_BUFFER, STREAM_ARRAY, STREAM_BYTE
    }

    private AllocationProbe() {
    }

    /**
     * Measures every path.
     *
     * @param args unused
     * @throws IOException if a call fails
     */
    public static void main(String[] args) throws IOException {
        if (!(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean counter)) {
            System.out.println("SKIP no per-thread allocation counter");
            return;
        }
        for (HotPath path : HotPath.values()) {
            System.out.println("ALLOC " + path + " " + bestRound(counter, path));
        }
    }

    private static double bestRound(com.sun.management.ThreadMXBean counter, HotPath path) throws IOException {
        try (SocketPair p = SocketPair.open(Domain.UNIX, SocketType.STREAM)) {
            Endpoint a = p.first();
            Endpoint b = p.second();
            OutputStream out = a.outputStream();
            InputStream in = b.inputStream();
            boolean direct = path == HotPath.DIRECT_BUFFER;
            ByteBuffer src = direct ? ByteBuffer.allocateDirect(1) : ByteBuffer.allocate(1);
            ByteBuffer dst = direct ? ByteBuffer.allocateDirect(1) : ByteBuffer.allocate(1);
            byte[] one = new byte[1];
            long id = Thread.currentThread().getId();
            double best = Double.MAX_VALUE;
            long deadline = System.nanoTime() + LIMIT_NANOS;
            while (best >= 1 && System.nanoTime() - deadline < 0) {
                long before = counter.getThreadAllocatedBytes(id);
                for (int i = 0; i < CALLS; i++) {
                    switch (path) {
                        case DIRECT_BUFFER, SMALL_HEAP_BUFFER -> {
                            src.clear();
                            a.write(src);
                            dst.clear();
                            b.read(dst);
                        }
                        case STREAM_ARRAY -> {
                            out.write(one, 0, 1);
                            in.read(one, 0, 1);
                        }
                        case STREAM_BYTE -> {
                            out.write(7);
                            in.read();
                        }
                    }
                }
                best = Math.min(best, (counter.getThreadAllocatedBytes(id) - before) / (double) CALLS);
            }
            return best;
        }
    }
}
