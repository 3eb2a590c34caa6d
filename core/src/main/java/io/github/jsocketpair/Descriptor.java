package io.github.jsocketpair;

import io.github.jsocketpair.internal.Backends;
import io.github.jsocketpair.internal.BorrowedDescriptor;
import java.io.Closeable;
import java.io.IOException;

/**
 * An open native file descriptor and who owns it. An owned descriptor is closed exactly once, by {@link #close()};
 * its number is never released while a call on it is still running, so a reused number is never touched by mistake.
 * {@link Endpoint} is a descriptor; descriptors received from a peer arrive as owned descriptors on
 * {@link Received#descriptors()}.
 */
public interface Descriptor extends Closeable {

    /**
     * Returns the descriptor's number.
     *
     * @return the number, or {@code -1} once closed
     */
    int fd();

    /**
     * Tells whether the descriptor is still open (not yet closed through this object).
     *
     * @return {@code true} until {@link #close()} is called
     */
    boolean isOpen();

    /**
     * Closes the descriptor: an owned one with {@code close(2)} (never retried, as close(2) asks), a borrowed one only
     * in this object. A second call does nothing.
     *
     * @throws IOException if {@code close(2)} reports an error other than {@code EINTR} (the number is released
     *         anyway)
     */
    @Override
    void close() throws IOException;

    /**
     * Wraps a descriptor that the caller keeps owning: {@link #close()} marks the wrapper closed and leaves the
     * descriptor open. Use it to send a descriptor you do not want to give up, e.g. {@code Descriptor.borrow(0)}.
     *
     * @param fd the descriptor number
     * @return a wrapper that never closes {@code fd}
     * @throws IllegalArgumentException if {@code fd} is negative
     */
    static Descriptor borrow(int fd) {
        return new BorrowedDescriptor(fd);
    }

    /**
     * Duplicates a descriptor with {@code fcntl(F_DUPFD_CLOEXEC)} and returns the new, owned, close-on-exec copy; the
     * original stays the caller's.
     *
     * @param fd the descriptor to duplicate
     * @return an owned duplicate
     * @throws IllegalArgumentException if {@code fd} is negative
     * @throws SocketPairException if {@code fcntl} fails (e.g. {@link Errno#EBADF}, {@link Errno#EMFILE})
     * @throws UnsupportedOperationException if no native backend is available for this platform
     */
    static Descriptor duplicate(int fd) throws IOException {
        if (fd < 0) {
            throw new IllegalArgumentException("negative descriptor: " + fd);
        }
        return Backends.get().duplicate(fd);
    }
}
