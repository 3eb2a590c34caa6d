package io.github.jsocketpair.cli;

import io.github.jsocketpair.Endpoint;
import io.github.jsocketpair.SocketPair;
import io.github.jsocketpair.BackendInfo;
import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStreamReader;
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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code bench}: a quick (about 30 seconds) comparison of jsocketpair, the JDK's Unix-domain channels (bind a
 * temporary path, connect, accept) and loopback TCP, with a progress bar and a table at the end. A plain timed loop,
 * no JMH: each cell warms up, then runs for a fixed time. Each contender runs in a fresh JVM of its own (this jar
 * started again with {@code --contender N}, so one contender's JIT state and garbage never weigh on the next), with
 * its two threads pinned to one CPU as {@code bench/run.sh}'s one-CPU placement does, where
 * {@code sched_setaffinity} works. The full comparison with C and the other libraries is the {@code bench} module's
 * {@code run.sh}.
 */
final class BenchCommand implements Command {
    private static final String[] WORKLOADS = {"create+close", "1B write+read", "ping-pong p50", "ping-pong p99",
        "64KiB chunk", "1KiB chunk", "64B record"};
    private static final String[] CONTENDERS = {"jsocketpair", "JDK unix channels", "loopback TCP"};
    /** Timed steps per contender: create, write+read, ping-pong, three throughputs. */
    private static final int STEPS = 6;
    /** The child's lines on standard output that the parent reads; anything else is passed through. */
    static final String PROGRESS = "bench-progress ";
    static final String RESULT = "bench-result ";
    static final String PINNED = "bench-pinned ";

    private PrintStream out;
    private long warmupNanos;
    private long measureNanos;
    private boolean bar;
    private int done;
    private int total;
    /** Whether this JVM runs one contender for a parent, which draws the progress. */
    private boolean childMode;
    /** The CPU both threads are pinned to in a child, or -1 when not pinned. */
    private int cpu = -1;

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
                Each contender runs in a fresh JVM (the same java and options), its main and helper thread
                pinned to one CPU with sched_setaffinity (Linux; elsewhere, or where the call fails, the table
                says the threads were not pinned). The header names the JDK and the binding jsocketpair's calls
                went through (JNA, or java.lang.foreign on JDK 22+). Shows a progress bar, then a table with each
                time and its ratio to jsocketpair's. A plain timed loop, no JMH; the full comparison with C and
                the other libraries is bench/run.sh in the source tree.

                  --seconds N   total time, default 30

                Exit status: 0, 1 if a contender failed, 3 when there is no backend for this platform.
                """;
    }

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) {
        double seconds = 30;
        int contender = -1;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if ((a.equals("--seconds") || a.equals("--contender")) && i + 1 < args.size()) {
                double v;
                try {
                    v = Double.parseDouble(args.get(++i));
                } catch (NumberFormatException e) {
                    v = -1;
                }
                if (a.equals("--seconds")) {
                    if (!(v > 0)) {
                        err.println("jsocketpair bench: --seconds needs a positive number");
                        return Exit.USAGE;
                    }
                    seconds = v;
                } else {
                    if (v < 0 || v >= CONTENDERS.length || v != Math.rint(v)) {
                        err.println("jsocketpair bench: --contender takes 0 to " + (CONTENDERS.length - 1));
                        return Exit.USAGE;
                    }
                    contender = (int) v;
                }
            } else {
                err.println("jsocketpair bench: unexpected argument " + a);
                return Exit.USAGE;
            }
        }
        this.out = out;
        return contender >= 0 ? child(contender, seconds, err) : parent(seconds, out, err);
    }

    // ---- the parent: one fresh JVM per contender ----------------------------------------------------------------

    private int parent(double seconds, PrintStream out, PrintStream err) {
        Optional<BackendInfo> found = Platform.find(err);
        if (found.isEmpty()) {
            return Exit.NO_BACKEND;
        }
        this.bar = System.console() != null;
        this.total = CONTENDERS.length * STEPS;
        this.done = 0;
        double[][] cells = new double[CONTENDERS.length][];
        String pinned = null;
        for (int c = 0; c < CONTENDERS.length; c++) {
            List<String> command = childCommand(c, seconds / CONTENDERS.length);
            ChildOutcome outcome;
            try {
                outcome = runChild(command, err);
            } catch (IOException e) {
                err.println("jsocketpair bench: could not start a JVM for " + CONTENDERS[c] + ": " + e);
                return Exit.FAILED;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Exit.FAILED;
            }
            if (outcome.status() != 0 || outcome.cells() == null) {
                err.println("jsocketpair bench: " + CONTENDERS[c] + " failed (its JVM exited with "
                        + outcome.status() + "): " + String.join(" ", command));
                return outcome.status() == Exit.NO_BACKEND ? Exit.NO_BACKEND : Exit.FAILED;
            }
            cells[c] = outcome.cells();
            pinned = pinned == null ? outcome.pinned() : pinned;
        }
        if (bar) {
            out.print("\r" + " ".repeat(79) + "\r");
        }
        out.println();
        out.print(header(found.get().detail(), Runtime.version().feature(), System.getProperty("java.version"),
                System.getProperty("java.vendor"), pinned));
        out.println();
        out.print(table(cells));
        return Exit.OK;
    }

    /** What a child JVM reported: its exit status, its row (null if it sent none) and how it was pinned. */
    private record ChildOutcome(int status, double[] cells, String pinned) {
    }

    /**
     * The command that runs one contender in a fresh JVM: this JVM's java and class path (the jar, for
     * {@code java -jar}), native access granted (the manifest's grant holds for {@code -jar} only), and the system
     * properties that choose jsocketpair's backend and binding passed on.
     */
    static List<String> childCommand(int contender, double seconds) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-XX:+IgnoreUnrecognizedVMOptions");
        cmd.add("--enable-native-access=ALL-UNNAMED");
        for (String key : List.of("jsocketpair.foreign", "jsocketpair.backend", "jna.boot.library.path",
                "jna.library.path")) {
            String v = System.getProperty(key);
            if (v != null) {
                cmd.add("-D" + key + "=" + v);
            }
        }
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(Main.class.getName());
        cmd.add("bench");
        cmd.add("--contender");
        cmd.add(Integer.toString(contender));
        cmd.add("--seconds");
        cmd.add(String.format(Locale.ROOT, "%.3f", seconds));
        return cmd;
    }

    private ChildOutcome runChild(List<String> command, PrintStream err) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        p.getOutputStream().close();
        double[] cells = null;
        String pinned = "";
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                if (line.startsWith(PROGRESS)) {
                    progress(line.substring(PROGRESS.length()));
                    done++;
                } else if (line.startsWith(RESULT)) {
                    cells = parseResult(line.substring(RESULT.length()));
                } else if (line.startsWith(PINNED)) {
                    pinned = line.substring(PINNED.length());
                } else {
                    err.println(line);
                }
            }
        }
        return new ChildOutcome(p.waitFor(), cells, pinned);
    }

    /** A child's row: the workloads' times in ns, space-separated. */
    static double[] parseResult(String text) {
        String[] parts = text.trim().split(" ");
        if (parts.length != WORKLOADS.length) {
            throw new IllegalArgumentException("expected " + WORKLOADS.length + " numbers: " + text);
        }
        double[] r = new double[parts.length];
        for (int i = 0; i < parts.length; i++) {
            r[i] = Double.parseDouble(parts[i]);
        }
        return r;
    }

    /**
     * The lines above the table: the JDK and the binding jsocketpair used, how the threads were placed, and on
     * JDK 17-21 that JDK 22+ takes the faster {@code java.lang.foreign} binding.
     *
     * @param detail the backend's {@link BackendInfo#detail()}, which names the binding
     * @param feature the JDK's feature version
     * @param pinned what the children said about pinning: "cpu N", or "no: why"
     */
    static String header(String detail, int feature, String javaVersion, String javaVendor, String pinned) {
        String binding = binding(detail);
        StringBuilder sb = new StringBuilder();
        sb.append("JDK ").append(javaVersion).append(" (").append(javaVendor).append("), jsocketpair through ")
                .append(binding).append(" (").append(detail).append(")\n");
        sb.append("Each contender in a fresh JVM; ");
        if (pinned != null && pinned.startsWith("cpu ")) {
            sb.append("main and helper thread pinned to CPU ").append(pinned.substring(4))
                    .append(" (sched_setaffinity), as bench/run.sh's one-CPU placement.\n");
        } else {
            sb.append("threads NOT pinned (").append(pinned == null || pinned.isEmpty() ? "unknown"
                    : pinned.replaceFirst("^no: ", "")).append("): expect more noise.\n");
        }
        if (feature < 22) {
            sb.append("JDK ").append(feature).append(" runs the JNA binding; on JDK 22 or later jsocketpair makes"
                    + " its hot calls through java.lang.foreign, which is faster.\n");
        } else if (binding.equals("JNA")) {
            sb.append("JDK ").append(feature).append(" but the JNA binding: the jar was built without JDK 22+"
                    + " (no META-INF/versions/22) or -Djsocketpair.foreign=false is set.\n");
        }
        return sb.toString();
    }

    /** "java.lang.foreign" or "JNA", from the backend's detail text; the detail itself when it names neither. */
    static String binding(String detail) {
        if (detail.contains("java.lang.foreign")) {
            return "java.lang.foreign";
        }
        if (detail.contains("JNA")) {
            return "JNA";
        }
        return detail;
    }

    // ---- a child: one contender, pinned ----------------------------------------------------------------------------

    private int child(int contender, double seconds, PrintStream err) {
        this.childMode = true;
        this.total = STEPS;
        double perStep = seconds / STEPS;
        this.warmupNanos = (long) (perStep * 0.3e9); // each step warms up for a third of its time
        this.measureNanos = (long) (perStep * 0.7e9);
        String pinned;
        try {
            int c = Affinity.firstAllowedCpu();
            Affinity.pin(c);
            cpu = c;
            pinned = "cpu " + c;
        } catch (IllegalStateException | LinkageError e) {
            pinned = "no: " + e.getMessage();
        }
        out.println(PINNED + pinned);
        double[] cells;
        try {
            cells = contender(contender);
        } catch (UnsupportedOperationException e) {
            err.println("jsocketpair bench: " + e.getMessage());
            return Exit.NO_BACKEND;
        } catch (IOException | RuntimeException e) {
            err.println("jsocketpair bench: " + CONTENDERS[contender] + " failed: " + e);
            return Exit.FAILED;
        }
        StringBuilder sb = new StringBuilder(RESULT);
        for (int i = 0; i < cells.length; i++) {
            sb.append(i == 0 ? "" : " ").append(String.format(Locale.ROOT, "%.3f", cells[i]));
        }
        out.println(sb);
        out.flush();
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
        done++;
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
        return (now - start) / (double) ops;
    }

    private void progress(String what) {
        if (childMode) { // the parent draws
            out.println(PROGRESS + what);
            out.flush();
            return;
        }
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

    /** The second thread (echo, drain), on the main thread's CPU when the child is pinned. */
    private Thread helper(Body body) {
        int pinTo = cpu;
        Thread t = new Thread(() -> {
            try {
                if (pinTo >= 0) {
                    Affinity.pin(pinTo);
                }
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
                + "buffers, blocking mode; a short run, so expect some noise. The full comparison (C, "
                + "junixsocket, jnr-unixsocket, Pipe, both placements, JMH): bench/run.sh.\n");
        return sb.toString();
    }
}
