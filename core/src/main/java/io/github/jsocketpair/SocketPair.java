package io.github.jsocketpair;

import io.github.jsocketpair.internal.Backends;
import io.github.jsocketpair.spi.EndpointPair;
import java.io.Closeable;
import java.io.IOException;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * A pair of connected local sockets, as {@code socketpair(2)} creates them: what is written to one end is read at the
 * other. Both ends are {@link Endpoint}s, owned by this object until it is closed.
 *
 * <pre>{@code
 * try (SocketPair pair = SocketPair.open(Domain.UNIX, SocketType.SEQPACKET, SocketFlag.CLOEXEC)) {
 *     pair.first().write(ByteBuffer.wrap("ping".getBytes(StandardCharsets.UTF_8)));
 *     Received r = pair.second().receive(ByteBuffer.allocate(64));
 * }
 * }</pre>
 *
 * <p>A failed open leaves nothing open. The native backend is found with {@link java.util.ServiceLoader} at first use;
 * {@code -Djsocketpair.backend=NAME} picks one by name.
 */
public final class SocketPair implements Closeable {
    private final Endpoint first;
    private final Endpoint second;
    private final BackendInfo backend;

    private SocketPair(EndpointPair ends, BackendInfo backend) {
        this.first = ends.first();
        this.second = ends.second();
        this.backend = backend;
    }

    /**
     * Opens a {@link Domain#UNIX} {@link SocketType#STREAM} pair, protocol 0, with {@link SocketFlag#CLOEXEC}.
     *
     * @return the open pair
     * @throws SocketPairException if {@code socketpair} fails (e.g. {@link Errno#EMFILE})
     * @throws UnsupportedOperationException if no native backend is available for this platform
     */
    public static SocketPair open() throws IOException {
        return open(Domain.UNIX, SocketType.STREAM, 0, SocketFlag.CLOEXEC);
    }

    /**
     * Opens a pair of the given domain and type, protocol 0.
     *
     * @param domain the domain
     * @param type the socket type
     * @param flags creation flags; {@link SocketFlag#CLOEXEC} is not implied
     * @return the open pair
     * @throws NullPointerException if an argument or a flag is null
     * @throws SocketPairException if the platform lacks the domain, type or a flag (refused before any native call,
     *         with the errno the kernel would give and a message naming where the feature exists), or
     *         {@code socketpair} fails
     * @throws UnsupportedOperationException if no native backend is available for this platform
     */
    public static SocketPair open(Domain domain, SocketType type, SocketFlag... flags) throws IOException {
        return open(domain, type, 0, flags);
    }

    /**
     * Opens a pair of the given domain, type and protocol.
     *
     * @param domain the domain
     * @param type the socket type
     * @param protocol the protocol number, usually 0
     * @param flags creation flags; {@link SocketFlag#CLOEXEC} is not implied
     * @return the open pair
     * @throws NullPointerException if an argument or a flag is null
     * @throws SocketPairException if the platform lacks the domain, type or a flag (refused before any native call),
     *         or {@code socketpair} fails, e.g. {@link Errno#EPROTONOSUPPORT} for a bad protocol
     * @throws UnsupportedOperationException if no native backend is available for this platform
     */
    public static SocketPair open(Domain domain, SocketType type, int protocol, SocketFlag... flags)
            throws IOException {
        Objects.requireNonNull(domain, "domain");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(flags, "flags");
        Set<SocketFlag> set = EnumSet.noneOf(SocketFlag.class);
        for (SocketFlag f : flags) {
            set.add(Objects.requireNonNull(f, "flag"));
        }
        var b = Backends.get();
        return new SocketPair(b.open(domain, type, protocol, set), b.info());
    }

    /**
     * Calls {@code socketpair(domain, type, protocol)} with the numbers passed through unchanged: the escape hatch
     * for values this library has no name for, and the way to reach the kernel's own error cases. Flag bits in
     * {@code type} are honoured by the kernel as given.
     *
     * @param domain the native address family, e.g. {@code AF_UNIX} (1)
     * @param type the native type, flag bits included
     * @param protocol the native protocol
     * @return the open pair; {@link Endpoint#domain()} and {@link Endpoint#type()} are read back from the kernel
     * @throws SocketPairException if {@code socketpair} fails
     * @throws UnsupportedOperationException if no native backend is available for this platform
     */
    public static SocketPair openNative(int domain, int type, int protocol) throws IOException {
        var b = Backends.get();
        return new SocketPair(b.openNative(domain, type, protocol), b.info());
    }

    /**
     * Describes the backend this JVM uses, without opening a pair.
     *
     * @return the backend's name, platform and capabilities
     * @throws UnsupportedOperationException if no native backend is available for this platform
     */
    public static BackendInfo platform() {
        return Backends.get().info();
    }

    /**
     * Returns the first end, {@code sv[0]}.
     *
     * @return the first endpoint
     */
    public Endpoint first() {
        return first;
    }

    /**
     * Returns the second end, {@code sv[1]}.
     *
     * @return the second endpoint
     */
    public Endpoint second() {
        return second;
    }

    /**
     * Describes the backend that created this pair.
     *
     * @return the backend's name, platform and capabilities
     */
    public BackendInfo backend() {
        return backend;
    }

    /**
     * Closes both ends; the second is closed even if closing the first fails. Closing again does nothing.
     *
     * @throws IOException the first close failure, with the second one suppressed
     */
    @Override
    public void close() throws IOException {
        try {
            first.close();
        } catch (IOException | RuntimeException e) {
            try {
                second.close();
            } catch (IOException | RuntimeException e2) {
                e.addSuppressed(e2);
            }
            throw e;
        }
        second.close();
    }

    @Override
    public String toString() {
        return "SocketPair[" + first + ", " + second + "]";
    }
}
