package io.github.jsocketpair.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * An endpoint's {@link InputStream} and {@link OutputStream}: blocking whatever the endpoint's mode, through the
 * same engine, locks and timeouts as the channel calls; closing either closes the endpoint.
 *
 * <p>The views keep a buffer over the caller's last array and a one-byte array per direction, each used only under
 * the endpoint's lock for that direction, so a loop over one array allocates nothing per call. A view keeps the last
 * array reachable until the next call or the endpoint goes.
 */
final class StreamViews {
    private final NativeEndpoint endpoint;
    private final InputStream in = new Input();
    private final OutputStream out = new Output();
    /** Under the read lock. */
    private ByteBuffer readView;
    private final byte[] oneRead = new byte[1];
    /** Under the write lock. */
    private ByteBuffer writeView;
    private final byte[] oneWrite = new byte[1];

    StreamViews(NativeEndpoint endpoint) {
        this.endpoint = endpoint;
    }

    /**
     * A buffer over {@code b[off, off + len)}: {@code cached} again when it wraps {@code b} already, else a new
     * wrapper of the whole array. The caller holds the lock {@code cached} is kept under.
     */
    static ByteBuffer view(ByteBuffer cached, byte[] b, int off, int len) {
        ByteBuffer v = cached != null && cached.array() == b ? cached : ByteBuffer.wrap(b);
        v.limit(off + len).position(off);
        return v;
    }

    InputStream input() {
        return in;
    }

    OutputStream output() {
        return out;
    }

    /**
     * Reads into an array: waits for data even in non-blocking mode (a stream has no "nothing yet"), skips empty
     * datagrams and records (InputStream.read must not return 0 for len > 0), one deadline for the whole call.
     */
    int readArray(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0;
        }
        int fd = endpoint.enterRead(true);
        try {
            return readHeld(fd, b, off, len);
        } finally {
            endpoint.exitRead();
        }
    }

    /** One byte for {@code read()}: 0 to 255, or -1 at the end. */
    int readByte() throws IOException {
        int fd = endpoint.enterRead(true);
        try {
            byte[] one = oneRead;
            return readHeld(fd, one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        } finally {
            endpoint.exitRead();
        }
    }

    private int readHeld(int fd, byte[] b, int off, int len) throws IOException {
        ByteBuffer dst = readView = view(readView, b, off, len);
        boolean inCall = endpoint.blocksInCall(dst, false);
        boolean tryFirst = !inCall || endpoint.tryFirstInCall();
        for (long deadline = inCall ? 0 : endpoint.awaitIfDrained(fd);;) {
            long n = inCall ? endpoint.readInCall(fd, dst, tryFirst) : Transfers.read(endpoint, fd, dst, 0);
            tryFirst = true;
            if (n > 0 || n == Transfers.END) {
                return (int) n;
            }
            if (n == Transfers.WOULD_BLOCK) {
                deadline = endpoint.awaitReady(fd, false, deadline, endpoint.readTimeoutMillis());
            }
        }
    }

    /** Writes a whole array: waits for room even in non-blocking mode. */
    void writeArray(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0 && !endpoint.records) {
            return;
        }
        int fd = endpoint.enterWrite(true);
        try {
            writeHeld(fd, b, off, len);
        } finally {
            endpoint.exitWrite();
        }
    }

    /** One byte for {@code write(int)}. */
    void writeByte(int value) throws IOException {
        int fd = endpoint.enterWrite(true);
        try {
            byte[] one = oneWrite;
            one[0] = (byte) value;
            writeHeld(fd, one, 0, 1);
        } finally {
            endpoint.exitWrite();
        }
    }

    private void writeHeld(int fd, byte[] b, int off, int len) throws IOException {
        CallAndWait.sendHeld(endpoint, fd, writeView = view(writeView, b, off, len), 0, true, true);
    }

    private final class Input extends InputStream {
        @Override
        public int read() throws IOException {
            return readByte();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return readArray(b, off, len);
        }

        @Override
        public void close() throws IOException {
            endpoint.close();
        }
    }

    private final class Output extends OutputStream {
        @Override
        public void write(int b) throws IOException {
            writeByte(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            writeArray(b, off, len);
        }

        @Override
        public void close() throws IOException {
            endpoint.close();
        }
    }
}
