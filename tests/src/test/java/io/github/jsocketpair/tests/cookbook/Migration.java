package io.github.jsocketpair.tests.cookbook;

import io.github.jsocketpair.SocketPair;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Cookbook: moving from the JDK's {@code UnixDomainSocketAddress} bind/connect/accept to a pair. Both methods make
 * two connected {@code AF_UNIX} stream channels and run the same exchange over them; {@code CookbookIT} runs both.
 */
final class Migration {
    private Migration() {
    }

    /** Something to do with two connected channels: a writes, b reads it back. */
    interface Exchange {
        String run(ByteChannel a, ByteChannel b) throws IOException;
    }

    /** Before: a path to invent, bind, connect, accept, delete. */
    static String withUnixDomainSocketAddress(Exchange exchange) throws IOException {
        // cookbook:before begin
        Path dir = Files.createTempDirectory("app");
        Path path = dir.resolve("socket");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(path));       // a file on disk, reachable by anyone who may
            try (SocketChannel a = SocketChannel.open(server.getLocalAddress());   // connect() before accept()
                 SocketChannel b = server.accept()) {           // may not be a's: another process can connect
                return exchange.run(a, b);
            }
        } finally {
            Files.deleteIfExists(path);
            Files.delete(dir);
        }
        // cookbook:before end
    }

    /** After: one call. */
    static String withSocketPair(Exchange exchange) throws IOException {
        // cookbook:after begin
        try (SocketPair pair = SocketPair.open()) {               // UNIX, STREAM, CLOEXEC; no name, no race
            return exchange.run(pair.first(), pair.second());
        }
        // cookbook:after end
    }
}
