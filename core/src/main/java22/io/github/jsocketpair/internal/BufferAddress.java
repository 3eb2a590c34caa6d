package io.github.jsocketpair.internal;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

/**
 * JDK 22 and later: the address of a direct buffer through {@link MemorySegment#ofBuffer}, which is not a restricted
 * method and allocates nothing once inlined (the segment does not escape).
 */
final class BufferAddress {
    static final boolean AVAILABLE = true;

    private BufferAddress() {
    }

    /** The address of a direct buffer's first element (the segment starts at the position). */
    static long of(ByteBuffer direct) {
        return MemorySegment.ofBuffer(direct).address() - direct.position();
    }
}
