package io.github.jsocketpair.cli;

/** The exit statuses of the command line. */
final class Exit {
    /** Everything the command was asked to do worked. */
    static final int OK = 0;
    /** The selftest found a combination the platform claims that does not work. */
    static final int FAILED = 1;
    /** The command line was wrong. */
    static final int USAGE = 2;
    /** No backend could be loaded for this OS and architecture. */
    static final int NO_BACKEND = 3;

    private Exit() {
    }
}
