package io.github.jsocketpair.internal;

import io.github.jsocketpair.internal.spawn.Spawner;
import io.github.jsocketpair.spi.Backend;
import io.github.jsocketpair.spi.BackendProvider;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.stream.Collectors;

/**
 * Finds the backend: every {@link BackendProvider} found through this library's own class loader and the calling
 * thread's context class loader (an application server's shared library, a plugin loader), the same provider class
 * name only once, the library's own loader first; those that say they fit this OS and architecture, highest
 * priority first (or the one {@code -Djsocketpair.backend=NAME} names), the first whose
 * {@link BackendProvider#create()} succeeds. When none does, one exception names the OS, the architecture and every
 * provider's reason, each as a suppressed exception; there is never a silent fallback. A provider that throws from
 * any of its methods is one more reason, never an error of its own.
 *
 * <p>A backend, once found, serves the JVM for good. A failure is remembered with the context class loaders it
 * searched: a thread whose context class loader was not among them searches again (it may see a provider the others
 * could not). Nothing is kept in a class initialiser, so no failure can turn into an
 * {@link ExceptionInInitializerError} or a {@link NoClassDefFoundError} for the life of the JVM.
 */
public final class Backends {
    /** The system property that picks a backend by name. */
    public static final String PROPERTY = "jsocketpair.backend";

    private static final Object LOCK = new Object();
    /** The selected {@link Backend}, or the {@link UnsupportedOperationException} of the last search; null before. */
    private static volatile Object result;
    /** The context class loaders the failed searches looked through (weakly: loaders come and go); under LOCK. */
    private static final Set<ClassLoader> SEARCHED = Collections.newSetFromMap(new WeakHashMap<>());
    /** The thread searching now, under LOCK. */
    private static Thread searcher;

    private Backends() {
    }

    /**
     * Returns the selected backend, loading it on first use.
     *
     * @throws UnsupportedOperationException if no backend fits: a new exception on each call, with the same message,
     *     whose cause is the one selection failure recorded for this thread's context class loader (also
     *     {@link #unavailabilityCause()}); a new one each time so that the caller's stack trace is the current one
     */
    public static Backend get() {
        Object r = current();
        if (r instanceof Backend b) {
            return b;
        }
        UnsupportedOperationException cause = (UnsupportedOperationException) r;
        var e = new UnsupportedOperationException(cause.getMessage(), cause);
        throw e;
    }

    /** The cached result, or a new search when none fits this thread's context class loader. */
    private static Object current() {
        Object r = result;
        if (r instanceof Backend) {
            return r;
        }
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        synchronized (LOCK) {
            r = result;
            if (r instanceof Backend || (r != null && (context == null || SEARCHED.contains(context)))) {
                return r;
            }
            if (searcher == Thread.currentThread()) {
                // A provider's create() called back into the library: answer, rather than recurse for ever.
                return new UnsupportedOperationException("No jsocketpair backend yet: a backend provider called "
                        + "jsocketpair while the backend was being looked up");
            }
            searcher = Thread.currentThread();
            try {
                r = lookup(Backends.class.getClassLoader(), context);
            } finally {
                searcher = null;
            }
            if (context != null) {
                SEARCHED.add(context);
            }
            result = r;
            return r;
        }
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
        return current() instanceof Throwable t ? t : null;
    }

    /**
     * Searches the providers of both class loaders ({@link #providers}); never throws but for a
     * {@link VirtualMachineError}, which is not remembered (the next call searches again).
     */
    static Object lookup(ClassLoader own, ClassLoader context) {
        try {
            return load(providers(own, context));
        } catch (RuntimeException | Error e) {
            rethrowIfFatal(e);
            return new UnsupportedOperationException("No jsocketpair backend: the provider search failed: " + e, e);
        }
    }

