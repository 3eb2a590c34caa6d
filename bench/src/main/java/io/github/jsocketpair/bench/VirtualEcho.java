package io.github.jsocketpair.bench;

import io.github.jsocketpair.SocketPair;
import io.github.jsocketpair.SocketType;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;

/**
 * The virtual-thread echo workload: N connected pairs, per pair an echo virtual thread (reads a 64-byte message,
 * writes it back) and a client virtual thread (writes the message, reads the echo, counts a round trip), all running
 * at once on the JDK's default virtual-thread scheduler; the result is round trips per second over all pairs.
 *
 * <p>Each contender and N runs in its own JVM ({@link #main}, the "child"), so a contender that freezes the scheduler
 * (a blocking read that pins its carrier) costs only its own point: the child reports {@code hung} when no round trip
 * completes for a while, and the parent ({@link #runAll}) kills a child that overruns its budget. The bench stays
 * JDK 17 bytecode: virtual threads are started through method handles to {@code Thread.ofVirtual()}, found at run
 * time; on JDK 17-20 the workload reports itself skipped.
 *
 * <pre>
 * java -cp benchmarks.jar io.github.jsocketpair.bench.VirtualEcho CONTENDER PAIRS WARMUP_MS ITERATION_MS ITERATIONS
 *     STALL_MS RAMP_MS
 * </pre>
 */
final class VirtualEcho {
    /** The contenders, in table order. */
    static final List<Contender> CONTENDERS = List.of(Contender.JDK_UNIX, Contender.JSOCKETPAIR,
            Contender.JUNIXSOCKET);
    /** Bytes per message. */
    static final int MESSAGE = 64;
    /** Counter stride in longs: one 64-byte line per pair, so that two carriers do not share a line. */
    private static final int STRIDE = 8;

    /** Why virtual threads cannot be used here, or null when they can. */
    static final String UNAVAILABLE;
    private static final MethodHandle OF_VIRTUAL; // () -> Thread.Builder.OfVirtual
    private static final MethodHandle NAME; // (OfVirtual, String) -> OfVirtual
    private static final MethodHandle START; // (Thread.Builder, Runnable) -> Thread

    static {
        MethodHandle of = null;
        MethodHandle name = null;
        MethodHandle start = null;
        String why = null;
        if (Runtime.version().feature() < 21) {
            why = "JDK " + Runtime.version() + " has no virtual threads (final in JDK 21); run with JDK 21+, e.g. "
                    + "bench/run.sh --jdk /usr/lib/jvm/temurin-25-jdk-amd64";
        } else {
            try {
                MethodHandles.Lookup l = MethodHandles.publicLookup();
                Class<?> builder = Class.forName("java.lang.Thread$Builder");
                Class<?> ofVirtual = Class.forName("java.lang.Thread$Builder$OfVirtual");
                of = l.findStatic(Thread.class, "ofVirtual", MethodType.methodType(ofVirtual));
                name = l.findVirtual(ofVirtual, "name", MethodType.methodType(ofVirtual, String.class));
                start = l.findVirtual(builder, "start", MethodType.methodType(Thread.class, Runnable.class));
            } catch (ReflectiveOperationException e) {
                why = "Thread.ofVirtual() not found on JDK " + Runtime.version() + ": " + e;
            }
        }
        UNAVAILABLE = why;
        OF_VIRTUAL = of;
        NAME = name;
        START = start;
    }

    private VirtualEcho() {
    }

