package io.github.jsocketpair.internal;

import java.nio.ByteBuffer;

/**
 * Encodes and decodes the structs message calls pass, in the layout the platform's {@link NativeConstants} give:
 * {@code struct iovec}, {@code struct msghdr}, {@code SCM_RIGHTS} control messages ({@code cmsghdr} with
 * {@code CMSG_LEN}/{@code CMSG_SPACE}) and Linux's {@code struct mmsghdr}. Pure byte layout over a buffer, so each
 * ABI's golden bytes can be unit-tested without a kernel.
 */
final class MessageCodec {
    private MessageCodec() {
    }

    /** Writes a pointer-sized or length-sized word. */
    static void putWord(ByteBuffer b, int offset, int size, long value) {
        if (size == 8) {
            b.putLong(offset, value);
        } else {
            b.putInt(offset, (int) value);
        }
    }

    /** Reads a pointer-sized or length-sized word (unsigned). */
    static long getWord(ByteBuffer b, int offset, int size) {
        return size == 8 ? b.getLong(offset) : Integer.toUnsignedLong(b.getInt(offset));
    }

    /** Writes iovec number {@code index} of the array at {@code iovArray}. */
    static void putIovec(NativeConstants c, ByteBuffer b, int iovArray, int index, long base, long len) {
        int at = iovArray + index * c.iovecSize();
        putWord(b, at, c.pointerSize, base);
        putWord(b, at + c.pointerSize, c.pointerSize, len);
    }

    /**
     * Writes a msghdr at {@code at} with no name, {@code iovCount} iovecs at {@code iovAddress} and {@code controlLen}
     * bytes of control data at {@code controlAddress} (none when 0); every other byte, padding included, is zero.
     */
    static void putMsghdr(NativeConstants c, ByteBuffer b, int at, long iovAddress, int iovCount, long controlAddress,
            int controlLen) {
        for (int i = 0; i < c.msghdrSize; i += 4) {
            b.putInt(at + i, 0);
        }
        putWord(b, at + c.msgIovOffset, c.pointerSize, iovAddress);
        putWord(b, at + c.msgIovlenOffset, c.msgIovlenSize, iovCount);
        if (controlLen > 0) {
            putWord(b, at + c.msgControlOffset, c.pointerSize, controlAddress);
            putWord(b, at + c.msgControllenOffset, c.msgControllenSize, controlLen);
        }
    }

    /** The msg_flags the kernel wrote back into the msghdr at {@code at}. */
    static int msgFlags(NativeConstants c, ByteBuffer b, int at) {
        return b.getInt(at + c.msgFlagsOffset);
    }

    /** The msg_controllen the kernel wrote back into the msghdr at {@code at}. */
    static long controlLength(NativeConstants c, ByteBuffer b, int at) {
        return getWord(b, at + c.msgControllenOffset, c.msgControllenSize);
    }

    /**
     * Writes one {@code SCM_RIGHTS} control message carrying {@code fds} at {@code at}, zero-filled to
     * {@code CMSG_SPACE}, and returns that space (the msg_controllen to pass).
     */
    static int putRights(NativeConstants c, ByteBuffer b, int at, int[] fds, int count) {
        int space = c.cmsgSpace(4 * count);
        for (int i = 0; i < space; i += 4) {
            b.putInt(at + i, 0);
        }
        putWord(b, at, c.cmsgLenSize, c.cmsgLen(4 * count));
        b.putInt(at + c.cmsgLenSize, c.SOL_SOCKET);
        b.putInt(at + c.cmsgLenSize + 4, c.SCM_RIGHTS);
        int data = at + c.cmsgAlign(c.cmsgHeaderSize());
        for (int i = 0; i < count; i++) {
            b.putInt(data + 4 * i, fds[i]);
        }
        return space;
    }

    /** Receives each control message {@link #forEachControl} finds. */
    interface ControlVisitor {
        /** One message: its level, type, and where its {@code dataLen} data bytes start in the buffer. */
        void visit(int level, int type, int dataAt, int dataLen);
    }

    /**
     * Walks {@code length} bytes of control data at {@code at}, as {@code CMSG_FIRSTHDR}/{@code CMSG_NXTHDR} do; stops
     * at a malformed header (the kernel never writes one, and nothing can lie beyond it).
     */
    static void forEachControl(NativeConstants c, ByteBuffer b, int at, long length, ControlVisitor visitor) {
        int header = c.cmsgHeaderSize();
        int dataOffset = c.cmsgAlign(header);
        long off = 0;
        while (off + header <= length) {
            int m = at + (int) off;
            long len = getWord(b, m, c.cmsgLenSize);
            if (len < header || off + len > length) {
                return;
            }
            int dataLen = (int) Math.max(0, len - dataOffset);
            visitor.visit(b.getInt(m + c.cmsgLenSize), b.getInt(m + c.cmsgLenSize + 4), m + dataOffset, dataLen);
            off += c.cmsgAlign((int) len);
        }
    }

    /** Linux's {@code struct mmsghdr}: a msghdr, an unsigned int, padded to the msghdr's alignment. */
    static int mmsghdrSize(NativeConstants c) {
        return NativeConstants.align(c.msghdrSize + 4, c.pointerSize);
    }

    /** msg_len of mmsghdr number {@code index} of the array at 0. */
    static int mmsgLength(NativeConstants c, ByteBuffer b, int index) {
        return b.getInt(index * mmsghdrSize(c) + c.msghdrSize);
    }
}
