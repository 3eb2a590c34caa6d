package io.github.jsocketpair.cli;

import io.github.jsocketpair.Endpoint;
import io.github.jsocketpair.SocketPair;
import java.io.Closeable;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * {@code bench}: a quick (about 30 seconds) comparison of jsocketpair, the JDK's Unix-domain channels (bind a
 * temporary path, connect, accept) and loopback TCP, with a progress bar and a table at the end. A plain timed loop,
 * no JMH: each cell warms up, then runs for a fixed time; the full comparison with C and the other libraries is the
 * {@code bench} module's {@code run.sh}.
 */
final class BenchCommand implements Command {
    private static final String[] WORKLOADS = {"create+close", "1B write+read", "ping-pong p50", "ping-pong p99",
        "64KiB chunk", "1KiB chunk", "64B record"};
    private static final String[] CONTENDERS = {"jsocketpair", "JDK unix channels", "loopback TCP"};
    /** Timed steps per contender: create, write+read, ping-pong, three throughputs. */
    private static final int STEPS = 6;

    private PrintStream out;
    private long warmupNanos;
    private long measureNanos;
    private boolean bar;
    private int done;
    private final int total = CONTENDERS.length * STEPS;

    @Override
    public String name() {
        return "bench";
    }

    @Override
    public String arguments() {
        return "[--seconds N]";
    }

    @Override
    public String summary() {
        return "compare jsocketpair with JDK Unix-domain channels and loopback TCP (about 30 seconds)";
    }