    /** Starts a named virtual thread. */
    static Thread startVirtual(String name, Runnable r) {
        try {
            Object b = OF_VIRTUAL.invoke();
            b = NAME.invoke(b, name);
            return (Thread) START.invoke(b, r);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    // ---- the parent: every contender and N, one JVM each ----------------------------------------------------------

    /** What the parent runs. */
    static final class Settings {
        List<Integer> pairs = List.of(1, 100, 5000);
        /** Carriers: the scheduler's parallelism and maxPoolSize; default the CPU count (the JDK's default). */
        int carriers = Runtime.getRuntime().availableProcessors();
        long warmupMs = 1000;
        long iterationMs = 1000;
        int iterations = 5;
        long stallMs = 5000;
        /** Longest wait for every pair's first round trip before the warm-up proper. */
        long rampMs = 10_000;
        Pattern only = Pattern.compile(".*");
    }

    /** One point's outcome, as the child reported it. */
    record Point(String status, Map<String, String> kv, String library, String tail) {
        double rate() {
            return Double.parseDouble(kv.get("rate"));
        }

        String get(String k) {
            return kv.getOrDefault(k, "?");
        }
    }

    /** The key {@code --only} matches for a contender's row here. */
    static String key(Contender c) {
        return c.key() + ":STREAM:virtual";
    }

    /**
     * Runs every selected contender at every N, each in its own JVM, printing progress; returns the table (Markdown,
     * with its notes).
     */
    static String runAll(Settings s, PrintStream progress) throws IOException, InterruptedException {
        StringBuilder sb = new StringBuilder();
        sb.append("### Virtual threads: echo round trips per second (N pairs, ").append(MESSAGE)
                .append("-byte messages)\n\n");
        if (UNAVAILABLE != null) {
            String m = "Skipped: " + UNAVAILABLE + ".";
            progress.println("virtual-thread workload: " + m);
            return sb.append(m).append('\n').toString();
        }
        List<Contender> cs = new ArrayList<>();
        for (Contender c : CONTENDERS) {
            if (s.only.matcher(key(c)).find()) {
                cs.add(c);
            }
        }
        if (cs.isEmpty()) {
            return sb.append("(no contender matched --only; the keys here are ")
                    .append(String.join(", ", CONTENDERS.stream().map(VirtualEcho::key).toList())).append(")\n")
                    .toString();
        }
        long[] limit = openFileLimit();
        String config = "JDK " + Runtime.version() + " (" + System.getProperty("java.vm.name") + "), "
                + Runtime.getRuntime().availableProcessors() + " CPUs, virtual-thread scheduler parallelism "
                + s.carriers + " and maxPoolSize " + s.carriers + " (no compensating carriers), threads not pinned"
                + " to CPUs; RLIMIT_NOFILE soft " + fmtLimit(limit[0]) + ", hard " + fmtLimit(limit[1])
                + " (the JVM raises soft to hard); warm-up " + s.warmupMs + " ms after every pair has made a round"
                + " trip (waiting at most " + s.rampMs + " ms for that), then " + s.iterations + " × "
                + s.iterationMs + " ms; hung = no round trip anywhere for " + s.stallMs
                + " ms; one JVM per contender and N";
        progress.println("virtual-thread workload: " + config);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Map<Contender, Map<Integer, Point>> results = new LinkedHashMap<>();
        int total = cs.size() * s.pairs.size();
        int done = 0;
        for (int n : s.pairs) {
            for (Contender c : cs) {
                Point p = point(java, c, n, s);
                results.computeIfAbsent(c, k -> new LinkedHashMap<>()).put(n, p);
                done++;
                progress.printf(Locale.ROOT, "[virtual %d/%d] %-28s %6d pairs  %s%n", done, total, c.label, n,
                        describe(p));
            }
        }
        return table(sb, s, results, config);
    }

    private static Point point(String java, Contender c, int n, Settings s) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(java, "-XX:+IgnoreUnrecognizedVMOptions",
                "--enable-native-access=ALL-UNNAMED",
                "-Djdk.virtualThreadScheduler.parallelism=" + s.carriers,
                "-Djdk.virtualThreadScheduler.maxPoolSize=" + s.carriers,
                "-cp", System.getProperty("java.class.path"), VirtualEcho.class.getName(), c.key(),
                String.valueOf(n), String.valueOf(s.warmupMs), String.valueOf(s.iterationMs),
                String.valueOf(s.iterations), String.valueOf(s.stallMs), String.valueOf(s.rampMs)));
        Path log = Files.createTempFile("jsp-virtual", ".log");
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            // The child's own watchdog fires at 30 s + the phases + 2 stalls + 15 s; this is the backstop.
            long budgetMs = 60_000 + s.rampMs + s.warmupMs + s.iterations * s.iterationMs + 2 * s.stallMs;
            boolean killed = false;
            if (!p.waitFor(budgetMs, TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
                killed = true;
            }
            return parse(Files.readAllLines(log, StandardCharsets.UTF_8), killed, budgetMs);
        } finally {
            Files.deleteIfExists(log);
        }
    }

