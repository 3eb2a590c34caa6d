package io.github.jsocketpair.internal;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * Tells virtual threads (JDK 21+) from platform threads without raising the bytecode level: {@code Thread.isVirtual}
 * is looked up once through a method handle, and on a JDK without it every thread is a platform thread.
 */
final class Threads {
    private static final MethodHandle IS_VIRTUAL;

    static {
        MethodHandle h;
        try {
            h = MethodHandles.publicLookup().findVirtual(Thread.class, "isVirtual", MethodType.methodType(boolean.class));
        } catch (NoSuchMethodException | IllegalAccessException e) {
            h = null; // JDK 17-20: no virtual threads (19 and 20 only as a preview)
        }
        IS_VIRTUAL = h;
    }

    private Threads() {
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
