package io.github.jsocketpair.internal;

import io.github.jsocketpair.spi.Backend;
import io.github.jsocketpair.spi.BackendProvider;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

/**
 * Finds the backend: every {@link BackendProvider} on the class path or module path, those that say they fit this
 * OS and architecture, highest priority first (or the one {@code -Djsocketpair.backend=NAME} names), the first whose
 * {@link BackendProvider#create()} succeeds. When none does, one exception names the OS, the architecture and every
 * provider's reason, each as a suppressed exception; there is never a silent fallback.
 */
public final class Backends {
    /** The system property that picks a backend by name. */
    public static final String PROPERTY = "jsocketpair.backend";

    private Backends() {
    }

    private static final class Holder {
        static final Object RESULT = load(ServiceLoader.load(BackendProvider.class, Backends.class.getClassLoader()));
    }

    /**
     * Returns the selected backend, loading it on first use.
     *
     * @throws UnsupportedOperationException if no backend fits: a new exception on each call, with the same message,
     *     whose cause is the one selection failure recorded on first use (also {@link #unavailabilityCause()}); a new
     *     one each time so that the caller's stack trace is the current one
     */
    public static Backend get() {
        Object r = Holder.RESULT;
        if (r instanceof Backend b) {
            return b;
        }
        UnsupportedOperationException cause = (UnsupportedOperationException) r;
        var e = new UnsupportedOperationException(cause.getMessage(), cause);
        throw e;
    }

    /**
     * Returns the selected backend's {@link Spawner}.
     *
     * @throws UnsupportedOperationException if no backend fits, or the backend cannot start child processes
     */
    public static Spawner spawner() {
        Backend b = get();
        Backend inner = b instanceof SelectedBackend s ? s.delegate() : b;
        Spawner spawner;
        try {
            spawner = inner instanceof PosixBackend p ? p.spawner() : null;
        } catch (LinkageError e) {
            throw new UnsupportedOperationException("the " + b.info().name() + " backend cannot bind posix_spawn: "
                    + e, e);
        }
        if (spawner == null) {
            throw new UnsupportedOperationException("the " + b.info().name() + " backend on " + b.info().os()
                    + " cannot start child processes");
        }
        return spawner;
    }

    /** Returns why no backend could be loaded, or {@code null} if one was (Netty's {@code unavailabilityCause}). */
    public static Throwable unavailabilityCause() {
        return Holder.RESULT instanceof Throwable t ? t : null;
    }

    /** Runs the selection over the given providers: the loader's logic, separate from the cache for tests. */
    static Object load(Iterable<BackendProvider> loader) {
        String os = System.getProperty("os.name") + " " + System.getProperty("os.version");
        String arch = System.getProperty("os.arch");
        String wanted = System.getProperty(PROPERTY);
        List<Throwable> reasons = new ArrayList<>();
        List<BackendProvider> candidates = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        var it = loader.iterator();
        while (true) {
            BackendProvider p;
            try {
                if (!it.hasNext()) {
                    break;
                }
                p = it.next();
            } catch (ServiceConfigurationError e) {
                reasons.add(e);
                continue;
            }
            seen.add(p.name());
            if (wanted != null && !wanted.isBlank() && !wanted.equals(p.name())) {
                reasons.add(new UnsupportedOperationException(p.name() + ": not selected (-D" + PROPERTY + "="
                        + wanted + ")"));
            } else if (!p.isSupported()) {
                reasons.add(new UnsupportedOperationException(p.name() + ": " + p.unsupportedReason()));
            } else {
                candidates.add(p);
            }
        }
        candidates.sort(Comparator.comparingInt(BackendProvider::priority).reversed());
        List<String> tried = new ArrayList<>();
        for (BackendProvider p : candidates) {
            try {
                Backend b = p.create();
                String why = "picked " + p.name() + " (priority " + p.priority() + ")"
                        + (wanted != null && !wanted.isBlank() ? " as -D" + PROPERTY + " asks" : "")
                        + " among " + seen
                        + (tried.isEmpty() ? "" : "; failed first: " + String.join(", ", tried))
                        + (reasons.isEmpty() ? "" : "; passed over: " + reasons.stream()
                                .map(Throwable::getMessage).collect(Collectors.joining("; ")));
                return new SelectedBackend(b, b.info().withSelection(why));
            } catch (RuntimeException | LinkageError e) {
                tried.add(p.name() + " (" + e + ")");
                reasons.add(new UnsupportedOperationException(p.name() + ": create() failed: " + e.getMessage(), e));
            }
        }
        String msg = "No jsocketpair backend for " + os + " (" + arch + "): "
                + (seen.isEmpty() ? "no providers found; add jsocketpair-linux or jsocketpair-bsd to the class path"
                        : "providers found: " + seen)
                + (wanted != null && !wanted.isBlank() && !seen.contains(wanted)
                        ? "; -D" + PROPERTY + "=" + wanted + " names none of them" : "")
                + (reasons.isEmpty() ? "" : "; " + reasons.stream().map(Throwable::getMessage)
                        .collect(Collectors.joining("; ")));
        var failure = new UnsupportedOperationException(msg);
        reasons.forEach(failure::addSuppressed);
        return failure;
    }
}
