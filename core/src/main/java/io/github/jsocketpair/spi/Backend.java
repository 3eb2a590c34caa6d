package io.github.jsocketpair.spi;

import io.github.jsocketpair.BackendInfo;
import io.github.jsocketpair.Descriptor;
import io.github.jsocketpair.Domain;
import io.github.jsocketpair.Endpoint;
import io.github.jsocketpair.SocketFlag;
import io.github.jsocketpair.SocketType;
import java.io.IOException;
import java.util.Set;

/**
 * A native backend: what {@link io.github.jsocketpair.SocketPair} and the static factories of the public API call.
 * Implementations must be safe for concurrent use.
 */
public interface Backend {

    /**
     * Describes the backend and the platform's capabilities.
     *
     * @return the description
     */
    BackendInfo info();

    /**
     * Creates a pair; see {@link io.github.jsocketpair.SocketPair#open(io.github.jsocketpair.Domain,
     * io.github.jsocketpair.SocketType, int, io.github.jsocketpair.SocketFlag...)}.
     *
     * @param domain the domain
     * @param type the socket type
     * @param protocol the protocol number
     * @param flags the creation flags
     * @return both ends
     * @throws IOException as the public method documents
     */
    EndpointPair open(Domain domain, SocketType type, int protocol, Set<SocketFlag> flags) throws IOException;

    /**
     * Creates a pair from native numbers; see {@link io.github.jsocketpair.SocketPair#openNative(int, int, int)}.
     *
     * @param domain the native domain
     * @param type the native type with flag bits
     * @param protocol the native protocol
     * @return both ends
     * @throws IOException as the public method documents
     */
    EndpointPair openNative(int domain, int type, int protocol) throws IOException;

    /**
     * Makes an endpoint of a socket descriptor; see {@link Endpoint#adopt(Descriptor)}.
     *
     * @param descriptor the socket
     * @return the endpoint
     * @throws IOException as the public method documents
     */
    Endpoint adopt(Descriptor descriptor) throws IOException;

    /**
     * Duplicates a descriptor close-on-exec; see {@link Descriptor#duplicate(int)}.
     *
     * @param fd the descriptor
     * @return the owned duplicate
     * @throws IOException as the public method documents
     */
    Descriptor duplicate(int fd) throws IOException;
}
