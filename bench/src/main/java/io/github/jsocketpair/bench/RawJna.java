package io.github.jsocketpair.bench;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.ClosedChannelException;

/**
 * The floor for any JNA-based library: {@code socketpair}, {@code read} and {@code write} by JNA direct mapping with
 * nothing around them (no wait path, no locks, no errno mapping beyond a message), one end as a blocking
 * {@link ByteChannel} over direct buffers only. On JDK 17-21, where jsocketpair makes its calls through JNA too, its
 * rows can at best reach this one; on JDK 22+ jsocketpair uses java.lang.foreign instead.
 */
final class RawJna implements ByteChannel {
    static {
        Native.register(RawJna.class, NativeLibrary.getProcess());
    }

    private static native int socketpair(int domain, int type, int protocol, int[] sv);

    private static native long read(int fd, long buf, long count);

    private static native long write(int fd, long buf, long count);

    private static native int close(int fd);

    private final int fd;
    private boolean open = true;
    /** The last buffer seen and its address: a lookup per call would be JNA's cost, not the call's. */
    private ByteBuffer last;
    private long lastAddress;

    private RawJna(int fd) {
        this.fd = fd;
    }

    /** A connected Linux {@code AF_UNIX} {@code SOCK_STREAM} pair (1, 1). */
    static RawJna[] pair() throws IOException {
        int[] sv = new int[2];
        if (socketpair(1, 1, 0, sv) != 0) {
            throw new IOException("socketpair: errno " + Native.getLastError());
        }
        return new RawJna[] {new RawJna(sv[0]), new RawJna(sv[1])};
    }

    private long address(ByteBuffer b) {
        if (b != last) {
            if (!b.isDirect()) {
                throw new IllegalArgumentException("direct buffers only");
            }
            last = b;
            lastAddress = Pointer.nativeValue(Native.getDirectBufferPointer(b));
        }
        return lastAddress;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        long n = read(fd, address(dst) + dst.position(), dst.remaining());
        if (n < 0) {
            throw new IOException("read: errno " + Native.getLastError());
        }
        if (n == 0) {
            return -1;
        }
        dst.position(dst.position() + (int) n);
        return (int) n;
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        long n = write(fd, address(src) + src.position(), src.remaining());
        if (n < 0) {
            throw new IOException("write: errno " + Native.getLastError());
        }
        src.position(src.position() + (int) n);
        return (int) n;
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public void close() throws IOException {
        if (!open) {
            throw new ClosedChannelException();
        }
        open = false;
        close(fd);
    }
}
