package io.github.jsocketpair.internal;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;

/**
 * A plain descriptor this library owns (a received one, a duplicate, a wake-up descriptor): the number, closed
 * exactly once under the {@link DescriptorUse} protocol. Nothing blocks on it here, so a close with a call in
 * progress just leaves the number to the last call out.
 */
public final class OwnedDescriptor implements Owned {
    private final PosixBackend backend;
    private final int fd;
    private final DescriptorUse use = new DescriptorUse();

    /** Takes ownership of {@code fd}. */
    public OwnedDescriptor(PosixBackend backend, int fd) {
        this.backend = backend;
        this.fd = fd;
    }

    @Override
    public int fd() {
        return use.isClosed() ? -1 : fd;
    }

    @Override
    public int rawFd() {
        return fd;
    }

    @Override
    public DescriptorUse use() {
        return use;
    }

    @Override
    public PosixBackend backend() {
        return backend;
    }

    @Override
    public boolean isOpen() {
        return !use.isClosed();
    }

    @Override
    public void close() throws IOException {
        if (use.markClosed() == DescriptorUse.Close.NOW) {
            backend.closeChecked(fd);
        }
    }

    /**
     * Gives up ownership without closing the number, for {@link io.github.jsocketpair.Endpoint#adopt}: returns the
     * number, and this object is closed.
     *
     * @throws ClosedChannelException if already closed
     * @throws IllegalStateException if a call is in progress
     */
    int detach() throws ClosedChannelException {
        if (use.detach()) {
            return fd;
        }
        throw new IllegalStateException("descriptor " + fd + " is in use by another thread");
    }

    @Override
    public String toString() {
        return "Descriptor[fd=" + fd + (isOpen() ? "" : ", closed") + "]";
    }
}
