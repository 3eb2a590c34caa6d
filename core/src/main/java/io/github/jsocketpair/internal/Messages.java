package io.github.jsocketpair.internal;

import io.github.jsocketpair.Descriptor;
import io.github.jsocketpair.Domain;
import io.github.jsocketpair.MessageFlag;
import io.github.jsocketpair.Received;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Objects;

/**
 * The message calls of an endpoint: {@code receive} with its flags ({@code WAITALL} on a stream done here, the low
 * watermark, the control buffer) and {@code sendMessage}/{@code sendDescriptors} with the checks descriptor passing
 * needs before anything is sent (the platform's limit, an AF_UNIX socket, a data byte on a stream). Each is one
 * loop over one non-blocking call ({@link Transfers#receive}, {@link Vectors#once}) and the endpoint's one wait
 * path, under its read or write lock.
 */
final class Messages {
    private Messages() {
    }

    /**
     * {@link io.github.jsocketpair.Endpoint#receive(ByteBuffer, MessageFlag...)} with a control buffer of
     * {@code controlBytes} (at most the scratch control area; {@code -1} for all of it). Smaller sizes exist only so
     * tests can provoke {@code MSG_CTRUNC}, which the full-size buffer never sees in normal use.
     *
     * <p>{@code WAITALL} on a stream is done here, not by the kernel (the call never blocks there): it receives until
     * the buffer is full, the stream ends or descriptors arrive (a message with descriptors ends a receive, as in
     * the kernel); a timeout leaves what arrived in the buffer and throws.
     */
    static Received receive(NativeEndpoint ep, ByteBuffer dst, int controlBytes, MessageFlag... flags)
            throws IOException {
        NativeConstants c = ep.c;
        if (dst.isReadOnly()) {
            throw new IllegalArgumentException("read-only buffer");
        }
        int bits = 0;
        boolean waitAll = false;
        boolean dontWait = false;
        for (MessageFlag f : flags) {
            switch (Objects.requireNonNull(f, "flag")) {
                case PEEK -> bits |= c.MSG_PEEK;
                case DONTWAIT -> dontWait = true;
                case WAITALL -> waitAll = true;
                case OOB -> bits |= c.MSG_OOB;
                case EOR -> throw new IllegalArgumentException("EOR is a send flag");
            }
        }
        boolean blocking = !ep.nonBlocking() && !dontWait;
        if (waitAll && (ep.records || !blocking)) {
            bits |= c.MSG_WAITALL; // the kernel's own meaning for records and non-blocking calls
            waitAll = false;
        }
        // The low watermark holds a blocking stream receive as WAITALL does, up to its count (not for a peek).
        int minimum = waitAll ? dst.remaining()
                : (bits & c.MSG_PEEK) != 0 ? 0 : ep.options().minimumRead(blocking, dst.remaining());
        int fd = ep.enterRead(blocking);
        try {
            int total = 0;
            for (long deadline = blocking ? ep.awaitIfDrained(fd) : 0;;) {
                Received r = Transfers.receive(ep, fd, dst, controlBytes, bits);
                if (r == null) {
                    if (!blocking) {
                        return total > 0 ? new Received(total, false, false, false, List.of()) : null;
                    }
                    deadline = ep.awaitReady(fd, false, deadline, ep.readTimeoutMillis());
                    continue;
                }
                if (minimum == 0 || r.bytes() <= 0 || !r.descriptors().isEmpty() || r.controlTruncated()
                        || !dst.hasRemaining() || total + r.bytes() >= minimum) {
                    if (total == 0) {
                        return r;
                    }
                    return new Received(total + Math.max(0, r.bytes()), r.truncated(), r.controlTruncated(),
                            r.endOfRecord(), r.descriptors(), r.credentials());
                }
                total += r.bytes();
            }
        } finally {
            ep.exitRead();
        }
    }

    /** {@link io.github.jsocketpair.Endpoint#sendMessage}: checks the arguments and flags, then sends one message. */
    static long sendMessage(NativeEndpoint ep, ByteBuffer[] data, List<? extends Descriptor> descriptors,
            MessageFlag... flags) throws IOException {
        NativeConstants c = ep.c;
        Objects.requireNonNull(data, "data");
        Vectors.check(data, 0, data.length, false);
        Objects.requireNonNull(descriptors, "descriptors");
        int bits = 0;
        boolean dontWait = false;
        for (MessageFlag f : flags) {
            switch (Objects.requireNonNull(f, "flag")) {
                case DONTWAIT -> dontWait = true;
                case EOR -> bits |= c.MSG_EOR;
                case OOB, PEEK, WAITALL -> throw new IllegalArgumentException(f + " is not a sendMessage flag");
            }
        }
        return send(ep, data, descriptors.toArray(new Descriptor[0]), bits, dontWait, true);
    }

    /**
     * One message of gathered data and descriptors through the one wait path. With {@code all}, a blocking call on a
     * stream goes on writing the rest of the bytes (without descriptors, which went with the first) until every byte
     * is sent.
     */
    static long send(NativeEndpoint ep, ByteBuffer[] data, Descriptor[] descriptors, int flags, boolean dontWait,
            boolean all) throws IOException {
        NativeConstants c = ep.c;
        for (Descriptor d : descriptors) {
            Objects.requireNonNull(d, "descriptor");
        }
        if (descriptors.length > 0) {
            if (c.maxFdsPerMessage == 0) {
                throw new UnsupportedOperationException("descriptor passing is not available on "
                        + ep.backend.info().os());
            }
            if (ep.domain() != Domain.UNIX) {
                // SCM_RIGHTS is AF_UNIX's (unix(7)); TIPC's sendmsg ignores control data and would send the bytes
                // while the descriptors silently vanish.
                throw new UnsupportedOperationException("descriptor passing needs a UNIX socket, not " + ep.domain());
            }
            if (descriptors.length > c.maxFdsPerMessage) {
                throw new IllegalArgumentException(descriptors.length + " descriptors: one message carries at most "
                        + c.maxFdsPerMessage + " on " + ep.backend.info().os());
            }
            if (!ep.records && !Vectors.hasRemaining(data, 0, data.length)) {
                // A stream peer reads bytes, not messages: with no byte the descriptors would never be seen.
                throw new IllegalArgumentException("at least one data byte must travel with descriptors on a stream");
            }
        }
        boolean blocking = !ep.nonBlocking() && !dontWait;
        int fd = ep.enterWrite(blocking);
        int held = 0;
        try {
            int[] rights = new int[descriptors.length];
            for (; held < descriptors.length; held++) {
                rights[held] = Owned.hold(descriptors[held]);
            }
            if (!ep.records && rights.length == 0 && !Vectors.hasRemaining(data, 0, data.length)) {
                return 0;
            }
            return CallAndWait.gatherHeld(ep, fd, data, 0, data.length, rights, flags, all, blocking);
        } finally {
            for (int i = 0; i < held; i++) {
                Owned.unhold(descriptors[i]);
            }
            ep.exitWrite();
        }
    }
}
