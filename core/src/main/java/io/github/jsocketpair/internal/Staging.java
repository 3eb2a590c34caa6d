package io.github.jsocketpair.internal;

import java.nio.ByteBuffer;

/**
 * How a buffer's bytes reach the kernel: a direct buffer by its own address, a heap buffer through the lent
 * {@link Scratch} data area, or either as its own memory segment where the binding can pass one
 * ({@link #ownSegment}). A stream moves at most {@link Scratch#MAX_CACHED_DATA} heap bytes per call (a short
 * transfer is allowed there); a record is never split, so a heap record of any size is staged whole.
 */
final class Staging {
    private Staging() {
    }

    /**
     * Heap transfers shorter than this go through the scratch area even where the binding can pass the buffer's own
     * segment: the segment is an object per call (the JIT does not always scalar-replace a heap one), and copying
     * under 1 KiB costs less than allocating it. Longer ones skip the copy, and one small object per KiB or more is
     * noise.
     */
    static final int HEAP_SEGMENT_MIN = 1024;

    /**
     * Tells whether one recv/send of {@code len} bytes passes {@code b}'s own memory segment
     * ({@link Libc#bufferCalls()}): always for a direct buffer (its segment also keeps an {@code Arena}'s memory
     * alive for the call, or refuses a closed one), for a heap buffer from {@link #HEAP_SEGMENT_MIN} bytes on.
     */
    static boolean ownSegment(Libc libc, ByteBuffer b, int len) {
        return libc.bufferCalls() && (b.isDirect() || len >= HEAP_SEGMENT_MIN);
    }

    /** How many of {@code room} bytes one read may take. */
    static int readLength(NativeEndpoint ep, int room) {
        return ep.records ? room : Math.min(room, Scratch.MAX_CACHED_DATA);
    }

    /** How many of {@code remaining} bytes one write may give. */
    static int writeLength(NativeEndpoint ep, int remaining) {
        return ep.records ? remaining : Math.min(remaining, Scratch.MAX_CACHED_DATA);
    }

    /**
     * The address the kernel reads or writes {@code len} bytes of {@code b} at, from {@code pos}: the buffer's own,
     * or the scratch data area's, with the bytes copied in when {@code copyIn}.
     */
    static long address(Scratch s, ByteBuffer b, int pos, int len, boolean copyIn) {
        if (b.isDirect()) {
            return s.directAddress(b) + pos;
        }
        ByteBuffer data = s.data(len);
        if (copyIn) {
            data.put(0, b, pos, len);
        }
        return s.addressOf(data);
    }

    /** After a read through {@link #address}: copies {@code n} bytes from the scratch area into a heap buffer. */
    static void copyOut(Scratch s, ByteBuffer b, int pos, int n, long address) {
        if (!b.isDirect()) {
            b.put(pos, s.dataAt(address), 0, n);
        }
    }
}
