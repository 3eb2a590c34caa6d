package io.github.jsocketpair.cli;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The entry point of {@code jsocketpair.jar}: picks the command by its first argument ({@code selftest} when there
 * is none) and hands it the rest. A new command is one more {@link Command} in {@link #COMMANDS}.
 */
public final class Main {
    private static final List<Command> COMMANDS = List.of(new SelftestCommand(), new InfoCommand(),
            new ExecCommand(), new BenchCommand());
    private static final String DEFAULT = "selftest";

    private Main() {
    }

    /**
     * Runs the command line and exits with its status.
     *
     * @param args the command and its arguments
     */
    public static void main(String[] args) {
        System.exit(run(args, Terminal.out(), Terminal.err()));
    }

    /** Runs the command line; returns the exit status instead of exiting, for tests. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0) {
            return command(DEFAULT).orElseThrow().run(List.of(), out, err);
        }
        String first = args[0];
        if (first.equals("--help") || first.equals("-h") || first.equals("help")) {
            if (args.length > 1 && command(args[1]).isPresent()) {
                out.print(help(command(args[1]).get()));
            } else {
                out.print(usage());
            }
            return Exit.OK;
        }
        Optional<Command> command = command(first);
        if (command.isEmpty()) {
            err.println("jsocketpair: unknown command " + first);
            err.print(usage());
            return Exit.USAGE;
        }
        List<String> rest = Arrays.asList(args).subList(1, args.length);
        // Only before "--": after it come another program's arguments (exec -- ls -h).
        List<String> options = rest.contains("--") ? rest.subList(0, rest.indexOf("--")) : rest;
        if (options.contains("--help") || options.contains("-h")) {
            out.print(help(command.get()));
            return Exit.OK;
        }
        return command.get().run(rest, out, err);
    }

    private static Optional<Command> command(String name) {
        return COMMANDS.stream().filter(c -> c.name().equals(name)).findFirst();
    }

    /** The names of the commands, in the order {@code --help} lists them. */
    static List<String> commandNames() {
        return COMMANDS.stream().map(Command::name).toList();
    }

    static String usage() {
        Table commands = Table.withColumns(2);
        for (Command c : COMMANDS) {
            commands.row("  " + (c.name() + " " + c.arguments()).strip(), c.summary());
        }
        commands.row("  --help, -h", "print this help; COMMAND --help prints the command's own");
        return "jsocketpair " + Platform.version() + ": socketpair(2) for Java\n\n"
                + "Usage: java -jar jsocketpair.jar [COMMAND [ARGUMENTS]]\n\n"
                + "Commands (" + DEFAULT + " when none is given):\n"
                + commands.render()
                + "\nExit status: 0 ok, 1 a selftest row failed, 2 usage error, 3 no backend for this platform.\n"
                + "JDK 22+ asks for native access for JNA: the jar's manifest grants it to java -jar; on the class"
                + " path\nadd --enable-native-access=ALL-UNNAMED.\n";
    }

    private static String help(Command c) {
        return "Usage: java -jar jsocketpair.jar " + (c.name() + " " + c.arguments()).strip() + "\n\n" + c.help();
    }
}
