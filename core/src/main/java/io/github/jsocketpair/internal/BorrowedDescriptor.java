package io.github.jsocketpair.internal;

import io.github.jsocketpair.Descriptor;

/** A descriptor the caller keeps owning: closing this object never closes the number. */
public final class BorrowedDescriptor implements Descriptor {
    private final int fd;
    private volatile boolean open = true;

    public BorrowedDescriptor(int fd) {
        if (fd < 0) {
            throw new IllegalArgumentException("negative descriptor: " + fd);
        }
        this.fd = fd;
    }

    @Override
    public int fd() {
        return open ? fd : -1;
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public void close() {
        open = false;
    }

    @Override
    public String toString() {
        return "Descriptor[borrowed fd=" + fd + (open ? "" : ", closed") + "]";
    }
}