    /**
     * Every provider {@link ServiceLoader} finds through {@code own}, then those only {@code context} finds (null or
     * the same loader: none), each provider class name once: a child loader also sees its parents' providers, and
     * a child-first loader may hold a second copy of the same jar. Errors of the underlying iterators pass through
     * unchanged; the iteration goes on after them, as {@link ServiceLoader}'s does.
     */
    static Iterable<BackendProvider> providers(ClassLoader own, ClassLoader context) {
        List<ServiceLoader<BackendProvider>> loaders = new ArrayList<>();
        loaders.add(ServiceLoader.load(BackendProvider.class, own));
        if (context != null && context != own) {
            loaders.add(ServiceLoader.load(BackendProvider.class, context));
        }
        return () -> new Iterator<>() {
            private final Set<String> names = new HashSet<>();
            private int index;
            private Iterator<BackendProvider> it = loaders.get(0).iterator();
            private BackendProvider next;

            @Override
            public boolean hasNext() {
                while (next == null) {
                    while (!it.hasNext()) {
                        if (++index >= loaders.size()) {
                            return false;
                        }
                        it = loaders.get(index).iterator();
                    }
                    BackendProvider p = it.next();
                    if (names.add(p.getClass().getName())) {
                        next = p;
                    }
                }
                return true;
            }

            @Override
            public BackendProvider next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                BackendProvider p = next;
                next = null;
                return p;
            }
        };
    }

    /** Lets what no caller can handle through (out of memory, stack overflow); everything else is a reason. */
    private static void rethrowIfFatal(Throwable e) {
        if (e instanceof VirtualMachineError v) {
            throw v;
        }
    }

    /** A provider that says it fits, with what it said, asked once. */
    private record Candidate(BackendProvider provider, String name, int priority) {
    }

    /**
     * Runs the selection over the given providers: the loader's logic, separate from the cache for tests. Each of a
     * provider's methods is called once, and whatever one throws (but a {@link VirtualMachineError}) is that
     * provider's reason.
     */
    static Object load(Iterable<BackendProvider> loader) {
        String os = System.getProperty("os.name") + " " + System.getProperty("os.version");
        String arch = System.getProperty("os.arch");
        String wanted = System.getProperty(PROPERTY);
        boolean picking = wanted != null && !wanted.isBlank();
        List<Throwable> reasons = new ArrayList<>();
        List<Candidate> candidates = new ArrayList<>();
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
                // The same broken entry seen through both class loaders is one reason.
                if (reasons.stream().noneMatch(r -> Objects.equals(r.getMessage(), e.getMessage()))) {
                    reasons.add(e);
                }
                continue;
            }
            String name;
            try {
                name = Objects.requireNonNull(p.name(), "null name");
            } catch (RuntimeException | Error e) {
                rethrowIfFatal(e);
                name = p.getClass().getName();
                seen.add(name);
                reasons.add(new UnsupportedOperationException(name + ": name() failed: " + e, e));
                continue;
            }
            seen.add(name);
            if (picking && !wanted.equals(name)) {
                reasons.add(new UnsupportedOperationException(name + ": not selected (-D" + PROPERTY + "="
                        + wanted + ")"));
                continue;
            }
            boolean supported;
            try {
                supported = p.isSupported();
            } catch (RuntimeException | Error e) {
                rethrowIfFatal(e);
                reasons.add(new UnsupportedOperationException(name + ": isSupported() failed: " + e, e));
                continue;
            }
            if (!supported) {
                String why;
                try {
                    why = p.unsupportedReason();
                } catch (RuntimeException | Error e) {
                    rethrowIfFatal(e);
                    reasons.add(new UnsupportedOperationException(name + ": not supported (unsupportedReason() "
                            + "failed: " + e + ")", e));
                    continue;
                }
                reasons.add(new UnsupportedOperationException(name + ": " + why));
                continue;
            }
            int priority;
            try {
                priority = p.priority();
            } catch (RuntimeException | Error e) {
                rethrowIfFatal(e);
                reasons.add(new UnsupportedOperationException(name + ": priority() failed: " + e, e));
                continue;
            }
            candidates.add(new Candidate(p, name, priority));
        }
        candidates.sort(Comparator.comparingInt(Candidate::priority).reversed());
        List<String> tried = new ArrayList<>();
        for (Candidate c : candidates) {
            try {
                Backend b = c.provider().create();
                String why = "picked " + c.name() + " (priority " + c.priority() + ")"
                        + (picking ? " as -D" + PROPERTY + " asks" : "")
                        + " among " + seen
                        + (tried.isEmpty() ? "" : "; failed first: " + String.join(", ", tried))
                        + (reasons.isEmpty() ? "" : "; passed over: " + reasons.stream()
                                .map(Throwable::getMessage).collect(Collectors.joining("; ")));
                return new SelectedBackend(b, b.info().withSelection(why));
            } catch (RuntimeException | Error e) {
                rethrowIfFatal(e);
                tried.add(c.name() + " (" + e + ")");
                reasons.add(new UnsupportedOperationException(c.name() + ": create() failed: " + e.getMessage(), e));
            }
        }
        String msg = "No jsocketpair backend for " + os + " (" + arch + "): "
                + (seen.isEmpty() ? "no providers found; add jsocketpair-linux or jsocketpair-bsd to the class path"
                        : "providers found: " + seen)
                + (picking && !seen.contains(wanted) ? "; -D" + PROPERTY + "=" + wanted + " names none of them" : "")
                + (reasons.isEmpty() ? "" : "; " + reasons.stream().map(Throwable::getMessage)
                        .collect(Collectors.joining("; ")));
        var failure = new UnsupportedOperationException(msg);
        reasons.forEach(failure::addSuppressed);
        return failure;
    }
}
