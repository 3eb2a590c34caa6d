package io.github.jsocketpair.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.jsocketpair.Endpoint;
import io.github.jsocketpair.SocketFlag;
import io.github.jsocketpair.SocketPair;
import io.github.jsocketpair.SocketType;
import io.github.jsocketpair.internal.TestSeams;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousByteChannel;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.CompletionHandler;
import java.nio.channels.ReadPendingException;
import java.nio.channels.WritePendingException;
import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link Endpoint#asynchronous()} through the public API: the JDK's pending rules (one read and one write at a
 * time), completion with {@link AsynchronousCloseException} when the endpoint or the view is closed under a pending
 * operation, {@link ClosedChannelException} for one started on a closed endpoint, ping-pong in the {@code Future}
 * and the {@link CompletionHandler} forms, handlers that run outside the endpoint's locks and may start the next
 * operation, operations that wait whatever the endpoint's mode, and where they run (virtual threads parked on the
 * poller on JDK 21+, a pool of platform threads before). Every test that acts on a pending operation first waits
 * until it is really in the engine's wait path ({@link #awaitBlocked}).
 */
public abstract class AsynchronousContract extends ContractBase {
    private static final Duration LIMIT = Duration.ofSeconds(30);

    /** Round trips per ping-pong: fewer under an emulator, where each costs tens of times more. */
    private static int rounds() {
        return TestEnv.emulated() ? 50 : 500;
    }

    private static long limitMillis() {
        return scaled(LIMIT).toMillis();
    }

    /** A handler that completes a future, remembering the thread it ran on. */
    static final class Completion implements CompletionHandler<Integer, Object> {
        final CompletableFuture<Integer> result = new CompletableFuture<>();
        volatile Thread thread;
        volatile Object attachment;

        @Override
        public void completed(Integer n, Object att) {
            thread = Thread.currentThread();
            attachment = att;
            result.complete(n);
        }

        @Override
        public void failed(Throwable e, Object att) {
            thread = Thread.currentThread();
            attachment = att;
            result.completeExceptionally(e);
        }

        Object outcome() throws Exception {
            return AsynchronousContract.outcome(result);
        }
    }

