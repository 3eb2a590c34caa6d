package io.github.jsocketpair.tests;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The native memory a test can see, measured after the garbage collector has run so that freed buffers are gone:
 * direct buffers (the JDK's count; the library's per-thread scratch memory and heap-buffer copies live there), JNA
 * {@code Memory} blocks still allocated (JNA's own registry), and the C heap in use across every glibc arena
 * ({@code malloc_info(3)}: whatever else native code, JNA's included, mallocs and keeps).
 *
 * @param directCount direct buffers alive
 * @param directBytes bytes in direct buffers
 * @param jnaBlocks JNA {@code Memory} blocks not yet freed, {@code -1} if JNA's registry cannot be read
 * @param mallocInUse bytes in use on the C heap, {@code -1} where there is no glibc {@code malloc_info}
 */
public record NativeMemory(long directCount, long directBytes, long jnaBlocks, long mallocInUse) {

    /** glibc's {@code malloc_info}, reached through JNA. */
    private interface C extends Library {
        Pointer fopen(String path, String mode);

        int fclose(Pointer stream);

        int malloc_info(int options, Pointer stream);
    }

    private static final class Holder {
        static final C C = load();

        private static C load() {
            try {
                return Native.load(Platform.C_LIBRARY_NAME, C.class);
            } catch (LinkageError e) {
                return null;
            }
        }
    }

    /**
     * Collects garbage until direct memory stops shrinking, then measures.
     *
     * @return the measurement
     */
    public static NativeMemory settled() {
        long last = Long.MAX_VALUE;
        for (int i = 0; i < 20; i++) {
            System.gc();
            try {
                Thread.sleep(50); // the Cleaner thread frees direct buffers after the collection
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            long now = direct().getMemoryUsed();
            if (now >= last && i >= 3) {
                break;
            }
            last = now;
        }
        BufferPoolMXBean d = direct();
        return new NativeMemory(d.getCount(), d.getMemoryUsed(), readJnaBlocks(), readMallocInUse());
    }

    private static BufferPoolMXBean direct() {
        for (BufferPoolMXBean b : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
            if (b.getName().equals("direct")) {
                return b;
            }
        }
        throw new IllegalStateException("no direct buffer pool");
    }

    private static long readJnaBlocks() {
        try {
            Field f = com.sun.jna.Memory.class.getDeclaredField("allocatedMemory");
            f.setAccessible(true);
            return ((Map<?, ?>) f.get(null)).size();
        } catch (ReflectiveOperationException | RuntimeException e) {
            return -1;
        }
    }

    private static final Pattern TOTAL = Pattern.compile("<total type=\"(fast|rest|mmap)\" count=\"\\d+\" size=\"(\\d+)\"/>");
    private static final Pattern CURRENT = Pattern.compile("<system type=\"current\" size=\"(\\d+)\"/>");

    /**
     * Bytes in use on the C heap: what the arenas got from the system, less their free chunks, plus mmapped chunks.
     * The totals after the last {@code </heap>} cover every arena.
     */
    private static long readMallocInUse() {
        C c = Holder.C;
        if (c == null) {
            return -1;
        }
        try {
            Path out = Files.createTempFile("malloc-info", ".xml");
            try {
                Pointer f = c.fopen(out.toString(), "w");
                if (f == null) {
                    return -1;
                }
                int r = c.malloc_info(0, f);
                c.fclose(f);
                if (r != 0) {
                    return -1;
                }
                String xml = Files.readString(out);
                int end = xml.lastIndexOf("</heap>");
                String totals = end < 0 ? xml : xml.substring(end);
                long free = 0;
                long mmap = 0;
                Matcher m = TOTAL.matcher(totals);
                while (m.find()) {
                    if (m.group(1).equals("mmap")) {
                        mmap = Long.parseLong(m.group(2));
                    } else {
                        free += Long.parseLong(m.group(2));
                    }
                }
                Matcher cur = CURRENT.matcher(totals);
                return cur.find() ? Long.parseLong(cur.group(1)) - free + mmap : -1;
            } finally {
                Files.deleteIfExists(out);
            }
        } catch (IOException | UnsatisfiedLinkError e) {
            return -1;
        }
    }

    /**
     * Fails unless nothing grew beyond the given slack between {@code before} and this measurement.
     *
     * @param before the earlier measurement
     * @param mallocSlack bytes the C heap may grow (JIT compiler threads, the JVM's own tables)
     * @param what what was done in between
     */
    public void assertNoGrowthSince(NativeMemory before, long mallocSlack, String what) {
        StringBuilder bad = new StringBuilder();
        if (directCount > before.directCount + 8 || directBytes > before.directBytes + (1 << 20)) {
            bad.append(" direct buffers ").append(before.directCount).append(" (").append(before.directBytes)
                    .append(" B) -> ").append(directCount).append(" (").append(directBytes).append(" B);");
        }
        if (before.jnaBlocks >= 0 && jnaBlocks > before.jnaBlocks + 2) {
            bad.append(" JNA Memory blocks ").append(before.jnaBlocks).append(" -> ").append(jnaBlocks).append(';');
        }
        if (before.mallocInUse >= 0 && mallocInUse > before.mallocInUse + mallocSlack) {
            bad.append(" C heap in use ").append(before.mallocInUse).append(" -> ").append(mallocInUse)
                    .append(" B (slack ").append(mallocSlack).append(");");
        }
        if (bad.length() > 0) {
            throw new AssertionError(what + ": native memory grew:" + bad);
        }
    }
}
