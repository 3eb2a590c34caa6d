package io.github.jsocketpair.bench;

import io.github.jsocketpair.SocketType;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Runs every workload for every contender and the C baseline, then prints one table: rows are contenders (with socket
 * type, buffer kind and placement), columns are workloads, each cell a median time per operation and its ratio to C
 * (lower is better), whose same workload runs again right before and right after each cell (see {@link #beside}).
 *
 * <pre>
 * java -jar bench/target/benchmarks.jar --cbench PATH [--only REGEX] [--iteration-ms N] [--out FILE]
 *     [--virtual | --no-virtual] [--pairs 1,100,5000] [--carriers N] [--virtual-ms N] [--stall-ms N]
 *     [--ramp-ms N]
 * </pre>
 *
 * <p>After the table above comes the virtual-thread echo workload ({@link VirtualEcho}), one JVM per contender and
 * N; {@code --virtual} runs only that (no C, no JMH), {@code --no-virtual} skips it.
 */
public final class Run {
    /** Workload columns, in table order. */
    enum Col {
        CREATE("create+close", "create", 0),
        WRITE_READ("1B write+read", "writeread", 0),
        ALLOC("alloc B/op", null, 0),
        P50("ping-pong p50", "pingpong", 0),
        P99("ping-pong p99", "pingpong", 0),
        CHUNK64K("64KiB chunk", "stream", 65536),
        CHUNK1K("1KiB chunk", "stream", 1024),
        REC64("64B record", "records", 64);

        final String title;
        final String cWorkload;
        /** The C program's size parameter for this column's workload (chunk or record bytes; 0 where none). */
        final int cParam;

        Col(String title, String cWorkload, int cParam) {
            this.title = title;
            this.cWorkload = cWorkload;
            this.cParam = cParam;
        }
    }

    /** One measured cell: median, spread (max-min over median of the iterations). */
    record Cell(double value, double spread) {
    }

    static final String BATCH_LABEL = "jsocketpair sendBatch×32";
    private final Map<String, Map<Col, Cell>> rows = new LinkedHashMap<>();
    /**
     * Per cell (row name, then column), C's time for the same workload measured right before and right after the
     * cell, averaged: the ratio's reference. On a shared or virtual host the machine's speed drifts by 10-40% within
     * a minute (measured: C's 64 KiB cell 9.3 to 11.9 µs across runs of one afternoon), so a single C run at the
     * start made ratios of cells measured minutes later that moved by as much as the effects they were meant to show.
     */
    private final Map<String, Map<Col, Double>> beside = new LinkedHashMap<>();
    private final List<String> failures = new ArrayList<>();
    private final PrintStream out = System.out;
    private String cbench;
    private Pattern only = Pattern.compile(".*");
    private int iterationMs = 150;
    private int done;
    private int total;

    private Run() {
    }

    /**
     * Runs everything and prints the table.
     *
     * @param args see the class comment
     * @throws Exception if the C baseline cannot run or JMH fails to start
     */
    public static void main(String[] args) throws Exception {
        Run r = new Run();
        Path outFile = null;
        VirtualEcho.Settings v = new VirtualEcho.Settings();
        boolean classic = true;
        boolean virtual = true;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--cbench" -> r.cbench = args[++i];
                case "--only" -> {
                    r.only = Pattern.compile(args[++i]);
                    v.only = r.only;
                }
                case "--virtual" -> classic = false;
                case "--no-virtual" -> virtual = false;
                case "--pairs" -> v.pairs = Arrays.stream(args[++i].split(",")).map(String::trim)
                        .map(Integer::valueOf).toList();
                case "--carriers" -> v.carriers = Integer.parseInt(args[++i]);
                case "--virtual-ms" -> {
                    v.iterationMs = Long.parseLong(args[++i]);
                    v.warmupMs = v.iterationMs;
                }
                case "--stall-ms" -> v.stallMs = Long.parseLong(args[++i]);
                case "--ramp-ms" -> v.rampMs = Long.parseLong(args[++i]);
                case "--iteration-ms" -> r.iterationMs = Integer.parseInt(args[++i]);
                case "--out" -> outFile = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        String table = classic ? r.runAll() : "";
        if (virtual) {
            table += (table.isEmpty() ? "" : "\n") + VirtualEcho.runAll(v, r.out);
        }
        r.out.println();
        r.out.print(table);
        if (outFile != null) {
            Files.writeString(outFile, table, StandardCharsets.UTF_8);
        }
    }

    // ---- what runs -------------------------------------------------------------------------------------------------

    /** Buffer kinds per contender and type. */
    static List<String> kinds(Contender c, SocketType t) {
        if (t != SocketType.STREAM) {
            return c == Contender.JSOCKETPAIR ? List.of("direct", "heap") : List.of("direct");
        }
        if (c == Contender.JNA_RAW) {
            return List.of("direct"); // the floor: no heap staging, no streams
        }
        if (c == Contender.JUNIXSOCKET || c == Contender.JNR_UNIXSOCKET) {
            return List.of("direct", "stream"); // their heap path is the JDK's, copied through a direct buffer
        }
        return List.of("direct", "heap", "stream");
    }

    /** The two-CPU placement (to keep the run short): every jsocketpair row, the others with direct buffers. */
    static boolean inTwo(String key) {
        return key.startsWith("jsocketpair:") || key.endsWith(":direct");
    }

    private List<Case> cases() {
        List<Case> cs = new ArrayList<>();
        for (SocketType t : SocketType.values()) {
            for (Contender c : Contender.values()) {
                if (!c.types.contains(t)) {
                    continue;
                }
                for (String k : kinds(c, t)) {
                    Case x = new Case(c, t, k);
                    if (only.matcher(key(x)).find()) {
                        cs.add(x);
                    }
                }
            }
        }
        return cs;
    }

    static String key(Case c) {
        return c.contender().key() + ":" + c.type() + ":" + c.kind();
    }

    static String rowName(String contender, SocketType type, String kind, String placement) {
        return contender + " " + type + " " + kind + " " + placement;
    }

    private String runAll() throws IOException, InterruptedException, RunnerException {
        List<Case> cases = cases();
        List<String> create = new ArrayList<>();
        for (Case c : cases) {
            String k = c.contender().key() + ":" + c.type();
            if (!create.contains(k)) {
                create.add(k);
            }
        }
        List<String> two = new ArrayList<>();
        List<String> stream = new ArrayList<>();
        List<String> all = new ArrayList<>();
        List<String> batch = new ArrayList<>();
        for (Case c : cases) {
            if (c.contender() == Contender.JSOCKETPAIR && c.type() != SocketType.STREAM) {
                batch.add(key(c));
            }
            all.add(key(c));
            if (c.contender().twoWay) {
                two.add(key(c));
            }
            if (c.type() == SocketType.STREAM) {
                stream.add(key(c));
            }
        }
        total = cTotal(cases) + create.size() + all.size() + two.size() + 2 * stream.size() + all.size()
                + 2 * batch.size() + count(two) + 2 * count(stream) + count(all);
        runC(cases);
        for (String k : create) {
            jmh("CreateClose", k, null, null, Col.CREATE);
        }
        for (String k : all) {
            jmh("WriteRead", k, null, null, Col.WRITE_READ);
        }
        for (String p : List.of("one", "two")) {
            boolean one = p.equals("one");
            for (String k : two) {
                if (one || inTwo(k)) {
                    jmh("PingPong", k, p, null, Col.P50);
                }
            }
            for (String k : stream) {
                if (one || inTwo(k)) {
                    jmh("Throughput", k, p, "65536", Col.CHUNK64K);
                    jmh("Throughput", k, p, "1024", Col.CHUNK1K);
                }
            }
            for (String k : all) {
                if (one || inTwo(k)) {
                    jmh("Records", k, p, null, Col.REC64);
                }
            }
            for (String k : batch) {
                jmh("Batch", k, p, null, Col.REC64);
            }
        }
        return table();
    }

    // ---- the C baseline --------------------------------------------------------------------------------------------

    private static int count(List<String> keys) {
        return (int) keys.stream().filter(Run::inTwo).count();
    }

    private static int cTotal(List<Case> cases) {
        return (int) cases.stream().map(Case::type).distinct()
                .mapToInt(t -> t == SocketType.STREAM ? 2 + 2 * 4 : 2 + 2 * 3).sum();
    }

    private void runC(List<Case> cases) throws IOException, InterruptedException {
        if (cbench == null) {
            throw new IllegalArgumentException("--cbench PATH is required (bench/run.sh builds it)");
        }
        List<SocketType> types = new ArrayList<>();
        for (Case c : cases) {
            if (!types.contains(c.type())) {
                types.add(c.type());
            }
        }
        for (SocketType t : types) {
            c(Col.CREATE, t, "one");
            c(Col.WRITE_READ, t, "one");
            for (String p : List.of("one", "two")) {
                c(Col.P50, t, p);
                if (t == SocketType.STREAM) {
                    c(Col.CHUNK64K, t, p);
                    c(Col.CHUNK1K, t, p);
                }
                c(Col.REC64, t, p);
                if (t != SocketType.STREAM) {
                    c("mmsg", t, p, Col.REC64.cParam, Col.REC64);
                }
            }
        }
    }

    /** Runs C's workload for {@code col} (its {@link Col#cWorkload} and {@link Col#cParam}) into the C row. */
    private void c(Col col, SocketType t, String placement) throws IOException, InterruptedException {
        c(col.cWorkload, t, placement, col.cParam, col);
    }

    private void c(String workload, SocketType t, String placement, int param, Col col)
            throws IOException, InterruptedException {
        Map<String, String> kv = measureC(workload, t, placement, param);
        if (kv == null) {
            failures.add("C " + workload + " " + t + " " + placement + ": failed");
            return;
        }
        String contender = workload.equals("mmsg") ? "C sendmmsg/recvmmsg" : "C";
        String place = col == Col.CREATE || col == Col.WRITE_READ ? "one" : placement;
        Map<Col, Cell> row = rows.computeIfAbsent(rowName(contender, t, "-", place), k -> new LinkedHashMap<>());
        double ns = Double.parseDouble(kv.get("ns"));
        double spread = (Double.parseDouble(kv.get("max")) - Double.parseDouble(kv.get("min"))) / ns;
        if (col == Col.P50) {
            row.put(Col.P50, new Cell(Double.parseDouble(kv.get("p50")), spread));
            row.put(Col.P99, new Cell(Double.parseDouble(kv.get("p99")), spread));
        } else {
            row.put(col, new Cell(ns, spread));
        }
        progress("C " + workload + " " + t + " " + placement + (param > 0 ? " " + param : ""), ns);
    }

    /** One run of the C program: its {@code key=value} output, or null if it failed. */
    private Map<String, String> measureC(String workload, SocketType t, String placement, int param)
            throws IOException, InterruptedException {
        List<String> cmd = List.of(cbench, workload, t.name(), placement, String.valueOf(param),
                String.valueOf(iterationMs), "5");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String line;
        Map<String, String> kv = new HashMap<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                StandardCharsets.UTF_8))) {
            while ((line = r.readLine()) != null) {
                for (String part : line.trim().split(" ")) {
                    int eq = part.indexOf('=');
                    if (eq > 0) {
                        kv.put(part.substring(0, eq), part.substring(eq + 1));
                    }
                }
            }
        }
        return p.waitFor() == 0 && kv.containsKey("ns") ? kv : null;
    }

    /**
     * Runs C's workload for column {@code col} once: the values it gives for that column (for ping-pong p50 and
     * p99), or null where C has no such workload or the run failed.
     */
    private Map<Col, Double> cFor(Col col, SocketType t, String placement) {
        if (col.cWorkload == null || cbench == null) {
            return null;
        }
        Map<String, String> kv;
        try {
            kv = measureC(col.cWorkload, t, placement, col.cParam);
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
        if (kv == null) {
            return null;
        }
        Map<Col, Double> v = new EnumMap<>(Col.class);
        if (col == Col.P50) {
            v.put(Col.P50, Double.parseDouble(kv.get("p50")));
            v.put(Col.P99, Double.parseDouble(kv.get("p99")));
        } else {
            v.put(col, Double.parseDouble(kv.get("ns")));
        }
        return v;
    }

    // ---- JMH -------------------------------------------------------------------------------------------------------

    private void jmh(String bench, String kase, String placement, String chunk, Col col) throws RunnerException {
        ChainedOptionsBuilder o = new OptionsBuilder()
                .include(Pattern.quote(Benches.class.getName() + "." + bench) + "\\.\\w+$")
                .param("kase", kase)
                .forks(1)
                .warmupIterations(2)
                .warmupTime(TimeValue.milliseconds(iterationMs))
                .measurementIterations(5)
                .measurementTime(TimeValue.milliseconds(iterationMs))
                .verbosity(VerboseMode.SILENT);
        if (placement != null) {
            o.param("placement", placement);
        }
        if (chunk != null) {
            o.param("chunk", chunk);
        }
        if (col == Col.WRITE_READ) {
            o.addProfiler(GCProfiler.class);
        }
        Case c = Case.parse(kase);
        String place = placement == null ? "one" : placement;
        String label = bench + " " + kase + (placement == null ? "" : " " + placement) + (chunk == null ? ""
                : " " + chunk);
        Map<Col, Double> cBefore = cFor(col, c.type(), place);
        Collection<RunResult> results;
        try {
            results = new Runner(o.build()).run();
        } catch (RunnerException | RuntimeException e) {
            failures.add(label + ": " + e.getMessage());
            progress(label, Double.NaN);
            return;
        }
        if (results.isEmpty()) {
            failures.add(label + ": no result (the benchmark failed)");
            progress(label, Double.NaN);
            return;
        }
        RunResult rr = results.iterator().next();
        String who = bench.equals("Batch") ? BATCH_LABEL : c.contender().label;
        Map<Col, Cell> row = rows.computeIfAbsent(rowName(who, c.type(), c.kind(), place),
                k -> new LinkedHashMap<>());
        if (col == Col.P50) {
            row.put(Col.P50, iterations(rr, 50));
            row.put(Col.P99, iterations(rr, 99));
        } else {
            row.put(col, iterations(rr, -1));
        }
        Map<Col, Double> cAfter = cFor(col, c.type(), place);
        if (cBefore != null && cAfter != null) {
            Map<Col, Double> refs = beside.computeIfAbsent(rowName(who, c.type(), c.kind(), place),
                    k -> new EnumMap<>(Col.class));
            cBefore.forEach((k, before) -> refs.put(k, (before + cAfter.get(k)) / 2));
        }
        if (col == Col.WRITE_READ) {
            for (Map.Entry<String, Result> e : rr.getSecondaryResults().entrySet()) {
                if (e.getKey().endsWith("gc.alloc.rate.norm")) {
                    row.put(Col.ALLOC, new Cell(e.getValue().getScore(), 0));
                }
            }
        }
        progress(label, row.get(col).value());
    }

    /** Median and spread over the measured iterations: the mean, or a percentile for sampled times. */
    private static Cell iterations(RunResult rr, double percentile) {
        List<Double> v = new ArrayList<>();
        for (BenchmarkResult br : rr.getBenchmarkResults()) {
            for (IterationResult ir : br.getIterationResults()) {
                Result<?> r = ir.getPrimaryResult();
                v.add(percentile < 0 ? r.getScore() : r.getStatistics().getPercentile(percentile));
            }
        }
        double[] a = v.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        double median = a[a.length / 2];
        if (percentile > 0) {
            // A percentile over all samples of the run is steadier than the median of per-iteration ones.
            median = rr.getPrimaryResult().getStatistics().getPercentile(percentile);
        }
        return new Cell(median, (a[a.length - 1] - a[0]) / a[a.length / 2]);
    }

    private void progress(String what, double ns) {
        done++;
        out.printf(Locale.ROOT, "[%3d/%d] %-60s %s%n", done, total, what, Double.isNaN(ns) ? "FAILED" : fmt(ns));
    }

    // ---- the table -------------------------------------------------------------------------------------------------

    static String fmt(double ns) {
        if (ns >= 1e6) {
            return String.format(Locale.ROOT, "%.2fms", ns / 1e6);
        }
        if (ns >= 1e3) {
            return String.format(Locale.ROOT, "%.2fµs", ns / 1e3);
        }
        return String.format(Locale.ROOT, "%.0fns", ns);
    }

    private String table() {
        StringBuilder sb = new StringBuilder();
        List<Col> cols = Arrays.asList(Col.values());
        List<String> header = new ArrayList<>();
        header.add("contender (type, buffers, placement)");
        for (Col c : cols) {
            header.add(c.title);
        }
        List<List<String>> body = new ArrayList<>();
        List<Double> spreads = new ArrayList<>();
        List<Map.Entry<String, Map<Col, Cell>>> sorted = new ArrayList<>(rows.entrySet());
        sorted.sort(java.util.Comparator.comparing(Run::order));
        for (Map.Entry<String, Map<Col, Cell>> e : sorted) {
            String[] parts = e.getKey().split(" (?=(STREAM|DGRAM|SEQPACKET) )", 2);
            String contender = parts[0];
            String[] rest = parts[1].split(" ");
            String type = rest[0];
            String place = rest[2];
            List<String> line = new ArrayList<>();
            line.add(contender + " " + type + ("-".equals(rest[1]) ? "" : " " + rest[1]) + ", " + place
                    + (place.equals("one") ? " CPU" : " CPUs"));
            for (Col c : cols) {
                Cell cell = e.getValue().get(c);
                if (cell == null) {
                    line.add("");
                    continue;
                }
                if (c == Col.ALLOC) {
                    line.add(String.format(Locale.ROOT, "%.0f", cell.value()));
                    continue;
                }
                spreads.add(cell.spread());
                Map<Col, Cell> cRow = rows.get(rowName("C", SocketType.valueOf(type), "-", place));
                Cell base = cRow == null ? null : cRow.get(c);
                Double ref = beside.getOrDefault(e.getKey(), Map.of()).get(c);
                if (ref == null && base != null) {
                    ref = base.value();
                }
                String v = fmt(cell.value()) + (cell.spread() > 0.2 ? "~" : "");
                if (ref != null && !contender.equals("C")) {
                    v += String.format(Locale.ROOT, " %.2f×", cell.value() / ref);
                }
                line.add(v);
            }
            body.add(line);
        }
        int[] w = new int[header.size()];
        for (int i = 0; i < w.length; i++) {
            w[i] = header.get(i).length();
            for (List<String> l : body) {
                w[i] = Math.max(w[i], l.get(i).length());
            }
        }
        appendRow(sb, header, w);
        StringBuilder rule = new StringBuilder("|");
        for (int i = 0; i < w.length; i++) {
            rule.append(i == 0 ? ":" : "-").append("-".repeat(w[i])).append(i == 0 ? "-|" : ":|");
        }
        sb.append(rule).append('\n');
        for (List<String> l : body) {
            appendRow(sb, l, w);
        }
        double[] s = spreads.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        sb.append('\n').append("Cells: median time per operation (ping-pong: percentiles of sampled round trips; "
                + "chunks: per chunk written; records: per record), then the ratio to C's time for the same "
                + "workload measured right before and right after that cell, averaged (lower is better; the C row "
                + "shows C's first run). Single-thread workloads are measured once, pinned to CPU 0.\n");
        if (s.length > 0) {
            sb.append(String.format(Locale.ROOT, "Noise: spread (max-min)/median over the iterations of a cell: "
                    + "median %.0f%%, 90th percentile %.0f%%, worst %.0f%%; '~' marks cells above 20%%.%n",
                    100 * s[s.length / 2], 100 * s[(int) (s.length * 0.9)], 100 * s[s.length - 1]));
        }
        for (String f : failures) {
            sb.append("FAILED: ").append(f).append('\n');
        }
        return sb.toString();
    }

    /** Sort key: type, placement, then C, then the contenders in declaration order. */
    private static String order(Map.Entry<String, Map<Col, Cell>> e) {
        String k = e.getKey();
        int type = k.contains(" STREAM ") ? 0 : k.contains(" DGRAM ") ? 1 : 2;
        int place = k.endsWith(" one") ? 0 : 1;
        int who = k.startsWith("C sendmmsg") ? 1 : k.startsWith("C ") ? 0 : 9;
        for (Contender c : Contender.values()) {
            if (k.startsWith(c.label + " ")) {
                who = 3 + c.ordinal();
            }
        }
        if (k.startsWith(BATCH_LABEL)) {
            who = 2;
        }
        return type + "" + place + (char) ('a' + who) + k;
    }

    private static void appendRow(StringBuilder sb, List<String> cells, int[] w) {
        sb.append('|');
        for (int i = 0; i < cells.size(); i++) {
            String c = cells.get(i);
            String pad = " ".repeat(w[i] - c.length());
            sb.append(' ').append(i == 0 ? c + pad : pad + c).append(" |");
        }
        sb.append('\n');
    }
}
