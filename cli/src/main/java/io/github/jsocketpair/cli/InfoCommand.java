package io.github.jsocketpair.cli;

import io.github.jsocketpair.BackendInfo;
import io.github.jsocketpair.Capabilities;
import io.github.jsocketpair.SocketPair;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** {@code info [--json]}: the backend, the OS, the architecture and the capabilities. */
final class InfoCommand implements Command {

    @Override
    public String name() {
        return "info";
    }

    @Override
    public String arguments() {
        return "[--json]";
    }

    @Override
    public String summary() {
        return "print the backend, OS, architecture, why it was picked and what it can do";
    }

    @Override
    public String help() {
        return """
                Prints the backend the loader picked, the OS, the architecture, how the backend reaches the kernel,
                why it was picked, and its capabilities. Opens no socket beyond the backend's own probe.

                  --json   the same as one JSON object

                Exit status: 0, or 3 when there is no backend for this platform (with --json: an object whose
                "error" says why).
                """;
    }

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) {
        boolean json = false;
        for (String a : args) {
            if (a.equals("--json")) {
                json = true;
            } else {
                err.println("jsocketpair info: unexpected argument " + a);
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
                out.println(Json.write(m));
            } else {
                Platform.explain(e, err);
            }
            return Exit.NO_BACKEND;
        }
        out.print(json ? Json.write(toMap(info)) + "\n" : text(info));
        out.flush();
        return Exit.OK;
    }

    /** The description as an ordered map, for {@link Json}. */
    static Map<String, Object> toMap(BackendInfo info) {
        Capabilities c = info.capabilities();
        Map<String, Object> caps = new LinkedHashMap<>();
        caps.put("domains", List.copyOf(c.domains()));
        caps.put("types", List.copyOf(c.types()));
        caps.put("flags", List.copyOf(c.flags()));
        caps.put("atomicFlags", List.copyOf(c.atomicFlags()));
        caps.put("cloFork", c.cloFork());
        caps.put("descriptorPassing", c.descriptorPassing());
        caps.put("maxDescriptorsPerMessage", c.maxDescriptorsPerMessage());
        caps.put("peerCredentials", c.peerCredentials());
        caps.put("peerPid", c.peerPid());
        Map<String, Object> java = new LinkedHashMap<>();
        java.put("version", System.getProperty("java.version"));
        java.put("vendor", System.getProperty("java.vendor"));
        java.put("home", System.getProperty("java.home"));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("version", Platform.version());
        m.put("backend", info.name());
        m.put("os", info.os());
        m.put("arch", info.arch());
        m.put("detail", info.detail());
        m.put("selection", info.selection());
        m.put("capabilities", caps);
        m.put("java", java);
        return m;
    }

    /** The description as aligned text. */
    static String text(BackendInfo info) {
        Capabilities c = info.capabilities();
        return Table.withColumns(2)
                .row("backend", info.name())
                .row("os", info.os())
                .row("arch", info.arch())
                .row("detail", info.detail())
                .row("selection", info.selection())
                .row("domains", names(c.domains()))
                .row("types", names(c.types()))
                .row("flags", names(c.flags()))
                .row("atomic flags", names(c.atomicFlags()))
                .row("CLOFORK", yesNo(c.cloFork()))
                .row("descriptor passing", c.descriptorPassing()
                        ? "yes, up to " + c.maxDescriptorsPerMessage() + " per message" : "no")
                .row("peer credentials", c.peerCredentials() ? "yes, " + (c.peerPid() ? "with" : "without")
                        + " the pid" : "no")
                .row("java", Platform.java())
                .row("jsocketpair", Platform.version())
                .render();
    }

    private static String names(Set<? extends Enum<?>> set) {
        return set.isEmpty() ? "none" : set.stream().map(Enum::name).collect(Collectors.joining(", "));
    }

    private static String yesNo(boolean b) {
        return b ? "yes" : "no";
    }
}
