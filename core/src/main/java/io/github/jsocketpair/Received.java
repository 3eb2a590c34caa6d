package io.github.jsocketpair;

import java.io.IOException;
import java.util.List;
import java.util.Objects;

/**
 * What one {@link Endpoint#receive(java.nio.ByteBuffer, MessageFlag...)} call got.
 *
 * @param bytes the number of bytes stored in the buffer, or {@code -1} at end of stream
 * @param truncated the record did not fit in the buffer and its rest was discarded ({@code MSG_TRUNC})
 * @param controlTruncated control data (descriptors) did not fit ({@code MSG_CTRUNC}); the descriptors that did
 *        arrive are still on {@link #descriptors()}
 * @param endOfRecord the data ends a record ({@code MSG_EOR}), where the protocol reports it
 * @param descriptors descriptors that arrived with the data, owned by the receiver and close-on-exec; close them
 */
public record Received(int bytes, boolean truncated, boolean controlTruncated, boolean endOfRecord,
        List<Descriptor> descriptors) {

    /**
     * Checks and copies the components.
     *
     * @param bytes the bytes component
     * @param truncated the truncated component
     * @param controlTruncated the controlTruncated component
     * @param endOfRecord the endOfRecord component
     * @param descriptors the descriptors component
     * @throws IllegalArgumentException if {@code bytes} is below {@code -1}
     * @throws NullPointerException if {@code descriptors} or one of its elements is null
     */
    public Received {
        if (bytes < -1) {
            throw new IllegalArgumentException("bytes < -1: " + bytes);
        }
        descriptors = List.copyOf(Objects.requireNonNull(descriptors, "descriptors"));
    }

    /**
     * Tells whether this is the end of the stream (the peer closed or shut down its output).
     *
     * @return {@code true} when {@link #bytes()} is {@code -1}
     */
    public boolean isEndOfStream() {
        return bytes < 0;
    }

    /**
     * Closes every received descriptor, going on past failures and throwing the first one at the end.
     *
     * @throws IOException the first failure of a close
     */
    public void closeDescriptors() throws IOException {
        IOException first = null;
        for (Descriptor d : descriptors) {
            try {
                d.close();
            } catch (IOException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