    @Override
    public String help() {
        return """
                Times jsocketpair, the JDK's Unix-domain channels (bind a temporary path, connect, accept) and
                loopback TCP on the same workloads: pair create+close, 1-byte write+read, 1-byte ping-pong
                (p50, p99), 64 KiB and 1 KiB chunks and 64-byte records written while a second thread reads.
                Shows a progress bar, then a table with each time and its ratio to jsocketpair's. A plain timed
                loop (no JMH, threads not pinned); the full comparison with C and the other libraries is
                bench/run.sh in the source tree.

                  --seconds N   total time, default 30

                Exit status: 0, 1 if a contender failed, 3 when there is no backend for this platform.
                """;
    }

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) {
        double seconds = 30;
        for (int i = 0; i < args.size(); i++) {
            if (args.get(i).equals("--seconds") && i + 1 < args.size()) {
                try {
                    seconds = Double.parseDouble(args.get(++i));
                } catch (NumberFormatException e) {
                    seconds = -1;
                }
                if (!(seconds > 0)) {
                    err.println("jsocketpair bench: --seconds needs a positive number");
                    return Exit.USAGE;
                }
            } else {
                err.println("jsocketpair bench: unexpected argument " + args.get(i));
                return Exit.USAGE;
            }
        }
        this.out = out;
        double perStep = seconds / total;
        this.warmupNanos = (long) (perStep * 0.3e9); // each step warms up for a third of its time
        this.measureNanos = (long) (perStep * 0.7e9);
        this.bar = System.console() != null;
        this.done = 0;
        double[][] cells = new double[CONTENDERS.length][];
        try {
            for (int c = 0; c < CONTENDERS.length; c++) {
                cells[c] = contender(c);
            }
        } catch (UnsupportedOperationException e) {
            err.println("jsocketpair bench: " + e.getMessage());
            return Exit.NO_BACKEND;
        } catch (IOException | RuntimeException e) {
            err.println("jsocketpair bench: " + CONTENDERS[Math.min(done / STEPS, CONTENDERS.length - 1)]
                    + " failed: " + e);
            return Exit.FAILED;
        }
        if (bar) {
            out.print("\r" + " ".repeat(79) + "\r");
        }
        out.println();
        out.print(table(cells));
        return Exit.OK;
    }

    // ---- contenders -------------------------------------------------------------------------------------------------

    /** A connected pair as two byte channels. */
    private record Pair(ByteChannel a, ByteChannel b, Closeable closer) implements Closeable {
        @Override
        public void close() throws IOException {
            closer.close();
        }
    }

    private static Pair open(int contender) throws IOException {
        switch (contender) {
            case 0 -> {
                SocketPair p = SocketPair.open();
                Endpoint a = p.first();
                Endpoint b = p.second();
                return new Pair(a, b, p);
            }
            case 1 -> {
                Path path = tempDir().resolve("s" + (++sockets));
                try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
                    server.bind(UnixDomainSocketAddress.of(path));
                    SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX);
                    c.connect(UnixDomainSocketAddress.of(path));
                    SocketChannel s = server.accept();
                    return new Pair(c, s, () -> closeAll(c, s));
                } finally {
                    Files.deleteIfExists(path);
                }
            }
            default -> {
                try (ServerSocketChannel server = ServerSocketChannel.open()) {
                    server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1);
                    SocketChannel c = SocketChannel.open(server.getLocalAddress());
                    SocketChannel s = server.accept();
                    for (SocketChannel ch : new SocketChannel[] {c, s}) {
                        ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
                        ch.setOption(StandardSocketOptions.SO_LINGER, 0); // no TIME_WAIT pile-up
                    }
                    return new Pair(c, s, () -> closeAll(c, s));
                }
            }
        }
    }

    private static Path dir;
    private static long sockets;

    /** One private directory for the JDK contender's socket paths, removed at exit. */
    private static Path tempDir() throws IOException {
        if (dir == null) {
            dir = Files.createTempDirectory("jsp-bench");
            dir.toFile().deleteOnExit();
        }
        return dir;
    }

    private static void closeAll(Closeable... cs) throws IOException {
        IOException first = null;
        for (Closeable c : cs) {
            try {
                c.close();
            } catch (IOException e) {
                first = first == null ? e : first;
            }
        }
        if (first != null) {
            throw first;
        }
    }

    // ---- workloads --------------------------------------------------------------------------------------------------

    /** One step of a timed loop. */
    private interface Op {
        void run() throws IOException;
    }

    /** Runs {@code op} for the warm-up time, then for the measuring time; returns ns per op. */
    private double time(String what, Op op) throws IOException {
        progress(what);
        long end = System.nanoTime() + warmupNanos;
        while (System.nanoTime() < end) {
            for (int i = 0; i < 16; i++) {
                op.run();
            }
        }
        long ops = 0;
        long start = System.nanoTime();
        long now = start;
        end = start + measureNanos;
        while (now < end) {
            for (int i = 0; i < 16; i++) {
                op.run();
            }
            ops += 16;
            now = System.nanoTime();
        }
        done++;
        return (now - start) / (double) ops;
    }

    private void progress(String what) {
        if (!bar) {
            out.printf(Locale.ROOT, "[%2d/%d] %s%n", done + 1, total, what);
            return;
        }
        int width = 30;
        int filled = done * width / total;
        out.printf(Locale.ROOT, "\r[%s%s] %3d%% %-40s", "#".repeat(filled), ".".repeat(width - filled),
                done * 100 / total, what);
        out.flush();
    }

    private double[] contender(int c) throws IOException {
        String name = CONTENDERS[c];
        double[] r = new double[WORKLOADS.length];
        r[0] = time(name + ": create+close", () -> open(c).close());
        try (Pair p = open(c)) {
            ByteBuffer w = ByteBuffer.allocateDirect(1);
            ByteBuffer rd = ByteBuffer.allocateDirect(1);
            r[1] = time(name + ": 1B write+read", () -> {
                w.clear();
                p.a().write(w);
                rd.clear();
                p.b().read(rd);
            });
            double[] pct = pingPong(name, p);
            r[2] = pct[0];
            r[3] = pct[1];
        }
        r[4] = throughput(name, c, 65536);
        r[5] = throughput(name, c, 1024);
        r[6] = throughput(name, c, 64);
        return r;
    }

    /** Round trips to an echo thread, each timed: p50 and p99. */
    private double[] pingPong(String name, Pair p) throws IOException {
        Thread echo = helper(() -> {
            ByteBuffer b = ByteBuffer.allocateDirect(1);
            for (;;) {
                b.clear();
                if (p.b().read(b) < 0) {
                    return;
                }
                b.flip();
                p.b().write(b);
            }
        });
        ByteBuffer b = ByteBuffer.allocateDirect(1);
        Op trip = () -> {
            b.clear();
            p.a().write(b);
            b.clear();
            while (b.hasRemaining()) {
                if (p.a().read(b) < 0) {
                    throw new IOException("echo ended");
                }
            }
        };
        time(name + ": ping-pong", trip); // warm-up and a first pass
        long[] samples = new long[1 << 20];
        int n = 0;
        long end = System.nanoTime() + measureNanos;
        while (n < samples.length) {
            long t0 = System.nanoTime();
            trip.run();
            long t1 = System.nanoTime();
            samples[n++] = t1 - t0;
            if (t1 > end) {
                break;
            }
        }
        p.a().close();
        join(echo);
        long[] s = Arrays.copyOf(samples, n);
        Arrays.sort(s);
        return new double[] {s[n / 2], s[n * 99 / 100]};
    }

    /** Writes {@code chunk}-byte chunks while a second thread drains them: ns per chunk. */
    private double throughput(String name, int c, int chunk) throws IOException {
        Pair p = open(c);
        try {
            Thread drain = helper(() -> {
                ByteBuffer b = ByteBuffer.allocateDirect(chunk);
                for (;;) {
                    b.clear();
                    if (p.b().read(b) < 0) {
                        return;
                    }
                }
            });
            ByteBuffer b = ByteBuffer.allocateDirect(chunk);
            String what = chunk == 64 ? "64B records" : (chunk / 1024) + "KiB chunks";
            double ns = time(name + ": " + what, () -> {
                b.clear();
                while (b.hasRemaining()) {
                    p.a().write(b);
                }
            });
            p.a().close();
            join(drain);
            return ns;
        } finally {
            p.close();
        }
    }

    private interface Body {
        void run() throws IOException;
    }

    private static Thread helper(Body body) {
        Thread t = new Thread(() -> {
            try {
                body.run();
            } catch (IOException e) {
                // the other end closed under us: done
            }
        }, "bench-helper");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static void join(Thread t) {
        try {
            t.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- the table --------------------------------------------------------------------------------------------------

    static String fmt(double ns) {
        if (ns >= 1e6) {
            return String.format(Locale.ROOT, "%.2fms", ns / 1e6);
        }
        if (ns >= 1e3) {
            return String.format(Locale.ROOT, "%.2fµs", ns / 1e3);
        }
        return String.format(Locale.ROOT, "%.0fns", ns);
    }

    /** Rows contenders, columns workloads; each cell its time and its ratio to jsocketpair's (lower is better). */
    static String table(double[][] cells) {
        List<List<String>> rows = new ArrayList<>();
        List<String> header = new ArrayList<>();
        header.add("contender");
        header.addAll(Arrays.asList(WORKLOADS));
        rows.add(header);
        for (int c = 0; c < cells.length; c++) {
            List<String> row = new ArrayList<>();
            row.add(CONTENDERS[c]);
            for (int w = 0; w < WORKLOADS.length; w++) {
                row.add(fmt(cells[c][w]) + (c == 0 ? "" : String.format(Locale.ROOT, " %.2f×",
                        cells[c][w] / cells[0][w])));
            }
            rows.add(row);
        }
        int[] width = new int[header.size()];
        for (List<String> r : rows) {
            for (int i = 0; i < r.size(); i++) {
                width[i] = Math.max(width[i], r.get(i).length());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (int k = 0; k < rows.size(); k++) {
            List<String> r = rows.get(k);
            sb.append('|');
            for (int i = 0; i < r.size(); i++) {
                String pad = " ".repeat(width[i] - r.get(i).length());
                sb.append(' ').append(i == 0 ? r.get(i) + pad : pad + r.get(i)).append(" |");
            }
            sb.append('\n');
            if (k == 0) {
                sb.append('|');
                for (int i = 0; i < width.length; i++) {
                    sb.append(i == 0 ? ":" : "-").append("-".repeat(width[i])).append(i == 0 ? "-|" : ":|");
                }
                sb.append('\n');
            }
        }
        sb.append("\nTime per operation (ping-pong: percentiles of timed round trips; chunks and records: per write "
                + "while a second thread reads), then the ratio to jsocketpair's time (lower is better). Direct "
                + "buffers, blocking mode, threads not pinned; a short run, so expect some noise. The full "
                + "comparison (C, junixsocket, jnr-unixsocket, Pipe, pinned placements): bench/run.sh.\n");
        return sb.toString();
    }
}
