package io.github.jsocketpair.tests;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/**
 * A Java child for {@link LinuxChildProcessIT}: takes the socket it was given as standard input with
 * {@link System#inheritedChannel()} and answers each line with "java got: " and the line, until end of stream.
 * Needs nothing but the JDK, so it runs from the test classes directory.
 */
public final class InheritedChannelChild {
    private InheritedChannelChild() {
    }

    public static void main(String[] args) throws IOException {
        Channel inherited = System.inheritedChannel();
        if (!(inherited instanceof SocketChannel ch)) {
            System.err.println("inheritedChannel() is " + inherited);
            System.exit(2);
            return;
        }
        StringBuilder line = new StringBuilder();
        ByteBuffer b = ByteBuffer.allocate(256);
        while (ch.read(b) > 0) {
            b.flip();
            line.append(StandardCharsets.UTF_8.decode(b));
            b.clear();
            int nl;
            while ((nl = line.indexOf("\n")) >= 0) {
                String answer = "java got: " + line.substring(0, nl + 1);
                line.delete(0, nl + 1);
                ByteBuffer out = StandardCharsets.UTF_8.encode(answer);
                while (out.hasRemaining()) {
                    ch.write(out);
                }
            }
        }
        ch.close();
        System.exit(7);
    }
}