    static Point parse(List<String> lines, boolean killed, long budgetMs) {
        String status = null;
        Map<String, String> kv = new HashMap<>();
        String library = null;
        List<String> other = new ArrayList<>();
        for (String line : lines) {
            String[] w = line.split(" ", 2);
            switch (w[0]) {
                case "library" -> library = w.length > 1 ? w[1] : null;
                case "result", "hung", "failed", "skipped", "teardown" -> {
                    if (!w[0].equals("teardown")) {
                        status = w[0];
                    }
                    String rest = w.length > 1 ? w[1] : "";
                    while (!rest.isEmpty()) {
                        if (rest.startsWith("reason=")) {
                            kv.put("reason", rest.substring("reason=".length()));
                            break;
                        }
                        String[] kw = rest.split(" ", 2);
                        int eq = kw[0].indexOf('=');
                        if (eq > 0) {
                            kv.put(kw[0].substring(0, eq), kw[0].substring(eq + 1));
                        }
                        rest = kw.length > 1 ? kw[1] : "";
                    }
                }
                default -> other.add(line);
            }
        }
        if (killed) {
            status = "hung";
            kv.put("reason", "the JVM was killed after " + budgetMs / 1000 + " s");
        } else if (status == null) {
            status = "failed";
            kv.put("reason", "the child JVM printed no result");
        }
        String tail = String.join(" | ", other.subList(Math.max(0, other.size() - 3), other.size()));
        return new Point(status, kv, library, tail);
    }

    private static String describe(Point p) {
        return switch (p.status()) {
            case "result" -> fmtRate(p.rate()).replace("/s", "") + " round trips/s, " + p.get("ran") + "/"
                    + p.get("pairs") + " pairs ran while measured" + (p.get("ramp_ms").equals("timeout")
                            ? " (" + p.get("ever") + " ever ran)" : ", all had run " + p.get("ramp_ms")
                                    + " ms after the start") + ", iterations " + p.get("rates")
                    + ", " + p.get("carriers") + " carriers" + (p.kv().containsKey("carrier_syscalls")
                            ? " (in the kernel: " + p.get("carrier_syscalls") + ")" : "") + ", "
                    + p.get("fds") + " fds, peak RSS " + mib(p.get("rss_kib")) + ", teardown clean "
                    + p.get("clean");
            case "hung" -> "HUNG: " + p.get("reason") + (p.kv().containsKey("trips") ? "; " + p.get("trips")
                    + " round trips in all, " + p.get("ran") + "/" + p.get("pairs") + " pairs ever ran, "
                    + p.get("carriers") + " carriers, in the kernel: " + p.get("carrier_syscalls") : "");
            default -> p.status().toUpperCase(Locale.ROOT) + ": " + p.get("reason")
                    + (p.tail().isEmpty() ? "" : " [" + p.tail() + "]");
        };
    }

