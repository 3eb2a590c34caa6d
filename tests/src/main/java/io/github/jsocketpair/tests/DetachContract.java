package io.github.jsocketpair.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import io.github.jsocketpair.Descriptor;
import io.github.jsocketpair.Endpoint;
import io.github.jsocketpair.Errno;
import io.github.jsocketpair.SocketPair;
import io.github.jsocketpair.SocketPairException;
import io.github.jsocketpair.SocketType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link Endpoint#detach()} through the public API: the number passes to the caller and stays open (counted), the
 * endpoint reads as closed and its pair no longer closes it, and a detach while any call is in progress (blocked
 * reads and writes, a stream read, pending operations of the asynchronous view) is refused and changes nothing.
 */
public abstract class DetachContract extends ContractBase {
    private static final Duration LIMIT = Duration.ofSeconds(30);

    /** {@code close(2)}, for the number the caller owns after a detach (the API has no call for a bare number). */
    private interface C extends Library {
        int close(int fd);
    }

    private static final class Holder {
        static final C C = Native.load(Platform.C_LIBRARY_NAME, C.class);
    }

    /**
     * Closes a number the caller owns.
     *
     * @param fd the number
     */
    protected static void closeNumber(int fd) {
        assertEquals(0, Holder.C.close(fd), "close(" + fd + ")");
    }

    /**
     * Tells whether a number is open, by duplicating it through the library ({@code F_DUPFD_CLOEXEC}: EBADF when it
     * is not).
     *
     * @param fd the number
     * @return whether it is open
     * @throws IOException if the duplicate fails otherwise
     */
    protected static boolean isOpenNumber(int fd) throws IOException {
        try (Descriptor d = Descriptor.duplicate(fd)) {
            return d.isOpen();
        } catch (SocketPairException e) {
            if (e.errno() == Errno.EBADF) {
                return false;
            }
            throw e;
        }
    }

    /**
     * Lets the asynchronous view's pool threads (JDK 17-20) go first; see
     * {@link AsynchronousContract#awaitOperationThreadsGone()}.
     *
     * @throws InterruptedException if interrupted
     */
    @AfterAll
    static void awaitOperationThreadsGone() throws InterruptedException {
        AsynchronousContract.awaitOperationThreadsGone();
    }

    @Test
    void detachHandsTheNumberOverOpenAndTheEndpointReadsAsClosed() throws Exception {
        Fds.Mark mark = Fds.mark();
        int n;
        try (SocketPair p = SocketPair.open()) {
            Endpoint a = p.first();
            n = a.fd();
            assertEquals(n, a.detach());
            assertFalse(a.isOpen());
            assertEquals(-1, a.fd());
            assertThrows(ClosedChannelException.class, () -> a.read(ByteBuffer.allocate(1)));
            assertThrows(ClosedChannelException.class, () -> a.write(utf8("x")));
            assertThrows(ClosedChannelException.class, a::detach, "detached once only");
            Future<Integer> f = a.asynchronous().read(ByteBuffer.allocate(1));
            assertInstanceOf(ClosedChannelException.class, assertThrows(ExecutionException.class,
                    () -> f.get(scaled(LIMIT).toMillis(), TimeUnit.MILLISECONDS)).getCause());
            a.close(); // nothing to do: the number is not the endpoint's any more
            assertTrue(isOpenNumber(n), "the number stays open after the endpoint's close");
            // the socket still works both ways through the number (here through a duplicate of it)
            try (Endpoint dup = Endpoint.adopt(Descriptor.borrow(n))) {
                dup.write(utf8("through the number"));
                ByteBuffer b = ByteBuffer.allocate(64);
                assertEquals(18, p.second().read(b));
                assertEquals("through the number", text(b));
                p.second().write(utf8("back"));
                ByteBuffer c = ByteBuffer.allocate(64);
                assertEquals(4, dup.read(c));
                assertEquals("back", text(c));
            }
        } // the pair's close closes its second end only
        assertTrue(isOpenNumber(n), "the number outlives its pair");
        boolean counted = Fds.available();
        if (counted) {
            mark.assertChange(1, "a detached end after its pair's close");
        }
        closeNumber(n);
        mark.assertUnchanged("the caller closed the detached number");
    }

    @Test
    void detachOfAClosedEndpointFails() throws Exception {
        SocketPair p = open(SocketType.STREAM);
        p.second().close();
        assertThrows(ClosedChannelException.class, p.second()::detach);
    }

    /** The calls in progress a detach must not pull the number from under. */
    enum Busy {
        BLOCKED_READ, BLOCKED_WRITE, INPUT_STREAM_READ, PENDING_ASYNCHRONOUS_READ, PENDING_ASYNCHRONOUS_WRITE;

        boolean writes() {
            return this == BLOCKED_WRITE || this == PENDING_ASYNCHRONOUS_WRITE;
        }

        boolean asynchronous() {
            return name().startsWith("PENDING");
        }
    }

    @ParameterizedTest
    @EnumSource(Busy.class)
    void detachIsRefusedWhileACallIsInProgress(Busy busy) throws Exception {
        SocketPair p = open(SocketType.STREAM);
        Endpoint a = p.first();
        long filled = 0;
        if (busy.writes()) {
            a.setSendBufferSize(4096);
            p.second().setReceiveBufferSize(4096);
            filled = fill(a, 4096);
        }
        Future<?> call = switch (busy) {
            case BLOCKED_READ -> async(() -> a.read(ByteBuffer.allocate(8)));
            case BLOCKED_WRITE -> async(() -> a.write(ByteBuffer.allocate(1024)));
            case INPUT_STREAM_READ -> async(() -> a.inputStream().read());
            case PENDING_ASYNCHRONOUS_READ -> a.asynchronous().read(ByteBuffer.allocate(8));
            case PENDING_ASYNCHRONOUS_WRITE -> a.asynchronous().write(ByteBuffer.allocate(1024));
        };
        if (busy.asynchronous()) {
            // in progress from the moment it is accepted, before its thread has even reached the engine
            assertThrows(IllegalStateException.class, a::detach);
        }
        awaitBlocked(a, 1);
        assertThrows(IllegalStateException.class, a::detach);
        assertTrue(a.isOpen(), "a refused detach changes nothing");
        assertFalse(call.isDone(), "nor does it disturb the call");
        if (busy.writes()) {
            ByteBuffer b = ByteBuffer.allocate(64 * 1024);
            for (long got = 0; got < filled; got += p.second().read(b.clear())) {
                // make room for the blocked write
            }
        } else {
            p.second().write(utf8("x"));
        }
        Object result = call.get(scaled(LIMIT).toMillis(), TimeUnit.MILLISECONDS);
        assertTrue(result instanceof Number n && n.intValue() > 0, busy + " ended with " + result);
        int fd = a.detach(); // nothing in progress now
        assertFalse(a.isOpen());
        assertTrue(isOpenNumber(fd));
        closeNumber(fd);
    }
}
