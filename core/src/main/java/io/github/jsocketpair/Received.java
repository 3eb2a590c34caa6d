package io.github.jsocketpair;

import java.io.IOException;
import java.util.AbstractList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.RandomAccess;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What one {@link Endpoint#receive(java.nio.ByteBuffer, MessageFlag...)} call got. It owns the descriptors that
 * arrived until the caller takes them: use it in try-with-resources, and {@link #close()} closes every descriptor
 * the caller did not {@link #takeDescriptors() take}, so ignored descriptors never pile up in the table. A descriptor
 * turned into an endpoint with {@link Endpoint#adopt} counts as taken (the adopted descriptor object is closed
 * without closing the socket, so {@code close()} leaves the endpoint alone).
 *
 * <p>Still a record: equality and the accessors are those of its components; whether the descriptors were taken
 * or closed is kept inside the {@link #descriptors()} list and takes no part in equality.
 *
 * @param bytes the number of bytes stored in the buffer, or {@code -1} at end of stream
 * @param truncated the record did not fit in the buffer and its rest was discarded ({@code MSG_TRUNC})
 * @param controlTruncated control data did not fit ({@code MSG_CTRUNC}): descriptors were discarded by the kernel,
 *        e.g. because {@link SocketPairOptions#RECEIVE_DESCRIPTORS} is off; the descriptors that did arrive are
 *        still on {@link #descriptors()}
 * @param endOfRecord the data ends a record ({@code MSG_EOR}), where the protocol reports it
 * @param descriptors descriptors that arrived with the data, owned by this object until taken, close-on-exec
 * @param credentials the sender of this message, when {@link SocketPairOptions#PASS_CREDENTIALS} is on and the
 *        kernel attached them
 */
public record Received(int bytes, boolean truncated, boolean controlTruncated, boolean endOfRecord,
        List<Descriptor> descriptors, Optional<PeerCredentials> credentials) implements AutoCloseable {

    /**
     * Checks and copies the components.
     *
     * @param bytes the bytes component
     * @param truncated the truncated component
     * @param controlTruncated the controlTruncated component
     * @param endOfRecord the endOfRecord component
     * @param descriptors the descriptors component
     * @param credentials the credentials component
     * @throws IllegalArgumentException if {@code bytes} is below {@code -1}
     * @throws NullPointerException if {@code descriptors}, one of its elements or {@code credentials} is null
     */
    public Received {
        if (bytes < -1) {
            throw new IllegalArgumentException("bytes < -1: " + bytes);
        }
        descriptors = new Held(List.copyOf(Objects.requireNonNull(descriptors, "descriptors")));
        Objects.requireNonNull(credentials, "credentials");
    }

    /**
     * Makes a result with no credentials.
     *
     * @param bytes the bytes component
     * @param truncated the truncated component
     * @param controlTruncated the controlTruncated component
     * @param endOfRecord the endOfRecord component
     * @param descriptors the descriptors component
     * @throws IllegalArgumentException if {@code bytes} is below {@code -1}
     * @throws NullPointerException if {@code descriptors} or one of its elements is null
     */
    public Received(int bytes, boolean truncated, boolean controlTruncated, boolean endOfRecord,
            List<Descriptor> descriptors) {
        this(bytes, truncated, controlTruncated, endOfRecord, descriptors, Optional.empty());
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
     * Hands the received descriptors over to the caller, who must close them; this object then closes none of them.
     * Only the first call (before {@link #close()}) hands anything over.
     *
     * @return the descriptors, in arrival order; empty if none came, or they were already taken or closed
     */
    public List<Descriptor> takeDescriptors() {
        Held h = (Held) descriptors;
        return h.settled.compareAndSet(false, true) ? h.list : List.of();
    }

    /**
     * Closes every received descriptor the caller has not taken with {@link #takeDescriptors()} (an adopted one is
     * already closed and stays as it is), going on past failures. A second call does nothing.
     *
     * @throws IOException the first failure of a close, the others suppressed in it
     */
    @Override
    public void close() throws IOException {
        Held h = (Held) descriptors;
        if (h.settled.compareAndSet(false, true)) {
            closeAll(h.list);
        }
    }

    /**
     * Closes every received descriptor, taken or not, going on past failures and throwing the first one at the end.
     *
     * @throws IOException the first failure of a close
     */
    public void closeDescriptors() throws IOException {
        ((Held) descriptors).settled.set(true);
        closeAll(descriptors);
    }

    private static void closeAll(List<Descriptor> list) throws IOException {
        IOException first = null;
        for (Descriptor d : list) {
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

    /** An unmodifiable list that also remembers whether its descriptors were handed over or closed. */
    private static final class Held extends AbstractList<Descriptor> implements RandomAccess {
        final List<Descriptor> list;
        final AtomicBoolean settled = new AtomicBoolean();

        Held(List<Descriptor> list) {
            this.list = list;
        }

        @Override
        public Descriptor get(int index) {
            return list.get(index);
        }

        @Override
        public int size() {
            return list.size();
        }
    }
}