    /** What a future ended with: its result or the cause of its failure. */
    static Object outcome(Future<Integer> f) throws Exception {
        try {
            return f.get(limitMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        }
    }

    /** The two forms of an operation. */
    enum Form { FUTURE, HANDLER }

    /** Starts a read or a write in the given form; the result is the future or the handler's future. */
    private static Future<Integer> start(Form form, AsynchronousByteChannel ch, boolean write, ByteBuffer b) {
        if (form == Form.FUTURE) {
            return write ? ch.write(b) : ch.read(b);
        }
        Completion c = new Completion();
        if (write) {
            ch.write(b, "att", c);
        } else {
            ch.read(b, "att", c);
        }
        return c.result;
    }

    /** A pair with small buffers whose first end cannot write without blocking: {@link #filled} bytes wait. */
    private SocketPair full() throws Exception {
        SocketPair p = open(SocketType.STREAM);
        p.first().setSendBufferSize(4096);
        p.second().setReceiveBufferSize(4096);
        filled = fill(p.first(), 4096);
        return p;
    }

    private long filled;

    /** Reads from {@code e} until it has taken {@code n} bytes, with blocking reads. */
    private static void drain(Endpoint e, long n) throws Exception {
        ByteBuffer b = ByteBuffer.allocate(64 * 1024);
        for (long got = 0; got < n;) {
            b.clear();
            int r = e.read(b);
            assertTrue(r > 0, "drained " + got + " of " + n);
            got += r;
        }
    }

    /** Reads from {@code e} until end of stream: the peer's number is closed (no one else holds that socket). */
    private static void drainToEnd(Endpoint e) throws Exception {
        e.setReadTimeout(scaled(LIMIT));
        ByteBuffer b = ByteBuffer.allocate(64 * 1024);
        while (e.read(b.clear()) >= 0) {
            // what the peer had sent before it closed
        }
    }

    @ParameterizedTest
    @EnumSource(Form.class)
    void aSecondReadWhileOneIsPendingIsRefusedAndWritesStillGo(Form form) throws Exception {
        SocketPair p = open(SocketType.STREAM);
        AsynchronousByteChannel ch = p.first().asynchronous();
        assertSame(ch, p.first().asynchronous(), "one view per endpoint");
        ByteBuffer dst = ByteBuffer.allocate(16);
        Future<Integer> pending = start(form, ch, false, dst);
        awaitBlocked(p.first(), 1);
        assertThrows(ReadPendingException.class, () -> ch.read(ByteBuffer.allocate(1)));
        assertThrows(ReadPendingException.class, () -> ch.read(ByteBuffer.allocate(1), null, new Completion()));
        assertFalse(pending.isDone());
        // the other direction is free: a write goes while the read is pending
        assertEquals(5, outcome(start(form, ch, true, utf8("hello"))));
        ByteBuffer b = ByteBuffer.allocate(16);
        assertEquals(5, p.second().read(b));
        assertEquals("hello", text(b));
        p.second().write(utf8("reply"));
        assertEquals(5, outcome(pending));
        assertEquals("reply", text(dst));
        // done: the next read is accepted
        Future<Integer> next = ch.read(ByteBuffer.allocate(4));
        p.second().write(utf8("x"));
        assertEquals(1, outcome(next));
    }

    @ParameterizedTest
    @EnumSource(Form.class)
    void aSecondWriteWhileOneIsPendingIsRefused(Form form) throws Exception {
        SocketPair p = full();
        AsynchronousByteChannel ch = p.first().asynchronous();
        Future<Integer> pending = start(form, ch, true, ByteBuffer.allocate(1024));
        awaitBlocked(p.first(), 1);
        assertThrows(WritePendingException.class, () -> ch.write(ByteBuffer.allocate(1)));
        assertThrows(WritePendingException.class, () -> ch.write(ByteBuffer.allocate(1), null, new Completion()));
        assertFalse(pending.isDone());
        Future<Integer> reading = ch.read(ByteBuffer.allocate(1)); // reads are still accepted
        drain(p.second(), filled);
        Object n = outcome(pending);
        assertInstanceOf(Integer.class, n, "the pending write ended with " + n);
        assertTrue((Integer) n > 0 && (Integer) n <= 1024, "wrote " + n);
        Future<Integer> next = ch.write(ByteBuffer.allocate(1));
        assertNotNull(next);
        reading.cancel(true); // closes the endpoint, as the JDK's asynchronous channels do
        assertTrue(reading.isCancelled());
        assertFalse(p.first().isOpen());
    }

    /** How the pending operation's endpoint is closed. */
    enum Closer { ENDPOINT, VIEW, FUTURE_CANCEL }

    /**
     * Close under a pending read and a pending write: both end with {@link AsynchronousCloseException} (a cancelled
     * future reads as cancelled), and the number is really closed once they are out: the peer, the only other holder
     * of the socket, reads end of stream.
     */
    @ParameterizedTest
    @EnumSource(Closer.class)
    void closeCompletesPendingReadAndWriteWithAsynchronousCloseException(Closer how) throws Exception {
        SocketPair p = full();
        Endpoint e = p.first();
        AsynchronousByteChannel ch = e.asynchronous();
        Future<Integer> read = ch.read(ByteBuffer.allocate(8));
        Completion write = new Completion();
        ch.write(ByteBuffer.allocate(1024), "w", write);
        awaitBlocked(e, 2);
        switch (how) {
            case ENDPOINT -> e.close();
            case VIEW -> ch.close();
            case FUTURE_CANCEL -> assertTrue(read.cancel(true));
        }
        assertFalse(e.isOpen());
        assertFalse(ch.isOpen(), "the view and the endpoint are one");
        if (how == Closer.FUTURE_CANCEL) {
            cancelled(read);
        } else {
            Object r = outcome(read);
            assertInstanceOf(AsynchronousCloseException.class, r, "the pending read ended with " + r);
        }
        assertInstanceOf(AsynchronousCloseException.class, write.outcome(), "the pending write");
        assertEquals("w", write.attachment);
        drainToEnd(p.second());
    }

    private static Object cancelled(Future<Integer> f) {
        assertTrue(f.isCancelled());
        return assertThrows(CancellationException.class, f::get);
    }

    @Test
    void anOperationOnAClosedEndpointFailsWithClosedChannelExceptionAndThrowsNothing() throws Exception {
        SocketPair p = open(SocketType.STREAM);
        AsynchronousByteChannel ch = p.first().asynchronous();
        ch.close();
        assertInstanceOf(ClosedChannelException.class, outcome(ch.read(ByteBuffer.allocate(1))));
        assertInstanceOf(ClosedChannelException.class, outcome(ch.write(utf8("x"))));
        Completion c = new Completion();
        ch.read(ByteBuffer.allocate(1), 42, c);
        Object out = c.outcome();
        assertInstanceOf(ClosedChannelException.class, out);
        assertFalse(out instanceof AsynchronousCloseException, "closed before, not during: " + out);
        assertEquals(42, c.attachment);
    }

    @Test
    void argumentsAreCheckedWhenTheOperationStarts() throws Exception {
        AsynchronousByteChannel ch = open(SocketType.STREAM).first().asynchronous();
        assertThrows(IllegalArgumentException.class, () -> ch.read(ByteBuffer.allocate(1).asReadOnlyBuffer()));
        assertThrows(NullPointerException.class, () -> ch.read(null));
        assertThrows(NullPointerException.class, () -> ch.write(null));
        assertThrows(NullPointerException.class, () -> ch.read(ByteBuffer.allocate(1), null, null));
        assertThrows(NullPointerException.class, () -> ch.write(ByteBuffer.allocate(1), null, null));
        // nothing was left pending by the refusals
        assertEquals(1, outcome(ch.write(utf8("x"))));
    }

    @Test
    void endOfStreamCompletesAPendingRead() throws Exception {
        SocketPair p = open(SocketType.STREAM);
        Future<Integer> f = p.first().asynchronous().read(ByteBuffer.allocate(8));
        awaitBlocked(p.first(), 1);
        p.second().shutdownOutput();
        assertEquals(-1, outcome(f));
    }

    @Test
    void operationsWaitWhateverTheEndpointsMode() throws Exception {
        SocketPair p = open(SocketType.STREAM, SocketFlag.NONBLOCK);
        assertFalse(p.first().isBlocking());
        ByteBuffer dst = ByteBuffer.allocate(8);
        Future<Integer> f = p.first().asynchronous().read(dst);
        awaitBlocked(p.first(), 1);
        assertFalse(f.isDone(), "a non-blocking endpoint's view still waits for data, it does not complete with 0");
        p.second().write(utf8("late"));
        assertEquals(4, outcome(f));
        assertEquals("late", text(dst));
    }

    @ParameterizedTest
    @EnumSource(value = SocketType.class, names = {"STREAM", "SEQPACKET"})
    void pingPongThroughFutures(SocketType type) throws Exception {
        assumeTrue(caps().types().contains(type), type + " pairs are not available here");
        SocketPair p = open(type);
        AsynchronousByteChannel a = p.first().asynchronous();
        AsynchronousByteChannel b = p.second().asynchronous();
        for (int i = 0; i < rounds(); i++) {
            exchange(a, b, "ping " + i);
            exchange(b, a, "pong " + i);
        }
    }

    /** Sends {@code msg} through {@code from}'s write future and reads it whole through {@code to}'s read futures. */
    private static void exchange(AsynchronousByteChannel from, AsynchronousByteChannel to, String msg)
            throws Exception {
        ByteBuffer dst = ByteBuffer.allocate(64);
        Future<Integer> r = to.read(dst); // pending before the write, as a server's read is
        ByteBuffer src = utf8(msg);
        while (src.hasRemaining()) {
            assertTrue(from.write(src).get(limitMillis(), TimeUnit.MILLISECONDS) > 0);
        }
        int n = r.get(limitMillis(), TimeUnit.MILLISECONDS);
        while (dst.position() < msg.length()) {
            assertTrue(n > 0, "end of stream after " + text(dst));
            n = to.read(dst).get(limitMillis(), TimeUnit.MILLISECONDS);
        }
        assertEquals(msg, text(dst));
    }

    /**
     * Handlers chain every step, each starting the next operation in the direction that just completed (the pending
     * flag is clear by then); and from inside a handler another thread can take the endpoint's read and write locks
     * ({@code awaitReadable}/{@code awaitWritable} with no wait), so the handler holds neither.
     */
    @ParameterizedTest
    @EnumSource(value = SocketType.class, names = {"STREAM", "SEQPACKET"})
    void pingPongThroughCompletionHandlers(SocketType type) throws Exception {
        assumeTrue(caps().types().contains(type), type + " pairs are not available here");
        SocketPair p = open(type);
        int rounds = rounds();
        CompletableFuture<Integer> done = new CompletableFuture<>();
        AtomicInteger lockChecks = new AtomicInteger();
        Echo server = new Echo(p.second().asynchronous(), done, false);
        Echo client = new Echo(p.first().asynchronous(), done, true) {
            @Override
            void received(String msg) throws Exception {
                if (lockChecks.getAndIncrement() < 3) {
                    // another thread, while this handler runs: it would block on a lock this thread held
                    CompletableFuture<Object> other = async(() -> p.first().awaitReadable(Duration.ZERO)
                            | p.first().awaitWritable(Duration.ZERO));
                    other.get(limitMillis(), TimeUnit.MILLISECONDS);
                }
                int n = Integer.parseInt(msg.substring(5));
                if (n + 1 == rounds) {
                    done.complete(n + 1);
                } else {
                    send("ping " + (n + 1));
                }
            }
        };
        server.listen();
        client.listen();
        client.send("ping 0");
        assertEquals(rounds, done.get(scaled(Duration.ofSeconds(60)).toMillis(), TimeUnit.MILLISECONDS));
        assertTrue(lockChecks.get() >= 3, "handlers checked for locks: " + lockChecks);
        if (virtualThreadsExpected()) {
            assertTrue(isVirtual(client.lastThread), "handlers run on virtual threads on JDK 21+: "
                    + client.lastThread);
        } else {
            assertFalse(isVirtual(client.lastThread));
            assertTrue(client.lastThread.getName().startsWith("jsocketpair-async-"), client.lastThread.getName());
            assertTrue(client.lastThread.isDaemon());
        }
    }

    /**
     * One side of a ping-pong in handlers: reads fixed 16-byte messages (a stream may split them), answers a ping
     * with a pong of the same number unless it is the client, which {@link #received} decides for.
     */
    private static class Echo {
        private static final int SIZE = 16;
        private final AsynchronousByteChannel ch;
        private final CompletableFuture<Integer> done;
        private final boolean client;
        private final ByteBuffer in = ByteBuffer.allocate(SIZE);
        volatile Thread lastThread;

        Echo(AsynchronousByteChannel ch, CompletableFuture<Integer> done, boolean client) {
            this.ch = ch;
            this.done = done;
            this.client = client;
        }

        void listen() {
            ch.read(in, null, new CompletionHandler<Integer, Object>() {
                @Override
                public void completed(Integer n, Object att) {
                    lastThread = Thread.currentThread();
                    try {
                        if (n < 0) {
                            throw new AssertionError("end of stream");
                        }
                        if (in.hasRemaining()) {
                            ch.read(in, null, this);
                            return;
                        }
                        String msg = text(in).trim();
                        in.clear();
                        if (client) {
                            received(msg); // before the next read, which would hold the read lock while pending
                        } else {
                            send("pong " + msg.substring(5));
                        }
                        ch.read(in, null, this); // the next read, from inside the handler
                    } catch (Throwable e) {
                        done.completeExceptionally(e);
                    }
                }

                @Override
                public void failed(Throwable e, Object att) {
                    done.completeExceptionally(e);
                }
            });
        }

        private final Queue<ByteBuffer> outbox = new ConcurrentLinkedQueue<>();
        private final AtomicBoolean writing = new AtomicBoolean();

        /**
         * Queues one padded message: one write is pending at a time (a second would be refused with
         * WritePendingException), the next starts from the handler of the one before, and so does the rest of a
         * message a stream took only part of.
         */
        void send(String msg) {
            outbox.add(utf8(String.format("%-" + SIZE + "s", msg)));
            pump();
        }

        private void pump() {
            while (!outbox.isEmpty() && writing.compareAndSet(false, true)) {
                ByteBuffer next = outbox.peek();
                if (next == null) {
                    writing.set(false);
                    continue;
                }
                ch.write(next, next, new CompletionHandler<Integer, ByteBuffer>() {
                    @Override
                    public void completed(Integer n, ByteBuffer out) {
                        if (out.hasRemaining()) {
                            ch.write(out, out, this);
                            return;
                        }
                        outbox.poll();
                        writing.set(false);
                        pump();
                    }

                    @Override
                    public void failed(Throwable e, ByteBuffer out) {
                        done.completeExceptionally(e);
                    }
                });
                return;
            }
        }

        void received(String msg) throws Exception {
            throw new AssertionError("the client overrides this");
        }
    }

    /**
     * On JDK 21+ a pending operation is a virtual thread parked on the backend's poller (no platform thread waits for
     * it); before, a daemon platform thread of a shared pool.
     */
    @Test
    void aPendingReadWaitsOnThePollerWhereTheJdkHasVirtualThreads() throws Exception {
        SocketPair p = open(SocketType.STREAM);
        Completion c = new Completion();
        p.first().asynchronous().read(ByteBuffer.allocate(4), null, c);
        awaitBlocked(p.first(), 1);
        // the waiter is published just before it registers with the poller: wait for the registration too
        long end = System.nanoTime() + scaled(LIMIT).toNanos();
        while (virtualThreadsExpected() && TestSeams.pollerWaiters(p.first()) < 1 && System.nanoTime() - end < 0) {
            Thread.sleep(1);
        }
        int parked = TestSeams.pollerWaiters(p.first());
        p.second().write(utf8("go"));
        assertEquals(2, c.outcome());
        if (virtualThreadsExpected()) {
            assertTrue(parked >= 1, "the pending read is parked on the poller: " + parked);
            assertTrue(isVirtual(c.thread), String.valueOf(c.thread));
        } else {
            assertEquals(0, parked, "no virtual threads before JDK 21");
            assertFalse(isVirtual(c.thread), String.valueOf(c.thread));
        }
    }

    /** A read through the view takes one whole datagram; an empty one completes with 0. */
    @Test
    void recordsOneAtATime() throws Exception {
        // DGRAM: an empty datagram is data on every OS (an empty SEQPACKET record is told from the end on Linux only)
        SocketPair p = open(SocketType.DGRAM);
        p.second().write(utf8("first"));
        p.second().write(ByteBuffer.allocate(0));
        p.second().write(utf8("third"));
        AsynchronousByteChannel ch = p.first().asynchronous();
        ByteBuffer b = ByteBuffer.allocate(64);
        assertEquals(5, outcome(ch.read(b)));
        assertEquals(0, outcome(ch.read(b)));
        assertEquals(5, outcome(ch.read(b)));
        assertEquals("firstthird", text(b));
    }

    /**
     * Waits until the platform threads that ran the view's operations (JDK 17-20: a shared pool that lets a thread go
     * after 10 s idle) are gone, then collects garbage so the engine's wake-up descriptors they held are closed: a
     * later test that counts every descriptor must not see them close under it. Immediate on JDK 21+.
     *
     * @throws InterruptedException if interrupted
     */
    @AfterAll
    static void awaitOperationThreadsGone() throws InterruptedException {
        long end = System.nanoTime() + scaled(Duration.ofSeconds(60)).toNanos();
        while (Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().startsWith("jsocketpair-async-"))
                && System.nanoTime() - end < 0) {
            Thread.sleep(50);
        }
        System.gc();
    }

    /** JDK 21+: the view's operations run on virtual threads. */
    static boolean virtualThreadsExpected() {
        return Runtime.version().feature() >= 21;
    }

    static boolean isVirtual(Thread t) {
        try {
            return (boolean) Thread.class.getMethod("isVirtual").invoke(t);
        } catch (NoSuchMethodException e) {
            return false;
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }
}
