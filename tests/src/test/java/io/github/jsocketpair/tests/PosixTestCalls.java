package io.github.jsocketpair.tests;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Platform;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * What the descriptor-passing and child-process tests need that the public API does not offer: open(2) a file, read
 * and seek through a bare descriptor number, look at FD_CLOEXEC of any descriptor, and list this process's
 * descriptors. Test-only; x86/arm/riscv/s390/powerpc/mips Linux numbers (O_CLOEXEC 02000000, F_GETFD 1).
 */
final class PosixTestCalls {
    private PosixTestCalls() {
    }

    interface C extends Library {
        C INSTANCE = Native.load(Platform.C_LIBRARY_NAME, C.class);

        int open(String path, int flags);

        NativeLong read(int fd, byte[] buf, NativeLong count);

        NativeLong lseek(int fd, NativeLong offset, int whence);

        int fcntl(int fd, int cmd, int arg);

        int close(int fd);

        int setsockopt(int fd, int level, int optname, int[] optval, int optlen);
    }

    /** {@code setsockopt(fd, level, name, &value, sizeof(int))}. */
    static void setIntOption(int fd, int level, int name, int value) throws IOException {
        if (C.INSTANCE.setsockopt(fd, level, name, new int[] {value}, 4) != 0) {
            throw new IOException("setsockopt(" + fd + ", " + level + ", " + name + ") failed: errno "
                    + Native.getLastError());
        }
    }

    static final int O_RDONLY = 0;
    static final int O_CLOEXEC = 0x80000;
    static final int F_GETFD = 1;
    static final int FD_CLOEXEC = 1;
    static final int SEEK_SET = 0;

    /** open(2) read-only and close-on-exec; the caller closes the number. */
    static int openReadOnly(Path file) throws IOException {
        int fd = C.INSTANCE.open(file.toString(), O_RDONLY | O_CLOEXEC);
        if (fd < 0) {
            throw new IOException("open(" + file + ") failed: errno " + Native.getLastError());
        }
        return fd;
    }

    /** Reads up to {@code max} bytes through the descriptor number, from its current offset. */
    static String read(int fd, int max) throws IOException {
        byte[] b = new byte[max];
        long n = C.INSTANCE.read(fd, b, new NativeLong(max)).longValue();
        if (n < 0) {
            throw new IOException("read(" + fd + ") failed: errno " + Native.getLastError());
        }
        return new String(b, 0, (int) n, java.nio.charset.StandardCharsets.UTF_8);
    }

    static void seek(int fd, long offset) throws IOException {
        if (C.INSTANCE.lseek(fd, new NativeLong(offset), SEEK_SET).longValue() < 0) {
            throw new IOException("lseek(" + fd + ") failed: errno " + Native.getLastError());
        }
    }

    static boolean isCloseOnExec(int fd) throws IOException {
        int flags = C.INSTANCE.fcntl(fd, F_GETFD, 0);
        if (flags < 0) {
            throw new IOException("fcntl(" + fd + ", F_GETFD) failed: errno " + Native.getLastError());
        }
        return (flags & FD_CLOEXEC) != 0;
    }

    static boolean isOpen(int fd) {
        return C.INSTANCE.fcntl(fd, F_GETFD, 0) >= 0;
    }

    static void close(int fd) {
        C.INSTANCE.close(fd);
    }

    /**
     * Does once what opens descriptors for good on first use, so that counts taken afterwards see only what a test
     * leaks: the JVM keeps the jars of classes it loads open, JNA extracts and loads its native library, and the
     * JDK's FileDispatcherImpl creates a socketpair on the first FileChannel (its "pre-close" descriptor, one end
     * kept for the life of the JVM: a lone socket whose peer is gone).
     */
    static synchronized void warmUp() throws Exception {
        Path tmp = Files.createTempFile("jsocketpair-warm-up", ".txt");
        try {
            Files.writeString(tmp, "warm");
            Files.readString(tmp);
        } finally {
            Files.delete(tmp);
        }
        try (io.github.jsocketpair.SocketPair pair = io.github.jsocketpair.SocketPair.open()) {
            pair.first().sendDescriptors(java.nio.ByteBuffer.wrap(new byte[1]), pair.second());
            pair.second().receive(java.nio.ByteBuffer.allocate(1)).closeDescriptors();
            io.github.jsocketpair.ChildProcess c = io.github.jsocketpair.ChildProcess.builder("true")
                    .stdin(pair.second()).start();
            c.waitFor();
            c.toString();
            c.onExit().get();
        }
        openDescriptors();
        isCloseOnExec(0);
    }

