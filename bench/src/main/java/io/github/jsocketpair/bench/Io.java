package io.github.jsocketpair.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;

/**
 * One thread's view of one end for one buffer kind: {@code heap} and {@code direct} use the channel with a
 * {@link ByteBuffer}, {@code stream} uses the {@code InputStream}/{@code OutputStream} with a {@code byte[]}.
 */
final class Io {
    private final boolean stream;
    private final ByteBuffer buf;
    private final byte[] array;
    private final WritableByteChannel wch;
    private final ReadableByteChannel rch;
    private final OutputStream os;
    private final InputStream is;

    Io(String kind, int capacity, WritableByteChannel wch, ReadableByteChannel rch, OutputStream os, InputStream is) {
        this.stream = kind.equals("stream");
        this.buf = switch (kind) {
            case "heap" -> ByteBuffer.allocate(capacity);
            case "direct" -> ByteBuffer.allocateDirect(capacity);
            case "stream" -> null;
            default -> throw new IllegalArgumentException("buffer kind " + kind);
        };
        this.array = stream ? new byte[capacity] : null;
        if (stream ? (os == null && wch != null) || (is == null && rch != null) : false) {
            throw new IllegalArgumentException("no streams for this contender and type");
        }
        this.wch = wch;
        this.rch = rch;
        this.os = os;
        this.is = is;
    }

    /** Writes {@code n} bytes, all of them. */
    void write(int n) throws IOException {
        if (stream) {
            os.write(array, 0, n);
            return;
        }
        ByteBuffer b = buf;
        b.clear().limit(n);
        while (b.hasRemaining()) {
            wch.write(b);
        }
    }

    /** One read of up to {@code n} bytes; returns what the call returned. */
    int read(int n) throws IOException {
        if (stream) {
            return is.read(array, 0, n);
        }
        ByteBuffer b = buf;
        b.clear().limit(n);
        return rch.read(b);
    }

    /** Reads exactly {@code n} bytes (a stream may return them in pieces); false at end of stream. */
    boolean readFully(int n) throws IOException {
        int got = 0;
        while (got < n) {
            int r = read(n - got);
            if (r < 0) {
                return false;
            }
            got += r;
        }
        return true;
    }
}
