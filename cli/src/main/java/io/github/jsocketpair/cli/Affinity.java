package io.github.jsocketpair.cli;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;

/**
 * Pins a thread to one CPU with {@code sched_setaffinity(2)} (Linux; pid 0 = the calling thread), as
 * {@code bench/run.sh}'s one-CPU placement does: the bench's two threads then share a CPU and the scheduler's
 * placement stops adding noise. Bound with JNA direct mapping; the library itself never pins anything.
 */
final class Affinity {
    /** 1024 CPUs, glibc's {@code CPU_SETSIZE}, as unsigned longs. */
    private static final int WORDS = 16;
    private static final String UNAVAILABLE;

    static {
        String why = null;
        if (!Platform.isLinux()) {
            why = "sched_setaffinity is Linux's; " + System.getProperty("os.name") + " has none";
        } else {
            try {
                Native.register(Affinity.class, NativeLibrary.getInstance(Platform.C_LIBRARY_NAME));
            } catch (LinkageError e) {
                why = "sched_setaffinity could not be bound: " + e.getMessage();
            }
        }
        UNAVAILABLE = why;
    }

    private Affinity() {
    }

    // sched_getaffinity(2), sched_setaffinity(2): cpu_set_t is a bit mask of unsigned longs
    private static native int sched_getaffinity(int pid, long cpusetsize, long[] mask) throws LastErrorException;

    private static native int sched_setaffinity(int pid, long cpusetsize, long[] mask) throws LastErrorException;

    /**
     * The lowest CPU the calling thread may run on, to pin to: CPU 0 may be outside a container's CPU set.
     *
     * @throws IllegalStateException where pinning is unavailable or the call fails, with the reason
     */
    static int firstAllowedCpu() {
        check();
        long[] mask = new long[WORDS];
        try {
            sched_getaffinity(0, mask.length * 8L, mask);
        } catch (LastErrorException e) {
            throw new IllegalStateException("sched_getaffinity failed: errno " + e.getErrorCode(), e);
        }
        for (int i = 0; i < mask.length; i++) {
            if (mask[i] != 0) {
                return i * 64 + Long.numberOfTrailingZeros(mask[i]);
            }
        }
        throw new IllegalStateException("sched_getaffinity gave an empty CPU set");
    }

    /**
     * Pins the calling thread to {@code cpu}.
     *
     * @throws IllegalStateException where pinning is unavailable or the call fails (e.g. EINVAL for a CPU outside
     *         the allowed set), with the reason
     */
    static void pin(int cpu) {
        check();
        if (cpu < 0 || cpu >= WORDS * 64) {
            throw new IllegalArgumentException("cpu " + cpu);
        }
        long[] mask = new long[WORDS];
        mask[cpu / 64] = 1L << (cpu % 64);
        try {
            sched_setaffinity(0, mask.length * 8L, mask);
        } catch (LastErrorException e) {
            throw new IllegalStateException("sched_setaffinity(cpu " + cpu + ") failed: errno " + e.getErrorCode(), e);
        }
    }

    private static void check() {
        if (UNAVAILABLE != null) {
            throw new IllegalStateException(UNAVAILABLE);
        }
    }
}
