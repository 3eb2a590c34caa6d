package io.github.jsocketpair.internal;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

/**
 * JDK 22 and later: the address of a direct buffer through {@link MemorySegment#ofBuffer}, which is not a restricted
 * method and allocates nothing once inlined (the segment does not escape). A buffer over a segment whose arena is
 * closed is refused with {@link IllegalStateException}, as the JDK's channels refuse it, rather than read or written
 * after the memory was freed.
 */
final class BufferAddress {
    static final boolean AVAILABLE = true;

    private BufferAddress() {
    }

    /** The address of a direct buffer's first element (the segment starts at the position). */
    static long of(ByteBuffer direct) {
        MemorySegment segment = MemorySegment.ofBuffer(direct);
        if (!segment.scope().isAlive()) {
            throw new IllegalStateException("Already closed: the buffer's arena was closed");
        }
        return segment.address() - direct.position();
    }
}
