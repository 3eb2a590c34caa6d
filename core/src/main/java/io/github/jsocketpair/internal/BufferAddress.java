package io.github.jsocketpair.internal;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Field;
import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The address of a direct buffer without a JNI call or an allocation, so the hot path needs no address cache. JDK 17
 * to 21: {@code java.nio.Buffer.address} read through {@code sun.misc.Unsafe} (module {@code jdk.unsupported}, found
 * reflectively so that nothing here depends on it at compile time); JDK 22 and later use the multi-release variant
 * of this class ({@code MemorySegment.ofBuffer}), since Unsafe's memory access warns from JDK 24 (JEP 471/498).
 * Where neither works, {@link #AVAILABLE} is false and the caller asks the backend instead.
 */
final class BufferAddress {
    static final boolean AVAILABLE;
    private static final MethodHandle GET_LONG; // Unsafe.getLong(Object, long), bound to the instance
    private static final long OFFSET;

    static {
        MethodHandle getLong = null;
        long offset = -1;
        boolean ok = false;
        try {
            Class<?> u = Class.forName("sun.misc.Unsafe");
            Field f = u.getDeclaredField("theUnsafe");
            f.setAccessible(true);
            Object unsafe = f.get(null);
            offset = (long) u.getMethod("objectFieldOffset", Field.class).invoke(unsafe,
                    Buffer.class.getDeclaredField("address"));
            getLong = MethodHandles.publicLookup().unreflect(u.getMethod("getLong", Object.class, long.class))
                    .bindTo(unsafe);
            MethodHandle readNative = MethodHandles.publicLookup().unreflect(u.getMethod("getLong", long.class))
                    .bindTo(unsafe);
            // Check the field really is the address: what the buffer wrote must be at it.
            ByteBuffer probe = ByteBuffer.allocateDirect(8).order(ByteOrder.nativeOrder());
            probe.putLong(0, 0x1122334455667788L);
            long at = (long) getLong.invokeExact((Object) probe, offset);
            ok = at != 0 && (long) readNative.invokeExact(at) == 0x1122334455667788L;
        } catch (Throwable e) { // any failure (no jdk.unsupported, a changed field) only means: not available
            ok = false;
        }
        AVAILABLE = ok;
        GET_LONG = ok ? getLong : null;
        OFFSET = offset;
    }

    private BufferAddress() {
    }

    /** The address of a direct buffer's first element; only when {@link #AVAILABLE}. */
    static long of(ByteBuffer direct) {
        try {
            return (long) GET_LONG.invokeExact((Object) direct, OFFSET);
        } catch (Throwable e) {
            throw new AssertionError(e);
        }
    }
}
