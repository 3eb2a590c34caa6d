package io.github.jsocketpair.cli;

import io.github.jsocketpair.BackendInfo;
import io.github.jsocketpair.cli.Selftest.Kind;
import io.github.jsocketpair.cli.Selftest.Row;
import io.github.jsocketpair.cli.Selftest.Status;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** {@code selftest}, the default command: exercises every combination the platform offers and prints a table. */
final class SelftestCommand implements Command {

    @Override
    public String name() {
        return "selftest";
    }

    @Override
    public String arguments() {
        return "";
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

                Exit status: 0 when everything the platform claims works, 1 when something does not,
                3 when there is no backend for this platform.
                """;
    }

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) {
        if (!args.isEmpty()) {
            err.println("jsocketpair selftest: unexpected argument " + args.get(0));
            return Exit.USAGE;
        }
        Optional<BackendInfo> found = Platform.find(err);
        if (found.isEmpty()) {
            return Exit.NO_BACKEND;
        }
        BackendInfo info = found.get();
        List<Row> rows = Selftest.real().run(info.capabilities());
        out.print(report(info, rows));
        out.flush();
        return passed(rows) ? Exit.OK : Exit.FAILED;
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
