package io.github.jsocketpair.internal;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.Executor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Tells virtual threads (JDK 21+) from platform threads without raising the bytecode level: {@code Thread.isVirtual}
 * is looked up once through a method handle, and on a JDK without it every thread is a platform thread. Also where
 * the asynchronous view's operations run ({@link #operations()}).
 */
final class Threads {
    private static final MethodHandle IS_VIRTUAL;
    /** {@code java.lang.Thread.Builder}, or null before JDK 19. */
    private static final Class<?> BUILDER;

    static {
        MethodHandle h;
        try {
            h = MethodHandles.publicLookup().findVirtual(Thread.class, "isVirtual", MethodType.methodType(boolean.class));
        } catch (NoSuchMethodException | IllegalAccessException e) {
            h = null; // JDK 17-20: no virtual threads (19 and 20 only as a preview)
        }
        IS_VIRTUAL = h;
        Class<?> b;
        try {
            b = Class.forName("java.lang.Thread$Builder");
        } catch (ClassNotFoundException e) {
            b = null; // JDK 17-18
        }
        BUILDER = b;
    }

    private Threads() {
    }

    /**
     * Where the asynchronous view runs each operation: a new virtual thread per operation where the JDK has them
     * (21+; a virtual thread waits parked on the backend's poller, so a pending operation costs no platform thread),
     * else a shared pool of daemon platform threads that grows with the operations in progress and lets a thread go
     * after 10 s idle (each such thread waits in {@code poll(2)} while its operation is pending; a pool of fixed size
     * would let pending reads starve the writes that would complete them).
     */
    static Executor operations() {
        return Operations.EXECUTOR;
    }

    /** Tells whether {@link #operations()} starts virtual threads. */
    static boolean operationsAreVirtual() {
        return Operations.VIRTUAL != null;
    }

    private static final class Operations {
        static final ThreadFactory VIRTUAL = virtualFactory();
        static final Executor EXECUTOR = VIRTUAL != null ? r -> VIRTUAL.newThread(r).start() : platformPool();

        /** {@code Thread.ofVirtual().name("jsocketpair-async-", 0).factory()}, found reflectively; null before 21. */
        private static ThreadFactory virtualFactory() {
            try {
                Object builder = virtualBuilder("jsocketpair-async-", true);
                return builder == null ? null : (ThreadFactory) BUILDER.getMethod("factory").invoke(builder);
            } catch (ReflectiveOperationException | RuntimeException e) {
                return null;
            }
        }

        private static Executor platformPool() {
            AtomicLong n = new AtomicLong();
            ThreadFactory daemons = r -> {
                Thread t = new Thread(r, "jsocketpair-async-" + n.getAndIncrement());
                t.setDaemon(true);
                return t;
            };
            return new ThreadPoolExecutor(0, Integer.MAX_VALUE, 10, TimeUnit.SECONDS, new SynchronousQueue<>(),
                    daemons);
        }
    }

    /**
     * Returns an unstarted virtual thread named {@code name} that runs {@code task}, or null on a JDK without virtual
     * threads (17-20).
     */
    static Thread unstartedVirtual(String name, Runnable task) {
        try {
            Object builder = virtualBuilder(name, false);
            return builder == null ? null
                    : (Thread) BUILDER.getMethod("unstarted", Runnable.class).invoke(builder, task);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    /** Tells whether this JDK can start virtual threads (21+; 19 and 20 only with previews enabled). */
    static boolean hasVirtualThreads() {
        return VirtualThreads.AVAILABLE;
    }

    private static final class VirtualThreads {
        static final boolean AVAILABLE = virtualBuilder("probe", false) != null;
    }

    /**
     * {@code Thread.ofVirtual().name(name)} (with {@code numbered}: {@code .name(name, 0)}, a counter appended), found
     * reflectively as this is JDK 17 bytecode; null on a JDK without virtual threads. The one place that looks the
     * builder up, for the asynchronous view's factory and the pollers' threads.
     */
    private static Object virtualBuilder(String name, boolean numbered) {
        if (IS_VIRTUAL == null || BUILDER == null) {
            return null;
        }
        try {
            Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
            return numbered ? BUILDER.getMethod("name", String.class, long.class).invoke(builder, name, 0L)
                    : BUILDER.getMethod("name", String.class).invoke(builder, name);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null; // JDK 19 and 20: a preview feature, refused unless the JVM enables previews
        }
    }

    /** Tells whether {@code t} is a virtual thread. */
    static boolean isVirtual(Thread t) {
        if (IS_VIRTUAL == null) {
            return false;
        }
        try {
            return (boolean) IS_VIRTUAL.invokeExact(t);
        } catch (Throwable e) {
            throw new AssertionError(e);
        }
    }
}
