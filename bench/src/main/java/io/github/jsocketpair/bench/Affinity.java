package io.github.jsocketpair.bench;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;

/**
 * Pins the calling thread to CPUs with {@code sched_setaffinity(2)} (pid 0 = the calling thread), bound here with JNA
 * direct mapping: the library itself never pins anything.
 */
public final class Affinity {
    private static final boolean AVAILABLE;
    /**
     * The CPU count before anything is pinned: availableProcessors() reads the calling thread's affinity, so a thread
     * started by a pinned thread would see one CPU.
     */
    private static final int CPUS = Runtime.getRuntime().availableProcessors();

    static {
        boolean ok;
        try {
            Native.register(Affinity.class, NativeLibrary.getInstance(Platform.C_LIBRARY_NAME));
            ok = Platform.isLinux();
        } catch (LinkageError e) {
            ok = false;
        }
        AVAILABLE = ok;
    }

    private Affinity() {
    }

    // sched_setaffinity(2): cpu_set_t is a bit mask of unsigned longs; 1024 bits is glibc's CPU_SETSIZE
    private static native int sched_setaffinity(int pid, long cpusetsize, long[] mask);

    /**
     * Pins the calling thread to one CPU; a CPU number past the machine's count wraps around (a one-CPU machine puts
     * everything on CPU 0).
     *
     * @param cpu the CPU number
     */
    public static void pin(int cpu) {
        if (!AVAILABLE) {
            return;
        }
        int n = CPUS;
        long[] mask = new long[16];
        int c = cpu % Math.max(1, n);
        mask[c / 64] |= 1L << (c % 64);
        if (sched_setaffinity(0, mask.length * 8L, mask) != 0) {
            throw new IllegalStateException("sched_setaffinity(cpu " + c + ") failed: errno " + Native.getLastError());
        }
    }

    /**
     * Pins the calling thread for a placement: the main thread always goes to CPU 0, the helper thread to CPU 0 in
     * {@code one} and CPU 1 in {@code two}; {@code none} pins nothing.
     *
     * @param placement {@code one}, {@code two} or {@code none}
     * @param helper whether the calling thread is the helper (echo, drain) thread
     */
    public static void place(String placement, boolean helper) {
        switch (placement) {
            case "one" -> pin(0);
            case "two" -> pin(helper ? 1 : 0);
            case "none" -> {
            }
            default -> throw new IllegalArgumentException("placement " + placement);
        }
    }
}
