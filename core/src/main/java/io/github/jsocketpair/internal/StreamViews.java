package io.github.jsocketpair.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;

/**
 * An endpoint's {@link InputStream} and {@link OutputStream}: blocking whatever the endpoint's mode, through the
 * same engine, locks and timeouts as the channel calls; closing either closes the endpoint.
 */
final class StreamViews {
    private final NativeEndpoint endpoint;
    private final InputStream in = new Input();
    private final OutputStream out = new Output();

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

    private final class Input extends InputStream {
        @Override
        public int read() throws IOException {
            return endpoint.readByte();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return endpoint.readArray(b, off, len);
        }

        @Override
        public void close() throws IOException {
            endpoint.close();
        }
    }

    private final class Output extends OutputStream {
        @Override
        public void write(int b) throws IOException {
            endpoint.writeByte(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            endpoint.writeArray(b, off, len);
        }

        @Override
        public void close() throws IOException {
            endpoint.close();
        }
    }
}
