package io.github.jsocketpair.internal;

import io.github.jsocketpair.BackendInfo;
import io.github.jsocketpair.Descriptor;
import io.github.jsocketpair.Domain;
import io.github.jsocketpair.Endpoint;
import io.github.jsocketpair.SocketFlag;
import io.github.jsocketpair.SocketType;
import io.github.jsocketpair.spi.Backend;
import io.github.jsocketpair.spi.EndpointPair;
import java.io.IOException;
import java.util.Set;

/** The chosen backend, with the loader's explanation of why it was chosen in its {@link BackendInfo}. */
final class SelectedBackend implements Backend {
    private final Backend delegate;
    private final BackendInfo info;

    SelectedBackend(Backend delegate, BackendInfo info) {
        this.delegate = delegate;
        this.info = info;
    }

    /** The backend the provider created. */
    Backend delegate() {
        return delegate;
    }

    @Override
    public BackendInfo info() {
        return info;
    }

    @Override
    public EndpointPair open(Domain domain, SocketType type, int protocol, Set<SocketFlag> flags) throws IOException {
        return delegate.open(domain, type, protocol, flags);
    }

    @Override
    public EndpointPair openNative(int domain, int type, int protocol) throws IOException {
        return delegate.openNative(domain, type, protocol);
    }

    @Override
    public Endpoint adopt(Descriptor descriptor) throws IOException {
        return delegate.adopt(descriptor);
    }

    @Override
    public Descriptor duplicate(int fd) throws IOException {
        return delegate.duplicate(fd);
    }
}
