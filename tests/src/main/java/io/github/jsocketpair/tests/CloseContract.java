package io.github.jsocketpair.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.jsocketpair.Endpoint;
import io.github.jsocketpair.MessageFlag;
import io.github.jsocketpair.SocketFlag;
import io.github.jsocketpair.SocketPair;
import io.github.jsocketpair.SocketType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The close protocol: double close is a no-op, a closed endpoint throws {@link ClosedChannelException}, and
 * {@code close()} while another thread is blocked in {@code read}, {@code receive}, {@code awaitReadable} or a
 * {@code write} on a full buffer wakes that thread promptly with {@link AsynchronousCloseException}; the descriptor
 * is released once that call has returned.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
public abstract class CloseContract extends ContractBase {

    @Test
    void doubleCloseIsANoOp() throws IOException {
        Fds.Mark before = Fds.mark();
        SocketPair p = SocketPair.open();
        Endpoint a = p.first();
        int fd = a.fd();
        assertTrue(fd >= 0);
        a.close();
        assertFalse(a.isOpen());
        assertEquals(-1, a.fd());
        a.close();
        p.close();
        p.close();
        assertFalse(p.second().isOpen());
        before.assertUnchanged("open, close twice");
    }

    @Test
    void closingOneEndLeavesTheOtherOpen() throws IOException {
        SocketPair p = open(SocketType.STREAM);
        p.first().close();
        assertTrue(p.second().isOpen());
        assertEquals(-1, p.second().read(ByteBuffer.allocate(4)));
    }

    @Test
    void streamsCloseTheEndpoint() throws IOException {
        SocketPair p = open(SocketType.STREAM);
        p.first().inputStream().close();
        assertFalse(p.first().isOpen());
        p.second().outputStream().close();
        assertFalse(p.second().isOpen());
    }

    @Test
    void aClosedEndpointThrowsClosedChannelException() throws IOException {
        SocketPair p = open(SocketType.STREAM);
        Endpoint a = p.first();
        a.close();
        ByteBuffer b = ByteBuffer.allocate(4);
        MessageContract.ThrowingCall[] calls = {
            () -> a.read(b), () -> a.write(b), () -> a.read(new ByteBuffer[] {b}), () -> a.write(new ByteBuffer[] {b}),
            () -> a.send(b), () -> a.receive(b), () -> a.receive(b, MessageFlag.DONTWAIT),
            a::shutdownInput, a::shutdownOutput, () -> a.configureBlocking(false), a::isBlocking,
            () -> a.setCloseOnExec(true), a::isCloseOnExec, () -> a.awaitReadable(Duration.ZERO),
            () -> a.awaitWritable(Duration.ZERO), a::peerCredentials, a::sendBufferSize, a::receiveBufferSize,
            () -> a.setSendBufferSize(4096), () -> a.setReceiveBufferSize(4096), () -> a.inputStream().read(),
            () -> a.outputStream().write(1),
        };
        for (int i = 0; i < calls.length; i++) {
            int k = i;
            assertThrows(ClosedChannelException.class, calls[i]::run, () -> "call " + k);
        }
    }

    @Test
    void closeWakesABlockedRead() throws Exception {
        SocketPair p = open(SocketType.STREAM);
        expectWokenByClose(p, p.second(), () -> p.second().read(ByteBuffer.allocate(16)));
    }

    @Test
    void closeWakesABlockedDirectRead() throws Exception {
        // SEQPACKET where offered (macOS has none), else DGRAM: a record type either way.
        SocketPair p = open(caps().types().contains(SocketType.SEQPACKET) ? SocketType.SEQPACKET : SocketType.DGRAM);
        expectWokenByClose(p, p.second(), () -> p.second().read(ByteBuffer.allocateDirect(16)));
    }

    @Test
    void closeWakesABlockedReceive() throws Exception {
        SocketPair p = open(SocketType.DGRAM);
        expectWokenByClose(p, p.second(), () -> p.second().receive(ByteBuffer.allocate(16)));
    }

    @Test
    void closeWakesABlockedStreamRead() throws Exception {
        SocketPair p = open(SocketType.STREAM);
        expectWokenByClose(p, p.second(), () -> p.second().inputStream().read());
    }

    @Test
    void closeWakesABlockedAwaitReadable() throws Exception {
        SocketPair p = open(SocketType.STREAM);
        expectWokenByClose(p, p.second(), () -> p.second().awaitReadable(Duration.ofHours(1)));
    }

    @Test
    void closeWakesAWriteBlockedOnAFullBuffer() throws Exception {
        SocketPair p = open(SocketType.STREAM, SocketFlag.CLOEXEC);
        p.first().setSendBufferSize(4096);
        fill(p.first(), 4096);
        expectWokenByClose(p, p.first(), () -> p.first().write(ByteBuffer.allocate(1 << 20)));
    }

    /**
     * Starts {@code call} in another thread, waits until it blocks, closes {@code victim} and expects the call to
     * end promptly with {@link AsynchronousCloseException}; then the descriptor must be gone.
     */
    private void expectWokenByClose(SocketPair pair, Endpoint victim, MessageContract.ThrowingCall call)
            throws Exception {
        CompletableFuture<Object> blocked = async(() -> {
            try {
                call.run();
                return "returned normally";
            } catch (Exception e) {
                return e;
            }
        });
        awaitBlocked(victim, 1);
        assertFalse(blocked.isDone(), () -> "the call did not block: " + blocked.getNow(null));
        Fds.Mark before = Fds.mark();
        long t0 = System.nanoTime();
        victim.close();
        Object outcome;
        try {
            outcome = blocked.get(scaled(Duration.ofSeconds(2)).toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            pair.close(); // do not leave the thread behind
            fail("close() did not wake the blocked call within " + scaled(Duration.ofSeconds(2)));
            return;
        } catch (ExecutionException e) {
            throw new AssertionError(e.getCause());
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        if (!(outcome instanceof AsynchronousCloseException)) {
            throw new AssertionError("expected AsynchronousCloseException, got " + outcome,
                    outcome instanceof Throwable t ? t : null);
        }
        assertTrue(ms < scaled(Duration.ofSeconds(2)).toMillis(), ms + " ms");
        assertFalse(victim.isOpen());
        before.assertChange(-1, "close of a descriptor a blocked call was using");
    }
}
