package io.github.jsocketpair.bench;

import io.github.jsocketpair.Domain;
import io.github.jsocketpair.Endpoint;
import io.github.jsocketpair.SocketFlag;
import io.github.jsocketpair.SocketPair;
import io.github.jsocketpair.SocketType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.Pipe;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import jnr.unixsocket.UnixDatagramChannel;
import jnr.unixsocket.UnixSocketChannel;
import org.newsclub.net.unix.AFSocketType;
import org.newsclub.net.unix.AFUNIXDatagramChannel;
import org.newsclub.net.unix.AFUNIXSocketChannel;
import org.newsclub.net.unix.AFUNIXSocketPair;

/** The ways a Java program can get a connected local pair, each opened the way its users open it. */
public enum Contender {
    /** This library. */
    JSOCKETPAIR("jsocketpair", EnumSet.allOf(SocketType.class), true) {
        @Override
        Link open(SocketType type) throws IOException {
            SocketPair p = SocketPair.open(Domain.UNIX, type, SocketFlag.CLOEXEC);
            Endpoint a = p.first();
            Endpoint b = p.second();
            return new Link(a, a, b, b, a.outputStream(), a.inputStream(), b.outputStream(), b.inputStream(),
                    List.of(p));
        }
    },
    /** The JDK's Unix-domain channels: bind a temporary path, connect, accept, delete the path. */
    JDK_UNIX("JDK unix channels", EnumSet.of(SocketType.STREAM), true) {
        @Override
        Link open(SocketType type) throws IOException {
            Path path = TempDir.DIR.resolve("s" + TempDir.NEXT.incrementAndGet());
            SocketChannel c;
            SocketChannel s;
            try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
                server.bind(UnixDomainSocketAddress.of(path));
                c = SocketChannel.open(StandardProtocolFamily.UNIX);
                c.connect(UnixDomainSocketAddress.of(path));
                s = server.accept();
            } finally {
                Files.deleteIfExists(path);
            }
            return new Link(c, c, s, s, Channels.newOutputStream(c), Channels.newInputStream(c),
                    Channels.newOutputStream(s), Channels.newInputStream(s), List.of(c, s));
        }
    },
    /** Loopback TCP with TCP_NODELAY, a fresh listener per pair; SO_LINGER 0 so no TIME_WAIT piles up. */
    TCP("loopback TCP", EnumSet.of(SocketType.STREAM), true) {
        @Override
        Link open(SocketType type) throws IOException {
            SocketChannel c;
            SocketChannel s;
            try (ServerSocketChannel server = ServerSocketChannel.open()) {
                server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1);
                c = SocketChannel.open(server.getLocalAddress());
                s = server.accept();
            }
            for (SocketChannel ch : new SocketChannel[] {c, s}) {
                ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
                ch.setOption(StandardSocketOptions.SO_LINGER, 0);
            }
            return new Link(c, c, s, s, c.socket().getOutputStream(), c.socket().getInputStream(),
                    s.socket().getOutputStream(), s.socket().getInputStream(), List.of(c, s));
        }
    },
    /** {@code java.nio.channels.Pipe}: one way only. */
    PIPE("Pipe", EnumSet.of(SocketType.STREAM), false) {
        @Override
        Link open(SocketType type) throws IOException {
            Pipe p = Pipe.open();
            return new Link(p.sink(), null, null, p.source(), Channels.newOutputStream(p.sink()), null, null,
                    Channels.newInputStream(p.source()), List.of(p.sink(), p.source()));
        }
    },
    /**
     * The raw JNA floor ({@link RawJna}): STREAM, direct buffers only; what jsocketpair's JNA path (JDK 17-21) is
     * measured against.
     */
    JNA_RAW("raw JNA read/write", EnumSet.of(SocketType.STREAM), true) {
        @Override
        Link open(SocketType type) throws IOException {
            RawJna[] p = RawJna.pair();
            return new Link(p[0], p[0], p[1], p[1], null, null, null, null, List.of(p[0], p[1]));
        }
    },
    /** junixsocket's socketpair. */
    JUNIXSOCKET("junixsocket", EnumSet.allOf(SocketType.class), true) {
        @Override
        Link open(SocketType type) throws IOException {
            if (type == SocketType.STREAM) {
                AFUNIXSocketPair<AFUNIXSocketChannel> p = AFUNIXSocketPair.open();
                AFUNIXSocketChannel a = p.getSocket1();
                AFUNIXSocketChannel b = p.getSocket2();
                return new Link(a, a, b, b, a.socket().getOutputStream(), a.socket().getInputStream(),
                        b.socket().getOutputStream(), b.socket().getInputStream(), List.of(a, b));
            }
            AFUNIXSocketPair<AFUNIXDatagramChannel> p = AFUNIXSocketPair.openDatagram(
                    type == SocketType.DGRAM ? AFSocketType.SOCK_DGRAM : AFSocketType.SOCK_SEQPACKET);
            AFUNIXDatagramChannel a = p.getSocket1();
            AFUNIXDatagramChannel b = p.getSocket2();
            return new Link(a, a, b, b, null, null, null, null, List.of(a, b));
        }
    },
    /** jnr-unixsocket's socketpair. */
    JNR_UNIXSOCKET("jnr-unixsocket", EnumSet.of(SocketType.STREAM, SocketType.DGRAM), true) {
        @Override
        Link open(SocketType type) throws IOException {
            if (type == SocketType.STREAM) {
                UnixSocketChannel[] p = UnixSocketChannel.pair();
                UnixSocketChannel a = p[0];
                UnixSocketChannel b = p[1];
                return new Link(a, a, b, b, Channels.newOutputStream(a), Channels.newInputStream(a),
                        Channels.newOutputStream(b), Channels.newInputStream(b), List.of(a, b));
            }
            UnixDatagramChannel[] p = UnixDatagramChannel.pair();
            return new Link(p[0], p[0], p[1], p[1], null, null, null, null, List.of(p[0], p[1]));
        }
    };

    final String label;
    final Set<SocketType> types;
    final boolean twoWay;

    Contender(String label, Set<SocketType> types, boolean twoWay) {
        this.label = label;
        this.types = types;
        this.twoWay = twoWay;
    }

    /** Opens a connected pair of the type. */
    abstract Link open(SocketType type) throws IOException;

    /** Parses a lower-case name with dashes ({@code jdk-unix}). */
    static Contender of(String name) {
        return valueOf(name.toUpperCase(java.util.Locale.ROOT).replace('-', '_'));
    }

    /** The name {@link #of} takes. */
    String key() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    /** A private temporary directory for the JDK contender's socket paths. */
    private static final class TempDir {
        static final Path DIR;
        static final AtomicLong NEXT = new AtomicLong();

        static {
            try {
                DIR = Files.createTempDirectory("jsp-bench");
                DIR.toFile().deleteOnExit();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
