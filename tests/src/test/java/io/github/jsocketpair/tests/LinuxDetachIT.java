package io.github.jsocketpair.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.jsocketpair.Endpoint;
import io.github.jsocketpair.SocketPair;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollIoHandler;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

/**
 * {@link DetachContract} on Linux, and a detached end handed to another library for real: Netty's native epoll
 * transport ({@code new EpollDomainSocketChannel(fd)}) takes the number, talks to the other end both ways and closes
 * it. Skipped with Netty's own reason where its native library does not load (this test ships the
 * {@code linux-x86_64} one only).
 */
@EnabledIf("io.github.jsocketpair.tests.LinuxTarget#supported")
class LinuxDetachIT extends DetachContract {
    private static final Duration LIMIT = Duration.ofSeconds(30);

    @Override
    protected String backendName() {
        return "linux";
    }

    @Override
    protected NativeNumbers numbers() {
        return LinuxTarget.numbers();
    }

    @Test
    void nettyTakesADetachedEndAndTalksBothWays() throws Exception {
        assumeTrue(Epoll.isAvailable(), () -> "Netty's native epoll is not available on " + System.getProperty(
                "os.arch") + ": " + Epoll.unavailabilityCause());
        long limit = scaled(LIMIT).toMillis();
        Fds.Mark mark = Fds.mark();
        SocketPair p = SocketPair.open();
        Endpoint mine = p.second();
        mine.setReadTimeout(scaled(LIMIT));
        p.first().configureBlocking(false); // Netty's epoll transport expects a non-blocking socket
        int fd = p.first().detach();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        try {
            LinkedBlockingQueue<String> received = new LinkedBlockingQueue<>();
            CompletableFuture<Void> inactive = new CompletableFuture<>();
            EpollDomainSocketChannel ch = new EpollDomainSocketChannel(fd);
            ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                @Override
                public void channelRead(ChannelHandlerContext ctx, Object msg) {
                    ByteBuf b = (ByteBuf) msg;
                    try {
                        received.add(b.toString(StandardCharsets.UTF_8));
                    } finally {
                        b.release();
                    }
                }

                @Override
                public void channelInactive(ChannelHandlerContext ctx) {
                    inactive.complete(null);
                }
            });
            group.register(ch).sync();
            assertTrue(ch.isActive(), "Netty sees a connected socket");
            assertEquals(fd, ch.fd().intValue());
            for (int round = 0; round < 20; round++) {
                String there = "from netty " + round;
                ch.writeAndFlush(Unpooled.copiedBuffer(there, StandardCharsets.UTF_8)).sync();
                ByteBuffer b = ByteBuffer.allocate(64);
                while (b.position() < there.length()) {
                    assertTrue(mine.read(b) > 0, "end of stream after " + text(b));
                }
                assertEquals(there, text(b));

                String back = "from jsocketpair " + round;
                mine.write(utf8(back));
                StringBuilder got = new StringBuilder();
                while (got.length() < back.length()) {
                    String part = received.poll(limit, TimeUnit.MILLISECONDS);
                    assertNotNull(part, "Netty received only " + got);
                    got.append(part);
                }
                assertEquals(back, got.toString());
            }
            // Netty owns the number: its close closes the socket, and this end reads end of stream
            ch.close().sync();
            inactive.get(limit, TimeUnit.MILLISECONDS);
            assertEquals(-1, mine.read(ByteBuffer.allocate(1)));
        } finally {
            group.shutdownGracefully(0, 5, TimeUnit.SECONDS).sync();
        }
        p.close();
        mark.assertUnchanged("Netty closed the number it was given, the pair its other end");
    }
}
