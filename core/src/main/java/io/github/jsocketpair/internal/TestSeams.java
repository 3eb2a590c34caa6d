package io.github.jsocketpair.internal;

import io.github.jsocketpair.Endpoint;
import io.github.jsocketpair.MessageFlag;
import io.github.jsocketpair.Received;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Hooks for the real-kernel tests, not API: the normal control buffer is sized so that {@code MSG_CTRUNC} never
 * happens, so a test that wants to see how truncated control data is handled has to ask for a smaller one.
 */
public final class TestSeams {
    private TestSeams() {
    }

    /**
     * Receives as {@link Endpoint#receive(ByteBuffer, MessageFlag...)} does, with a control buffer of
     * {@code controlBytes} bytes.
     *
     * @throws IllegalArgumentException if {@code endpoint} is not one of this library's endpoints
     */
    public static Received receiveWithControlSpace(Endpoint endpoint, ByteBuffer dst, int controlBytes,
            MessageFlag... flags) throws IOException {
        if (controlBytes < 0) {
            throw new IllegalArgumentException("negative control size: " + controlBytes);
        }
        return Messages.receive(nativeEndpoint(endpoint), dst, controlBytes, flags);
    }

    /** Returns {@code CMSG_SPACE(descriptors * sizeof(int))} on the endpoint's platform. */
    public static int controlSpaceFor(Endpoint endpoint, int descriptors) {
        return nativeEndpoint(endpoint).backend.constants().cmsgSpace(4 * descriptors);
    }

    /**
     * Tells whether a thread is waiting in the endpoint's one wait path now, to write ({@code write}) or to read:
     * published just before the wait, so a close or interrupt from now on must wake it. For tests that must know the
     * other thread is really waiting before they close.
     */
    public static boolean isWaiting(Endpoint endpoint, boolean write) {
        return nativeEndpoint(endpoint).hasWaiter(write);
    }

    /**
     * How many calls on the endpoint are blocked now: in the wait path, or queued behind the one reader or writer
     * that is (they are released by a close too).
     */
    public static int blockedCalls(Endpoint endpoint) {
        return nativeEndpoint(endpoint).blockedCalls();
    }

    /** How many virtual threads are parked on the endpoint's backend's poller now. */
    public static int pollerWaiters(Endpoint endpoint) {
        return nativeEndpoint(endpoint).backend.pollerWaiters();
    }

    private static NativeEndpoint nativeEndpoint(Endpoint endpoint) {
        if (endpoint instanceof NativeEndpoint n) {
            return n;
        }
        throw new IllegalArgumentException("not a jsocketpair endpoint: " + endpoint);
    }
}
