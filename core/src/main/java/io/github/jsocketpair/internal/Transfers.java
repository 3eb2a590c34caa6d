package io.github.jsocketpair.internal;

import io.github.jsocketpair.Descriptor;
import io.github.jsocketpair.Received;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * One system call moving one buffer: {@code recv}, {@code send} and {@code recvmsg} with {@code MSG_DONTWAIT},
 * whatever the file's {@code O_NONBLOCK} says, so the call never blocks in the kernel and the endpoint's own mode
 * decides whether to wait ({@link NativeEndpoint}); or, for what {@link NativeEndpoint#blocksInCall} allows, a
 * {@code recv}/{@code send} that does block there ({@link KernelWaits}). Results: a byte count, {@link #END} (end of
 * stream, by the endpoint's {@link EndOfStream} policy) or {@link #WOULD_BLOCK}; EINTR is retried here. Heap buffers
 * go straight to the kernel where the binding can pass a Java array ({@link Libc#bufferCalls()}, JDK 22+), else
 * through the lent {@link Scratch} area ({@link Staging}).
 */
final class Transfers {
    /** End of stream. */
    static final long END = -1;
    /** The call would block. */
    static final long WOULD_BLOCK = -2;
    /** EINTR: make the call again. */
    private static final long AGAIN = -3;
    /**
     * A call that blocked in the kernel ({@link KernelWaits}) was interrupted by a signal (EINTR): the caller looks
     * at the endpoint (closed? interrupted?) before it makes the call again.
     */
    static final long INTERRUPTED = -4;

    private Transfers() {
    }

    /** One recv into {@code dst} from its position, with {@code flags} (PEEK); advances the position. */
    static long read(NativeEndpoint ep, int fd, ByteBuffer dst, int flags) throws IOException {
        return read(ep, fd, dst, flags, false);
    }

    /**
     * One recv as {@link #read(NativeEndpoint, int, ByteBuffer, int)}; with {@code block}, without
     * {@code MSG_DONTWAIT} and through an ordinary (not critical) downcall, so that it may wait in the kernel, and
     * {@link #INTERRUPTED} for EINTR. Only for what {@link NativeEndpoint#blocksInCall} allows.
     */
    static long read(NativeEndpoint ep, int fd, ByteBuffer dst, int flags, boolean block) throws IOException {
        if (ep.eos.ended()) {
            return END;
        }
        NativeConstants c = ep.c;
        Scratch s = ep.backend.pool().take();
        try {
            int pos = dst.position();
            boolean own = block ? dst.isDirect() && s.libc.bufferCalls()
                    : Staging.ownSegment(s.libc, dst, dst.limit() - pos);
            int len = own ? dst.limit() - pos : Staging.readLength(ep, dst.limit() - pos);
            long address = own ? 0 : Staging.address(s, dst, pos, len, false);
            int bits = block ? flags : flags | c.MSG_DONTWAIT;
            for (;;) {
                long n = own ? block ? s.libc.recvBufferBlocking(fd, dst, len, bits)
                        : s.libc.recvBuffer(fd, dst, len, bits) : s.libc.recv(fd, address, len, bits);
                if (n < 0) {
                    n = readFailed(ep, s.libc.errno(), "recv", fd, len);
                    if (n == AGAIN) {
                        if (block) {
                            return INTERRUPTED;
                        }
                        continue;
                    }
                    return n;
                }
                if (n == 0) {
                    return ep.eos.zeroIsEnd(s, fd, len, (flags & c.MSG_PEEK) != 0) ? END : 0;
                }
                if (!own) {
                    Staging.copyOut(s, dst, pos, (int) n, address);
                }
                dst.position(pos + (int) n);
                return n;
            }
        } finally {
            ep.backend.pool().give(s);
        }
    }

    /** One send of {@code src} from its position with MSG_NOSIGNAL and {@code flags}; advances the position. */
    static long send(NativeEndpoint ep, int fd, ByteBuffer src, int flags) throws IOException {
        return send(ep, fd, src, flags, false);
    }

    /**
     * One send as {@link #send(NativeEndpoint, int, ByteBuffer, int)}; with {@code block}, without
     * {@code MSG_DONTWAIT}, through an ordinary downcall, and {@link #INTERRUPTED} for EINTR (a send that was
     * interrupted after some bytes went returns their count instead, as send(2) does).
     */
    static long send(NativeEndpoint ep, int fd, ByteBuffer src, int flags, boolean block) throws IOException {
        NativeConstants c = ep.c;
        Scratch s = ep.backend.pool().take();
        try {
            int pos = src.position();
            boolean own = block ? src.isDirect() && !src.isReadOnly() && s.libc.bufferCalls()
                    : !src.isReadOnly() && Staging.ownSegment(s.libc, src, src.limit() - pos);
            int len = own ? src.limit() - pos : Staging.writeLength(ep, src.limit() - pos);
            long address = own ? 0 : Staging.address(s, src, pos, len, true);
            int bits = block ? flags | c.MSG_NOSIGNAL : flags | c.MSG_NOSIGNAL | c.MSG_DONTWAIT;
            for (;;) {
                long n = own ? block ? s.libc.sendBufferBlocking(fd, src, len, bits)
                        : s.libc.sendBuffer(fd, src, len, bits) : s.libc.send(fd, address, len, bits);
                if (n >= 0) {
                    src.position(pos + (int) n);
                    return n;
                }
                n = writeFailed(ep, s.libc.errno(), "send", fd, len);
                if (n == AGAIN && block) {
                    return INTERRUPTED;
                }
                if (n != AGAIN) {
                    return n;
                }
            }
        } finally {
            ep.backend.pool().give(s);
        }
    }

    /**
     * One recvmsg into {@code dst} with room for {@code controlBytes} of control data (-1: all the area has), taking
     * ownership of every descriptor that arrived; null when it would block.
     */
    static Received receive(NativeEndpoint ep, int fd, ByteBuffer dst, int controlBytes, int flags)
            throws IOException {
        NativeConstants c = ep.c;
        if (ep.eos.ended()) {
            return endOfStream();
        }
        Scratch s = ep.backend.pool().take();
        try {
            int pos = dst.position();
            int len = Staging.readLength(ep, dst.limit() - pos);
            long address = Staging.address(s, dst, pos, len, false);
            MessageCodec.putIovec(c, s.area, s.iov, 0, address, len);
            int control = controlBytes < 0 ? ep.options().controlRoom(s.controlSize) : Math.min(controlBytes, s.controlSize);
            for (;;) {
                MessageCodec.putMsghdr(c, s.area, s.msg, s.areaAddress + s.iov, 1, s.areaAddress + s.control,
                        control);
                long n = s.libc.recvmsg(fd, s.areaAddress + s.msg, flags | c.MSG_DONTWAIT | ep.receiveFlags);
                if (n < 0) {
                    n = readFailed(ep, s.libc.errno(), "recvmsg", fd, len);
                    if (n == AGAIN) {
                        continue;
                    }
                    return n == END ? endOfStream() : null;
                }
                List<Descriptor> fds = DescriptorPassing.take(ep.backend, s, control);
                java.util.Optional<io.github.jsocketpair.PeerCredentials> credentials =
                        DescriptorPassing.credentials(ep.backend, s, control);
                int msgFlags = MessageCodec.msgFlags(c, s.area, s.msg);
                if (!fds.isEmpty() && controlBytes < 0 && !ep.options().receivesDescriptors()) {
                    // Refused, yet some fitted (room left for credentials that did not come, e.g. a stream's
                    // one-shot LOCAL_CREDS): close them at once and report them as dropped.
                    for (Descriptor d : fds) {
                        try {
                            d.close();
                        } catch (IOException e) {
                            // close(2) released the number either way; nothing to hand back
                        }
                    }
                    fds = List.of();
                    msgFlags |= c.MSG_CTRUNC;
                }
                boolean truncated = (msgFlags & c.MSG_TRUNC) != 0;
                boolean end = n == 0 && fds.isEmpty() && !truncated
                        && ep.eos.zeroIsEnd(s, fd, len, (flags & c.MSG_PEEK) != 0);
                if (n > 0) {
                    Staging.copyOut(s, dst, pos, (int) n, address);
                    dst.position(pos + (int) n);
                }
                return new Received(end ? -1 : (int) n, truncated, (msgFlags & c.MSG_CTRUNC) != 0,
                        (msgFlags & c.MSG_EOR) != 0, fds, credentials);
            }
        } finally {
            ep.backend.pool().give(s);
        }
    }

    /** The Received for the end of the stream. */
    static Received endOfStream() {
        return new Received(-1, false, false, false, List.of());
    }

    /**
     * What a failed read-side call means: {@link #AGAIN} for EINTR, {@link #WOULD_BLOCK} or {@link #END} (by the
     * end-of-stream policy) for EAGAIN, {@link #END} for the end of a TIPC connection; otherwise it throws.
     */
    static long readFailed(NativeEndpoint ep, int errno, String call, int fd, long len) throws IOException {
        NativeConstants c = ep.c;
        if (errno == c.EINTR) {
            return AGAIN;
        }
        if (errno == c.EAGAIN || errno == c.EWOULDBLOCK) {
            return ep.eos.wouldBlockIsEnd() ? END : WOULD_BLOCK;
        }
        if (ep.eos.errorIsEnd(errno)) {
            return END;
        }
        throw ep.backend.error(call, errno, "fd=" + fd + ", " + len + " bytes");
    }

    /** What a failed write-side call means: {@link #AGAIN} for EINTR, {@link #WOULD_BLOCK} for EAGAIN; else throws. */
    static long writeFailed(NativeEndpoint ep, int errno, String call, int fd, long len) throws IOException {
        NativeConstants c = ep.c;
        if (errno == c.EINTR) {
            return AGAIN;
        }
        if (errno == c.EAGAIN || errno == c.EWOULDBLOCK) {
            return WOULD_BLOCK;
        }
        throw ep.backend.error(call, errno, "fd=" + fd + ", " + len + " bytes");
    }

    /** Tells whether a failed call's result says "make it again". */
    static boolean again(long result) {
        return result == AGAIN;
    }
}