    /** The descriptor numbers open in this process now. */
    static Set<Integer> openDescriptors() throws IOException {
        Set<Integer> fds = new TreeSet<>();
        try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
            s.forEach(p -> fds.add(Integer.parseInt(p.getFileName().toString())));
        }
        return fds;
    }

    /** How many descriptors are open, not counting the one listing /proc/self/fd used. */
    static int countDescriptors() throws IOException {
        return openDescriptors().size();
    }

    /** This process's descriptors and what each refers to; the listing's own descriptor is left out. */
    static java.util.Map<Integer, String> snapshot() throws IOException {
        java.util.Map<Integer, String> m = new java.util.TreeMap<>();
        for (int fd : openDescriptors()) {
            try {
                m.put(fd, target(fd));
            } catch (IOException e) {
                // the listing's own descriptor, closed by now
            }
        }
        return m;
    }

    /**
     * How long a count may take to settle: other threads of the test JVM (surefire's parent-process checker reads
     * /proc) open and close descriptors of their own now and then; a real leak stays, theirs goes.
     */
    private static final long SETTLE_NANOS = 2_000_000_000L;

    /** Asserts that {@code expected} descriptors are open, allowing another thread's short-lived one to go. */
    static void assertCount(int expected, String message) throws IOException {
        long deadline = System.nanoTime() + SETTLE_NANOS;
        int n;
        while ((n = countDescriptors()) != expected && System.nanoTime() < deadline) {
            pause();
        }
        if (n != expected) {
            throw new AssertionError((message == null ? "" : message + ": ") + expected + " descriptors expected, "
                    + n + " open: " + snapshot());
        }
    }

    /**
     * Lets the garbage collector close what dead threads left behind before a count is taken: every platform thread
     * that ever waited in the engine has a wake-up descriptor (an eventfd) that a Cleaner closes only once the thread
     * is gone and collected, so a collection in the middle of a test would make earlier tests' threads' descriptors
     * vanish from its count. Collects until the number of eventfds stops changing.
     */
    static void collectDeadThreadsDescriptors() throws IOException {
        long last = -1;
        for (int i = 0; i < 20; i++) {
            System.gc();
            pause();
            long now = snapshot().values().stream().filter("anon_inode:[eventfd]"::equals).count();
            if (now == last) {
                return;
            }
            last = now;
        }
    }

    /** A count to compare with later: the lowest of a few reads, so another thread's short-lived one is left out. */
    static int baseline() throws IOException {
        collectDeadThreadsDescriptors();
        int min = Integer.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            min = Math.min(min, countDescriptors());
            pause();
        }
        return min;
    }

    /** A snapshot to compare with later: two equal reads in a row. */
    static java.util.Map<Integer, String> stableSnapshot() throws IOException {
        collectDeadThreadsDescriptors();
        java.util.Map<Integer, String> last = snapshot();
        for (int i = 0; i < 50; i++) {
            pause();
            java.util.Map<Integer, String> now = snapshot();
            if (now.equals(last)) {
                return now;
            }
            last = now;
        }
        return last;
    }

    static void assertCount(int expected) throws IOException {
        assertCount(expected, null);
    }

    private static void pause() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Fails naming every descriptor that differs from {@code before} (after letting a transient one go). */
    static void assertNoNewDescriptors(java.util.Map<Integer, String> before) throws IOException {
        long deadline = System.nanoTime() + SETTLE_NANOS;
        java.util.Map<Integer, String> now;
        while (!(now = snapshot()).equals(before) && System.nanoTime() < deadline) {
            pause();
        }
        if (!now.equals(before)) {
            java.util.Map<Integer, String> extra = new java.util.TreeMap<>(now);
            extra.entrySet().removeAll(before.entrySet());
            java.util.Map<Integer, String> gone = new java.util.TreeMap<>(before);
            gone.entrySet().removeAll(now.entrySet());
            throw new AssertionError("descriptors changed: new " + extra + ", gone " + gone);
        }
    }

    /** What a descriptor refers to, as /proc/self/fd shows it (e.g. {@code socket:[1234]} or a path). */
    static String target(int fd) throws IOException {
        return Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString();
    }
}
