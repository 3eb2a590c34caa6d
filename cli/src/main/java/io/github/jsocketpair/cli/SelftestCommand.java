package io.github.jsocketpair.cli;

import io.github.jsocketpair.BackendInfo;
import io.github.jsocketpair.SocketPair;
import io.github.jsocketpair.cli.Selftest.Kind;
import io.github.jsocketpair.cli.Selftest.Row;
import io.github.jsocketpair.cli.Selftest.Status;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** {@code selftest}, the default command: exercises every combination the platform offers and prints a table. */
final class SelftestCommand implements Command {

    @Override
    public String name() {
        return "selftest";
    }

    @Override
    public String arguments() {
        return "[--json]";
    }

    @Override
    public String summary() {
        return "open every domain/type/flag combination for real and print a table (the default)";
    }

    @Override
    public String help() {
        return """
                Shows which backend was picked and why, then opens every domain/type/flag combination the platform
                offers: checks blocking mode and close-on-exec on both ends, sends data both ways (records must
                keep their boundaries), closes the pair. Flags the platform does not offer (CLOFORK on Linux) must
                be refused. A TIPC domain whose kernel module is not loaded is reported, not counted as a failure.

                  --json   the same as one JSON object (for CI): the backend, the java, every row with its
                           status (pass, fail, unavailable) and kind (exercised, refusal, skipped), the counts
                           and "passed"

                Exit status: 0 when everything the platform claims works, 1 when something does not,
                3 when there is no backend for this platform.
                """;
    }

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) {
        boolean json = false;
        for (String a : args) {
            if (a.equals("--json")) {
                json = true;
            } else {
                err.println("jsocketpair selftest: unexpected argument " + a);
                return Exit.USAGE;
            }
        }
        BackendInfo info;
        try {
            info = SocketPair.platform();
        } catch (UnsupportedOperationException e) {
            if (json) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("version", Platform.version());
                m.put("backend", null);
                m.put("error", e.getMessage());
                m.put("reasons", Platform.reasons(e));
                m.put("passed", false);
                out.println(Json.write(m));
            } else {
                Platform.explain(e, err);
            }
            return Exit.NO_BACKEND;
        }
        List<Row> rows = Selftest.real().run(info.capabilities());
        out.print(json ? Json.write(toMap(info, rows)) + "\n" : report(info, rows));
        out.flush();
        return passed(rows) ? Exit.OK : Exit.FAILED;
    }

    /** The whole result as an ordered map, for {@link Json}: what {@link #report} says, field by field. */
    static Map<String, Object> toMap(BackendInfo info, List<Row> rows) {
        Map<String, Object> backend = new LinkedHashMap<>();
        backend.put("name", info.name());
        backend.put("os", info.os());
        backend.put("arch", info.arch());
        backend.put("detail", info.detail());
        backend.put("selection", info.selection());
        Map<String, Object> java = new LinkedHashMap<>();
        java.put("version", System.getProperty("java.version"));
        java.put("vendor", System.getProperty("java.vendor"));
        java.put("home", System.getProperty("java.home"));
        List<Map<String, Object>> table = new ArrayList<>();
        for (Row r : rows) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("status", r.status().name().toLowerCase(Locale.ROOT));
            row.put("kind", r.kind().name().toLowerCase(Locale.ROOT));
            row.put("domain", r.domain());
            row.put("type", r.type());
            row.put("flags", r.flags());
            row.put("detail", r.detail());
            if (!r.refusal().isEmpty()) {
                row.put("refusal", r.refusal());
            }
            table.add(row);
        }
        Map<String, Object> counts = new LinkedHashMap<>();
        for (Status st : Status.values()) {
            counts.put(st.name().toLowerCase(Locale.ROOT), rows.stream().filter(r -> r.status() == st).count());
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("version", Platform.version());
        m.put("backend", backend);
        m.put("java", java);
        m.put("rows", table);
        m.put("counts", counts);
        m.put("passed", passed(rows));
        return m;
    }

    /** Whether no row failed. */
    static boolean passed(List<Row> rows) {
        return rows.stream().noneMatch(r -> r.status() == Status.FAIL);
    }

    /** The whole report: the backend, the table, the verdict. */
    static String report(BackendInfo info, List<Row> rows) {
        StringBuilder sb = new StringBuilder();
        sb.append("jsocketpair ").append(Platform.version()).append(" selftest\n\n");
        sb.append(Table.withColumns(2)
                .row("backend", info.name() + " on " + info.os() + " (" + info.arch() + ")")
                .row("detail", info.detail())
                .row("selection", info.selection())
                .row("java", Platform.java())
                .render());
        sb.append("\nEach row opens a pair, checks blocking mode and close-on-exec on both ends, sends data both ways"
                + " (records keep\ntheir boundaries) and closes it.\n\n");
        sb.append(table(rows).render());
        sb.append('\n');
        for (String line : summary(info, rows)) {
            sb.append(line).append('\n');
        }
        return sb.toString();
    }

    /** The table of rows, with a header. */
    static Table table(List<Row> rows) {
        Table t = Table.withHeader("", "domain", "type", "flags", "");
        for (Row r : rows) {
            t.row(r.status().mark(), r.domain(), r.type(), r.flags(), r.detail());
        }
        return t;
    }

    /** The closing lines: counts, what was refused or skipped and why that is fine, the verdict. */
    static List<String> summary(BackendInfo info, List<Row> rows) {
        long exercised = rows.stream().filter(r -> r.kind() == Kind.EXERCISED).count();
        long worked = rows.stream().filter(r -> r.kind() == Kind.EXERCISED && r.status() == Status.PASS).count();
        long refusals = rows.stream().filter(r -> r.kind() == Kind.REFUSAL).count();
        long refused = rows.stream().filter(r -> r.kind() == Kind.REFUSAL && r.status() == Status.PASS).count();
        List<String> lines = new ArrayList<>();
        lines.add(worked + " of " + exercised + " combinations work.");
        if (refusals > 0) {
            lines.add(refused + " of " + refusals + " requests for a flag this platform does not offer were refused"
                    + " as they should be" + rows.stream().filter(r -> r.kind() == Kind.REFUSAL
                            && r.status() == Status.PASS).findFirst().map(r -> ", e.g.\n  " + r.refusal())
                            .orElse("."));
        }
        for (Row r : rows) {
            if (r.kind() == Kind.SKIPPED) {
                lines.add(r.domain() + " was not tested: " + (r.domain().equals("TIPC")
                        ? "the tipc kernel module is not loaded (modprobe tipc, then run again, to test it)"
                        : r.detail()) + ". That is not a failure.");
            }
        }
        long failed = rows.stream().filter(r -> r.status() == Status.FAIL).count();
        lines.add(failed == 0 ? "selftest passed" : "selftest FAILED: " + failed + " row" + (failed == 1 ? "" : "s")
                + " marked " + Status.FAIL.mark());
        return lines;
    }
}