    private static String table(StringBuilder sb, Settings s, Map<Contender, Map<Integer, Point>> results,
            String config) {
        List<String> header = new ArrayList<>();
        header.add("contender");
        for (int n : s.pairs) {
            header.add(String.format(Locale.ROOT, "%,d %s", n, n == 1 ? "pair" : "pairs"));
        }
        Map<Integer, Point> jdk = results.get(Contender.JDK_UNIX);
        List<List<String>> body = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        for (Map.Entry<Contender, Map<Integer, Point>> e : results.entrySet()) {
            String lib = null;
            List<String> line = new ArrayList<>();
            for (int n : s.pairs) {
                Point p = e.getValue().get(n);
                if (p.library() != null) {
                    lib = p.library();
                }
                String cell;
                switch (p.status()) {
                    case "result" -> {
                        cell = fmtRate(p.rate()) + (Double.parseDouble(p.get("spread")) > 0.2 ? "~" : "");
                        Point base = jdk == null ? null : jdk.get(n);
                        if (!starved(p) && e.getKey() != Contender.JDK_UNIX && base != null
                                && base.status().equals("result") && !starved(base)) {
                            cell += String.format(Locale.ROOT, " %.2f×", p.rate() / base.rate());
                        }
                        if (starved(p)) {
                            cell = "starved: " + p.get("ran") + "/" + p.get("pairs") + " ran, " + cell;
                        }
                    }
                    case "hung" -> cell = "hung";
                    default -> cell = p.status();
                }
                line.add(cell);
                if (!p.status().equals("result") || starved(p)) {
                    notes.add(e.getKey().label + ", " + n + " pairs: " + describe(p));
                }
            }
            line.add(0, e.getKey() == Contender.JUNIXSOCKET && lib != null ? lib : e.getKey().label);
            body.add(line);
        }
        int[] w = new int[header.size()];
        for (int i = 0; i < w.length; i++) {
            w[i] = header.get(i).length();
            for (List<String> l : body) {
                w[i] = Math.max(w[i], l.get(i).length());
            }
        }
        row(sb, header, w);
        sb.append('|');
        for (int i = 0; i < w.length; i++) {
            sb.append(i == 0 ? ":" : "-").append("-".repeat(w[i])).append(i == 0 ? "-|" : ":|");
        }
        sb.append('\n');
        for (List<String> l : body) {
            row(sb, l, w);
        }
        sb.append('\n').append("Cells: round trips per second over all pairs (median of the iterations), then the "
                + "ratio to the JDK's channels at the same N (higher is better). '~': the iterations spread more "
                + "than 20%. 'starved: k/N ran': only k of the N pairs completed a round trip while measured (no ratio). "
                + "'hung': no "
                + "round trip anywhere for " + s.stallMs + " ms (or the JVM overran its budget); the point was "
                + "abandoned and its JVM ended.\n");
        sb.append("Configuration: ").append(config).append(".\n");
        List<String> per = new ArrayList<>();
        for (Map.Entry<Contender, Map<Integer, Point>> e : results.entrySet()) {
            for (Map.Entry<Integer, Point> q : e.getValue().entrySet()) {
                Point p = q.getValue();
                if (p.kv().containsKey("fds")) {
                    per.add(e.getKey().label + " at " + q.getKey() + ": " + p.get("carriers") + " carriers, "
                            + p.get("fds") + " fds, " + mib(p.get("rss_kib")));
                }
            }
        }
        if (!per.isEmpty()) {
            sb.append("Per point (carriers seen, descriptors open after setup, peak RSS): ").append(String.join("; ", per)).append(".\n");
        }
        for (String n : notes) {
            sb.append("NOTE: ").append(n).append('\n');
        }
        return sb.toString();
    }

    /** Some pairs never completed a round trip while measured. */
    private static boolean starved(Point p) {
        return !p.get("ran").equals(p.get("pairs"));
    }

    private static void row(StringBuilder sb, List<String> cells, int[] w) {
        sb.append('|');
        for (int i = 0; i < cells.size(); i++) {
            String c = cells.get(i);
            String pad = " ".repeat(w[i] - c.length());
            sb.append(' ').append(i == 0 ? c + pad : pad + c).append(" |");
        }
        sb.append('\n');
    }

    static String fmtRate(double r) {
        if (r >= 1e6) {
            return String.format(Locale.ROOT, "%.2fM/s", r / 1e6);
        }
        if (r >= 1e3) {
            return String.format(Locale.ROOT, "%.1fk/s", r / 1e3);
        }
        return String.format(Locale.ROOT, "%.0f/s", r);
    }

