package io.github.jsocketpair.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

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

    InputStream input() {
        return in;
    }

    OutputStream output() {
        return out;
    }

    private final class Input extends InputStream {
        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = endpoint.readArray(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
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
            endpoint.writeArray(new byte[] {(byte) b}, 0, 1);
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
