package io.github.jsocketpair.tests.cookbook;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.charset.StandardCharsets;

/**
 * Cookbook, "code under test": a tiny network service written against {@link ByteChannel}, as production code that
 * serves a {@code SocketChannel} would be. It reads until the peer ends its output and answers with the number of
 * lines and bytes it got. Its test (in {@code CookbookIT}) hands it one end of a pair instead of a loopback TCP
 * connection.
 */
final class LineCounter {
    private LineCounter() {
    }

    /** Serves one connection: reads to end of stream, then writes {@code "<lines> lines, <bytes> bytes\n"}. */
    static void serve(ByteChannel channel) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(8192);
        long lines = 0;
        long bytes = 0;
        for (int n; (n = channel.read(buf.clear())) >= 0; ) {
            bytes += n;
            for (int i = 0; i < n; i++) {
                if (buf.get(i) == '\n') {
                    lines++;
                }
            }
        }
        ByteBuffer answer = ByteBuffer.wrap((lines + " lines, " + bytes + " bytes\n")
                .getBytes(StandardCharsets.US_ASCII));
        while (answer.hasRemaining()) {
            channel.write(answer);
        }
    }
}