    private static String mib(String kib) {
        try {
            return Long.parseLong(kib) / 1024 + " MiB";
        } catch (NumberFormatException e) {
            return "?";
        }
    }

    private static String fmtLimit(long v) {
        return v < 0 ? "unknown" : v == Long.MAX_VALUE ? "unlimited" : String.valueOf(v);
    }

    // ---- the child: one contender, one N ---------------------------------------------------------------------------

    /**
     * Measures one point and prints one status line ({@code result}, {@code hung}, {@code failed} or
     * {@code skipped}, then {@code key=value} words; {@code reason=} takes the rest of the line), then exits.
     *
     * @param args contender key, pairs, warm-up ms, iteration ms, iterations, stall ms, ramp cap ms
     */
    public static void main(String[] args) {
        PrintStream out = System.out;
        int status;
        try {
            status = child(out, Contender.of(args[0]), Integer.parseInt(args[1]), Long.parseLong(args[2]),
                    Long.parseLong(args[3]), Integer.parseInt(args[4]), Long.parseLong(args[5]),
                    Long.parseLong(args[6]));
        } catch (Throwable t) {
            out.println("failed reason=" + oneLine(t));
            status = 1;
        }
        out.flush();
        // Threads pinned in native reads must not keep the JVM alive, nor a shutdown hook: halt if exit stalls.
        Thread halter = new Thread(() -> {
            sleep(5000);
            Runtime.getRuntime().halt(3);
        }, "halter");
        halter.setDaemon(true);
        halter.start();
        System.exit(status);
    }

