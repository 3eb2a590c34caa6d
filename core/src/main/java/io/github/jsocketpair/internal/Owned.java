package io.github.jsocketpair.internal;

import io.github.jsocketpair.Descriptor;
import java.nio.channels.ClosedChannelException;

/**
 * A descriptor this library owns: a number and the {@link DescriptorUse} that keeps it from being closed while a
 * call passes it to the kernel. Plain descriptors ({@link OwnedDescriptor}) and endpoints ({@link NativeEndpoint})
 * are both owned.
 */
public interface Owned extends Descriptor {
    /** The close protocol of this descriptor. */
    DescriptorUse use();

    /** The number, whatever the state: for messages and for the caller while it holds a use. */
    int rawFd();

    /** The backend that closes the number. */
    PosixBackend backend();

    /**
     * Holds any descriptor open for the duration of a call that passes its number to the kernel (an owned one by
     * acquiring a use, so its number cannot be closed and reused meanwhile); pair with {@link #unhold}.
     *
     * @throws ClosedChannelException if it is closed
     */
    static int hold(Descriptor d) throws ClosedChannelException {
        if (d instanceof Owned o) {
            o.use().acquire();
            return o.rawFd();
        }
        int fd = d.fd();
        if (!d.isOpen() || fd < 0) {
            throw new ClosedChannelException();
        }
        return fd;
    }

    /** Ends a {@link #hold}. */
    static void unhold(Descriptor d) {
        if (d instanceof Owned o && o.use().release()) {
            // Deferred close: nobody is left to report an error to; close(2) has released the number either way.
            o.backend().closeQuietly(o.rawFd());
        }
    }
}
