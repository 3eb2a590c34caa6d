package io.github.jsocketpair.cli;

import io.github.jsocketpair.BackendInfo;
import io.github.jsocketpair.SocketPair;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** Finds the backend for the commands, and says clearly why when there is none. */
final class Platform {
    private Platform() {
    }

    /**
     * Returns the selected backend's description, or prints why there is none and returns empty.
     */
    static Optional<BackendInfo> find(PrintStream err) {
        try {
            return Optional.of(SocketPair.platform());
        } catch (UnsupportedOperationException e) {
            explain(e, err);
            return Optional.empty();
        }
    }

    /** Prints the loader's failure and every provider's reason. */
    static void explain(UnsupportedOperationException e, PrintStream err) {
        err.println("jsocketpair: " + e.getMessage());
        for (String reason : reasons(e)) {
            err.println("  " + reason);
        }
    }

    /** Every provider's reason: the loader attaches them as suppressed exceptions (to the cause, on later calls). */
    static List<String> reasons(UnsupportedOperationException e) {
        Throwable carrier = e.getSuppressed().length == 0 && e.getCause() != null ? e.getCause() : e;
        return Arrays.stream(carrier.getSuppressed()).map(Throwable::toString).toList();
    }

    /** The running JVM in one line: version, vendor, home. */
    static String java() {
        return System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ", "
                + System.getProperty("java.home") + ")";
    }

    /** This jar's version, from the manifest; {@code "dev"} when run from the build's classes. */
    static String version() {
        String v = Platform.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