    private static int child(PrintStream out, Contender c, int n, long warmupMs, long iterationMs, int iterations,
            long stallMs, long rampMs) throws IOException, InterruptedException {
        out.println("library " + library(c));
        if (UNAVAILABLE != null) {
            out.println("skipped reason=" + UNAVAILABLE);
            return 0;
        }
        long[] limit = openFileLimit();
        long need = 2L * n + 200;
        if (limit[0] >= 0 && limit[0] < need) {
            out.println("skipped reason=" + n + " pairs need about " + need + " descriptors, RLIMIT_NOFILE soft "
                    + "limit is " + limit[0] + " (hard " + limit[1] + "); raise it (bench/run.sh runs ulimit -n)");
            return 0;
        }
        // Watchdog: whatever happens below, this JVM ends.
        long budgetMs = 30_000 + rampMs + warmupMs + iterations * iterationMs + 2 * stallMs + 15_000;
        Thread watchdog = new Thread(() -> {
            sleep(budgetMs);
            out.println("hung reason=child watchdog: the point did not finish in " + budgetMs + " ms");
            out.flush();
            Runtime.getRuntime().halt(2);
        }, "watchdog");
        watchdog.setDaemon(true);
        watchdog.start();

        Link[] links = new Link[n];
        long baseline = countFds();
        try {
            for (int i = 0; i < n; i++) {
                links[i] = c.open(SocketType.STREAM);
            }
        } catch (IOException e) {
            int k = countOpened(links);
            String why = "failed reason=opening pair " + (k + 1) + " of " + n + ": " + oneLine(e);
            if (k > 0 && String.valueOf(e.getMessage()).contains("Too many open files")) {
                why += " (" + k + " pairs took the open descriptors from " + baseline + " to the RLIMIT_NOFILE soft "
                        + "limit " + limit[0] + String.format(Locale.ROOT, ": %.1f per pair)",
                                (limit[0] - baseline) / (double) k);
            }
            out.println(why);
            return 1;
        }
        long fds = countFds();
        AtomicLongArray trips = new AtomicLongArray(n * STRIDE);
        AtomicReference<Throwable> error = new AtomicReference<>();
        Set<String> carriers = ConcurrentHashMap.newKeySet();
        Thread[] echoes = new Thread[n];
        Thread[] clients = new Thread[n];
        Flag stopping = new Flag();
        // The bodies catch their own exceptions; this catches what escapes them anyway. (JDK 25.0.3's C2 loses the
        // handler of an OSR-compiled loop in a virtual thread: a read's AsynchronousCloseException then leaves
        // echo() through its catch. A thread that dies that way while measuring is a failure, not a silent stop.)
        Thread.setDefaultUncaughtExceptionHandler((t, e) -> {
            if (!stopping.isSet()) {
                error.compareAndSet(null, e);
            }
        });
        // Every thread waits at the gate (parked, on any JDK) until all are started.
        CountDownLatch gate = new CountDownLatch(1);
        for (int i = 0; i < n; i++) {
            Link l = links[i];
            int slot = i * STRIDE;
            echoes[i] = startVirtual("echo-" + i, () -> {
                if (pass(gate)) {
                    echo(l, carriers, stopping, error);
                }
            });
            clients[i] = startVirtual("client-" + i, () -> {
                if (pass(gate)) {
                    client(l, slot, trips, carriers, stopping, error);
                }
            });
        }
        gate.countDown();

        // Sample the counters: warm-up, then the iterations; stall = no round trip anywhere for stallMs.
        long start = System.nanoTime();
        long lastTotal = 0;
        long lastChange = start;
        long[] atStart = null;
        long markTotal = 0;
        long markTime = 0;
        double[] rates = new double[iterations];
        int iteration = -1; // -1: warm-up
        long warmup = TimeUnit.MILLISECONDS.toNanos(warmupMs);
        long rampCap = start + TimeUnit.MILLISECONDS.toNanos(rampMs);
        long allRanAt = -1;
        boolean rampTimedOut = false;
        int ever = 0;
        long everChange = start;
        long boundary = start + warmup;
        while (true) {
            long now = System.nanoTime();
            long wait = Math.min(TimeUnit.NANOSECONDS.toMillis(boundary - now), 50);
            if (wait > 0) {
                Thread.sleep(wait);
            }
            now = System.nanoTime();
            Throwable e = error.get();
            if (e != null) {
                out.println("failed reason=" + oneLine(e));
                return 1;
            }
            long total = sum(trips, n);
            if (total != lastTotal) {
                lastTotal = total;
                lastChange = now;
            } else if (now - lastChange >= TimeUnit.MILLISECONDS.toNanos(stallMs)) {
                out.println("hung phase=" + (iteration < 0 ? "warm-up" : "iteration-" + (iteration + 1))
                        + " trips=" + total + " ran=" + ran(trips, n, null) + " pairs=" + n + " carriers="
                        + carriers.size() + " carrier_syscalls=" + carrierSyscalls() + " fds=" + fds + " rss_kib="
                        + rssKib() + " reason=no round trip "
                        + "completed for " + stallMs + " ms (" + (TimeUnit.NANOSECONDS.toMillis(now - start))
                        + " ms after the threads started)");
                return 0;
            }
            if (iteration < 0) {
                // Warm-up lasts warmupMs after every pair has made a round trip (threads just started can wait
                // seconds for their first turn), or ends at the ramp cap and the point is measured as it is.
                int e2 = allRanAt < 0 ? ran(trips, n, null) : n;
                if (e2 != ever) {
                    ever = e2;
                    everChange = now;
                }
                if (allRanAt < 0 && ever == n) {
                    allRanAt = now;
                }
                if (allRanAt >= 0) {
                    boundary = Math.max(start, allRanAt) + warmup;
                } else if (now >= rampCap || now - everChange >= TimeUnit.MILLISECONDS.toNanos(stallMs)) {
                    // the cap, or no pair made its first round trip for stallMs: measure what runs
                    rampTimedOut = true;
                    boundary = now;
                } else {
                    boundary = Math.max(start + warmup, now + TimeUnit.MILLISECONDS.toNanos(50));
                }
            }
            if (now < boundary) {
                continue;
            }
            if (iteration < 0) {
                atStart = snapshot(trips, n);
            } else {
                rates[iteration] = (total - markTotal) * 1e9 / (now - markTime);
            }
            markTotal = total;
            markTime = now;
            iteration++;
            if (iteration == iterations) {
                break;
            }
            boundary = now + TimeUnit.MILLISECONDS.toNanos(iterationMs);
        }
        int ran = ran(trips, n, atStart);
        double[] sorted = rates.clone();
        Arrays.sort(sorted);
        double median = sorted[sorted.length / 2];
        out.println("result rate=" + median + " spread=" + (sorted[sorted.length - 1] - sorted[0]) / median
                + " rates=" + join(rates) + " trips=" + lastTotal + " ran=" + ran + " ever=" + ran(trips, n, null)
                + " pairs=" + n + " ramp_ms=" + (rampTimedOut ? "timeout" : String.valueOf(
                        TimeUnit.NANOSECONDS.toMillis(allRanAt - start))) + " carriers=" + carriers.size()
                + (ran < n ? " carrier_syscalls=" + carrierSyscalls() : "") + " fds="
                + fds + " rss_kib=" + rssKib());
        out.flush();

        // Tear down: clients stop after their current round trip; closing the pairs ends the echoes. Starved pairs
        // (threads that never ran) would only pin the carriers again: just exit.
        stopping.set();
        if (ran < n) {
            out.println("teardown clean=skipped");
            return 0;
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        boolean clean = join(clients, deadline);
        for (Link l : links) {
            try {
                l.close();
            } catch (IOException ignored) {
                // done anyway
            }
        }
        clean &= join(echoes, deadline);
        out.println("teardown clean=" + clean);
        return 0;
    }

    private static boolean pass(CountDownLatch gate) {
        try {
            gate.await();
            return true;
        } catch (InterruptedException e) {
            return false;
        }
    }

    /** A stop flag the threads read. */
    private static final class Flag {
        private volatile boolean set;

        void set() {
            set = true;
        }

        boolean isSet() {
            return set;
        }
    }

    private static void echo(Link l, Set<String> carriers, Flag stopping, AtomicReference<Throwable> error) {
        carriers.add(carrier());
        ByteBuffer buf = ByteBuffer.allocateDirect(MESSAGE);
        try {
            while (true) {
                buf.clear();
                if (l.br.read(buf) < 0) {
                    return;
                }
                buf.flip();
                while (buf.hasRemaining()) {
                    l.bw.write(buf);
                }
            }
        } catch (IOException | RuntimeException e) {
            if (!stopping.isSet() && !(e instanceof ClosedChannelException)) {
                error.compareAndSet(null, e);
            }
        }
    }

    private static void client(Link l, int slot, AtomicLongArray trips, Set<String> carriers, Flag stopping,
            AtomicReference<Throwable> error) {
        carriers.add(carrier());
        ByteBuffer out = ByteBuffer.allocateDirect(MESSAGE);
        ByteBuffer in = ByteBuffer.allocateDirect(MESSAGE);
        for (int i = 0; i < MESSAGE; i++) {
            out.put(i, (byte) i);
        }
        long count = 0;
        try {
            while (!stopping.isSet()) {
                out.clear();
                while (out.hasRemaining()) {
                    l.aw.write(out);
                }
                in.clear();
                while (in.hasRemaining()) {
                    if (l.ar.read(in) < 0) {
                        throw new IOException("end of stream from the echo thread");
                    }
                }
                trips.lazySet(slot, ++count);
            }
            carriers.add(carrier());
        } catch (IOException | RuntimeException e) {
            if (!stopping.isSet()) {
                error.compareAndSet(null, e);
            }
        }
    }

    /** The carrier's name from a virtual thread's {@code toString()}, e.g. {@code ForkJoinPool-1-worker-1}. */
    private static String carrier() {
        String s = Thread.currentThread().toString();
        int at = s.lastIndexOf('@');
        return at < 0 ? s : s.substring(at + 1);
    }

    private static long sum(AtomicLongArray trips, int n) {
        long s = 0;
        for (int i = 0; i < n; i++) {
            s += trips.get(i * STRIDE);
        }
        return s;
    }

    private static long[] snapshot(AtomicLongArray trips, int n) {
        long[] a = new long[n];
        for (int i = 0; i < n; i++) {
            a[i] = trips.get(i * STRIDE);
        }
        return a;
    }

    /** Pairs that completed a round trip since {@code since} (or ever, if null). */
    private static int ran(AtomicLongArray trips, int n, long[] since) {
        int r = 0;
        for (int i = 0; i < n; i++) {
            if (trips.get(i * STRIDE) > (since == null ? 0 : since[i])) {
                r++;
            }
        }
        return r;
    }

    private static boolean join(Thread[] threads, long deadline) throws InterruptedException {
        for (Thread t : threads) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) {
                return false;
            }
            t.join(left);
            if (t.isAlive()) {
                return false;
            }
        }
        return true;
    }

    private static int countOpened(Link[] links) {
        int k = 0;
        while (k < links.length && links[k] != null) {
            k++;
        }
        return k;
    }

    /** What was measured: the library and its version or binding. */
    static String library(Contender c) {
        try {
            switch (c) {
                case JSOCKETPAIR:
                    return "jsocketpair (" + SocketPair.platform().detail() + ")";
                case JUNIXSOCKET:
                    return "junixsocket " + org.newsclub.net.unix.AFUNIXSocket.getVersion();
                default:
                    return c.label + " (JDK " + Runtime.version() + ")";
            }
        } catch (RuntimeException | LinkageError e) {
            return c.label + " (" + oneLine(e) + ")";
        }
    }

    /** Soft and hard RLIMIT_NOFILE from /proc/self/limits; -1 where unknown. */
    static long[] openFileLimit() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
                if (line.startsWith("Max open files")) {
                    String[] w = line.substring("Max open files".length()).trim().split("\\s+");
                    return new long[] {parseLimit(w[0]), parseLimit(w[1])};
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return new long[] {-1, -1};
    }

    private static long parseLimit(String s) {
        return s.equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(s);
    }

    /**
     * What each carrier thread ({@code ForkJoinPool-*}) is doing in the kernel, from /proc/self/task/TID/syscall: a
     * carrier pinned by a blocking read shows {@code recvfrom}/{@code read}/{@code recvmsg}; an idle one {@code futex}.
     */
    static String carrierSyscalls() {
        List<String> r = new ArrayList<>();
        File[] tasks = new File("/proc/self/task").listFiles();
        if (tasks == null) {
            return "?";
        }
        for (File t : tasks) {
            try {
                String comm = Files.readString(t.toPath().resolve("comm")).trim();
                if (!comm.startsWith("ForkJoinPool")) {
                    continue;
                }
                String sc = Files.readString(t.toPath().resolve("syscall")).trim().split(" ")[0];
                r.add(syscallName(sc));
            } catch (IOException | RuntimeException e) {
                // gone, or not readable
            }
        }
        return r.isEmpty() ? "?" : String.join(",", r);
    }

    private static String syscallName(String nr) {
        if (!"amd64".equals(System.getProperty("os.arch"))) {
            return "syscall-" + nr;
        }
        return switch (nr) {
            case "0" -> "read";
            case "1" -> "write";
            case "7" -> "poll";
            case "44" -> "sendto";
            case "45" -> "recvfrom";
            case "46" -> "sendmsg";
            case "47" -> "recvmsg";
            case "202" -> "futex";
            case "232" -> "epoll_wait";
            case "281" -> "epoll_pwait";
            case "running" -> "running";
            default -> "syscall-" + nr;
        };
    }

    private static long countFds() {
        String[] fds = new File("/proc/self/fd").list();
        return fds == null ? -1 : fds.length;
    }

    private static long rssKib() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return -1;
    }

    private static String join(double[] v) {
        StringBuilder sb = new StringBuilder();
        for (double d : v) {
            sb.append(sb.length() == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.0f", d));
        }
        return sb.toString();
    }

    static String oneLine(Throwable t) {
        String m = t.toString().replace('\n', ' ');
        Throwable c = t.getCause();
        return c == null ? m : m + " (cause: " + c.toString().replace('\n', ' ') + ")";
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
