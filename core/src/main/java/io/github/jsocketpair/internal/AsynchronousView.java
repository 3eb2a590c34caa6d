package io.github.jsocketpair.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousByteChannel;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.CompletionHandler;
import java.nio.channels.ReadPendingException;
import java.nio.channels.WritePendingException;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An endpoint's {@link AsynchronousByteChannel}: each accepted operation is one call through the engine
 * ({@link NativeEndpoint#readForView}, {@link NativeEndpoint#writeForView}) run on {@link Threads#operations()}, so
 * it waits where every call waits, parked on the poller when it runs on a virtual thread.
 *
 * <p>An accepted operation holds a use of the number from the moment it is accepted until just before it completes:
 * a close meanwhile defers the release of the number to it, as for any call in progress, and
 * {@link NativeEndpoint#detach()} refuses. The pending flag is cleared and the use released before the handler
 * runs or the future completes, and the endpoint call has returned (its lock released) by then, so a handler may
 * start the next operation in the same direction and never runs under the endpoint's locks.
 */
final class AsynchronousView implements AsynchronousByteChannel {
    private final NativeEndpoint endpoint;
    private final AtomicBoolean reading = new AtomicBoolean();
    private final AtomicBoolean writing = new AtomicBoolean();

    AsynchronousView(NativeEndpoint endpoint) {
        this.endpoint = endpoint;
    }

    @Override
    public <A> void read(ByteBuffer dst, A attachment, CompletionHandler<Integer, ? super A> handler) {
        Objects.requireNonNull(handler, "handler");
        start(false, dst, attachment, handler);
    }

    @Override
    public Future<Integer> read(ByteBuffer dst) {
        return start(false, dst, null, null);
    }

    @Override
    public <A> void write(ByteBuffer src, A attachment, CompletionHandler<Integer, ? super A> handler) {
        Objects.requireNonNull(handler, "handler");
        start(true, src, attachment, handler);
    }

    @Override
    public Future<Integer> write(ByteBuffer src) {
        return start(true, src, null, null);
    }

    @Override
    public boolean isOpen() {
        return endpoint.isOpen();
    }

    @Override
    public void close() throws IOException {
        endpoint.close();
    }

    @Override
    public String toString() {
        return "AsynchronousView[" + endpoint + "]";
    }

    /** Accepts one operation: the checks the JDK makes at initiation, then the operation on its own thread. */
    private <A> PendingFuture start(boolean write, ByteBuffer buffer, A attachment,
            CompletionHandler<Integer, ? super A> handler) {
        Objects.requireNonNull(buffer, write ? "src" : "dst");
        if (!write && buffer.isReadOnly()) {
            throw new IllegalArgumentException("read-only buffer");
        }
        PendingFuture future = handler == null ? new PendingFuture(endpoint) : null;
        try {
            Owned.hold(endpoint);
        } catch (ClosedChannelException e) {
            // As the JDK's asynchronous channels: a closed channel fails the operation, it does not throw.
            if (future != null) {
                future.done.completeExceptionally(e);
            } else {
                Threads.operations().execute(() -> handler.failed(e, attachment));
            }
            return future;
        }
        AtomicBoolean pending = write ? writing : reading;
        if (!pending.compareAndSet(false, true)) {
            Owned.unhold(endpoint);
            throw write ? new WritePendingException() : new ReadPendingException();
        }
        try {
            Threads.operations().execute(() -> run(write, buffer, pending, attachment, handler, future));
        } catch (RuntimeException | Error e) {
            pending.set(false);
            Owned.unhold(endpoint);
            throw e;
        }
        return future;
    }

    private <A> void run(boolean write, ByteBuffer buffer, AtomicBoolean pending, A attachment,
            CompletionHandler<Integer, ? super A> handler, PendingFuture future) {
        Integer result = null;
        Throwable failure = null;
        try {
            result = write ? endpoint.writeForView(buffer) : endpoint.readForView(buffer);
        } catch (AsynchronousCloseException e) {
            failure = e;
        } catch (ClosedChannelException e) {
            // Closed after the operation was accepted, before it reached the engine: closed under it all the same.
            failure = new AsynchronousCloseException();
        } catch (Throwable e) {
            failure = e;
        } finally {
            Owned.unhold(endpoint);
            pending.set(false);
        }
        if (handler != null) {
            if (failure == null) {
                handler.completed(result, attachment);
            } else {
                handler.failed(failure, attachment);
            }
        } else if (failure == null) {
            future.done.complete(result);
        } else {
            future.done.completeExceptionally(failure);
        }
    }

    /**
     * The result of an operation started in the {@code Future} form. {@code cancel(true)} closes the endpoint, as
     * the JDK's asynchronous channels do, so the operation ends with {@link AsynchronousCloseException};
     * {@code cancel(false)} only cancels the future: the operation goes on, what it moves is in the buffer, and it
     * is pending until it ends.
     */
    private static final class PendingFuture implements Future<Integer> {
        final CompletableFuture<Integer> done = new CompletableFuture<>();
        private final NativeEndpoint endpoint;

        PendingFuture(NativeEndpoint endpoint) {
            this.endpoint = endpoint;
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            boolean cancelled = done.cancel(mayInterruptIfRunning);
            if (cancelled && mayInterruptIfRunning) {
                try {
                    endpoint.close();
                } catch (IOException e) {
                    // closed all the same: close(2) releases the number whatever it reports
                }
            }
            return cancelled;
        }

        @Override
        public boolean isCancelled() {
            return done.isCancelled();
        }

        @Override
        public boolean isDone() {
            return done.isDone();
        }

        @Override
        public Integer get() throws InterruptedException, ExecutionException {
            return done.get();
        }

        @Override
        public Integer get(long timeout, TimeUnit unit)
                throws InterruptedException, ExecutionException, TimeoutException {
            return done.get(timeout, unit);
        }

        @Override
        public String toString() {
            return "PendingFuture[" + (done.isCancelled() ? "cancelled" : done.isDone() ? "done" : "pending") + "]";
        }
    }
}
