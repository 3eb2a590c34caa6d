package io.github.jsocketpair.cli;

import java.io.PrintStream;
import java.util.List;

/** One subcommand of the command line; {@link Main} dispatches to it by {@link #name()}. */
interface Command {

    /** The word that selects the command, e.g. {@code "info"}. */
    String name();

    /** The synopsis after the command name, e.g. {@code "[--json]"}; empty when it takes no arguments. */
    String arguments();

    /** One line for the command list of {@code --help}. */
    String summary();

    /** The command's own help, printed by {@code COMMAND --help}: what it does, its options, its exit status. */
    String help();

    /**
     * Runs the command.
     *
     * @param args the arguments after the command name ({@code --help} is handled before)
     * @param out where results go
     * @param err where errors go
     * @return the exit status, one of {@link Exit}
     */
    int run(List<String> args, PrintStream out, PrintStream err);
}
