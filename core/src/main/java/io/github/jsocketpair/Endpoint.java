package io.github.jsocketpair;

import io.github.jsocketpair.internal.Backends;
import java.io.IOException;
import java.net.SocketOption;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousByteChannel;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ByteChannel;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.GatheringByteChannel;
import java.nio.channels.InterruptibleChannel;
import java.nio.channels.ScatteringByteChannel;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One end of a socket pair: an owned socket descriptor with channel, stream and message views.
 *
 * <p>An endpoint is safe to use from several threads. One read and one write are in progress at a time, as with the
 * JDK's channels: a second reader (read, scatter, receive, {@code receiveBatch}, {@code awaitReadable}, the input
 * stream) waits for the first to finish, and so does a second writer, so a blocking stream write is never
 * interleaved with another.
 *
 * <p>Every blocking call waits in one place: a virtual thread parks on a shared poller (epoll on Linux, kqueue on the
 * BSDs and macOS) and never pins its carrier; a platform thread waits in {@code poll(2)} on the socket and a wake-up
 * descriptor. {@link #close()} wakes every waiting thread, which then gets {@link AsynchronousCloseException}; it
 * never shuts the socket down, so a child process, a peer that received the socket over {@code SCM_RIGHTS} or a
 * duplicate keeps a working connection. The descriptor number is released only once no call is using it.
 *
 * <p>An endpoint is an {@link InterruptibleChannel} with the JDK's semantics: a thread interrupted while it waits in
 * a blocking call on the endpoint, or that enters one with its interrupt status set, closes the endpoint and gets
 * {@link java.nio.channels.ClosedByInterruptException} with its interrupt status kept. Non-blocking calls, which never
 * wait, are not affected, as with the JDK's channels.
 *
 * <p>Blocking is the endpoint's own mode ({@link #configureBlocking}): every system call is made with
 * {@code MSG_DONTWAIT}, so what another holder of the socket does to the file's {@code O_NONBLOCK} changes nothing
 * here.
 *
 * <p>Every method on a closed endpoint throws {@link ClosedChannelException}. Heap and direct buffers both work:
 * direct buffers go to the kernel without a copy; heap buffers go through native memory lent for the call. When a
 * non-blocking call would block, {@code read}/{@code write}/{@code send} return {@code 0} and {@code receive} returns
 * {@code null}; no exception is thrown on that path. A native failure is a {@link SocketPairException}.
 */
public interface Endpoint extends Descriptor, ByteChannel, ScatteringByteChannel, GatheringByteChannel,
        InterruptibleChannel {

    /**
     * Returns the domain the pair was created with (for an adopted socket: read from the kernel).
     *
     * @return the domain, or {@code null} for an adopted socket of a domain this library has no name for
     */
    Domain domain();

    /**
     * Returns the socket type (for an adopted socket: read from the kernel with {@code SO_TYPE}).
     *
     * @return the type, or {@code null} for a type this library has no name for
     */
    SocketType type();

    /**
     * Reads bytes into the buffer, as {@code read(2)} does. On a record type one call takes at most one record; the
     * part that does not fit is lost (use {@link #receive(ByteBuffer, MessageFlag...)} to learn about it).
     *
     * @param dst the buffer to fill from its position to its limit
     * @return the number of bytes read, {@code -1} at end of stream, {@code 0} when non-blocking and no data is there
     * @throws IllegalArgumentException if {@code dst} is read-only
     * @throws ClosedChannelException if this endpoint is closed
     * @throws AsynchronousCloseException if another thread closed it during the call
     * @throws SocketTimeoutException if a read timeout is set and expires
     * @throws SocketPairException if {@code read(2)} fails
     */
    @Override
    int read(ByteBuffer dst) throws IOException;

    /**
     * Writes bytes from the buffer, as {@code send(2)} with {@code MSG_NOSIGNAL} does (never {@code SIGPIPE}). In
     * blocking mode on a stream all remaining bytes are written; a record type sends them as one record.
     *
     * @param src the bytes from its position to its limit
     * @return the number of bytes written, {@code 0} when non-blocking and the socket buffer is full
     * @throws ClosedChannelException if this endpoint is closed
     * @throws AsynchronousCloseException if another thread closed it during the call
     * @throws SocketPairException if the send fails, e.g. {@link Errno#EPIPE} when the peer is gone,
     *         {@link Errno#EMSGSIZE} for a record larger than the socket allows
     */
    @Override
    int write(ByteBuffer src) throws IOException;

    /**
     * Sends one message with per-call flags ({@code sendmsg(2)}, always with {@code MSG_NOSIGNAL}).
     *
     * @param src the bytes to send, from position to limit; the position advances by the bytes sent
     * @param flags {@link MessageFlag#DONTWAIT}, {@link MessageFlag#EOR} or {@link MessageFlag#OOB}
     * @return the number of bytes sent, {@code 0} if the call would block (non-blocking mode or {@code DONTWAIT})
     * @throws IllegalArgumentException if a receive-only flag ({@code PEEK}, {@code WAITALL}) is given
     * @throws NullPointerException if {@code src}, {@code flags} or a flag is null
     * @throws ClosedChannelException if this endpoint is closed
     * @throws SocketPairException if {@code sendmsg} fails
     */
    int send(ByteBuffer src, MessageFlag... flags) throws IOException;

    /**
     * Receives one message with per-call flags ({@code recvmsg(2)}), reporting truncation, record ends and any
     * descriptors that came with it.
     *
     * @param dst the buffer to fill from position to limit; the position advances by the bytes stored
     * @param flags {@link MessageFlag#PEEK}, {@link MessageFlag#DONTWAIT}, {@link MessageFlag#WAITALL} or
     *        {@link MessageFlag#OOB}
     * @return what arrived, or {@code null} if the call would block (non-blocking mode or {@code DONTWAIT})
     * @throws IllegalArgumentException if {@code dst} is read-only or a send-only flag ({@code EOR}) is given
     * @throws NullPointerException if {@code dst}, {@code flags} or a flag is null
     * @throws ClosedChannelException if this endpoint is closed
     * @throws SocketTimeoutException if a read timeout is set and expires
     * @throws SocketPairException if {@code recvmsg} fails
     */
    Received receive(ByteBuffer dst, MessageFlag... flags) throws IOException;

    /**
     * Sends records in as few system calls as the platform allows, one record per buffer (each from its position to
     * its limit): {@code sendmmsg(2)} on Linux, one {@code sendmsg(2)} per record elsewhere. Meant for
     * {@link SocketType#DGRAM} and {@link SocketType#SEQPACKET}; on a {@link SocketType#STREAM} the bytes follow one
     * another with no boundaries. Always with {@code MSG_NOSIGNAL}. In blocking mode every record is sent; in
     * non-blocking mode as many as fit. A sent record's buffer has its position at its limit.
     *
     * @param records the records; those from {@code offset} to {@code offset + length} are sent, in order
     * @param offset the index of the first record
     * @param length how many records to send
     * @return the number of records sent ({@code 0} when non-blocking and none fit)
     * @throws IndexOutOfBoundsException if {@code offset} and {@code length} do not fit the array
     * @throws NullPointerException if {@code records} or a buffer in the range is null
     * @throws ClosedChannelException if this endpoint is closed
     * @throws AsynchronousCloseException if another thread closed it during the call
     * @throws SocketPairException if a send fails, e.g. {@link Errno#EMSGSIZE}; the records before the failing one
     *         have been sent
     */
    int sendBatch(ByteBuffer[] records, int offset, int length) throws IOException;

    /**
     * Sends every record of the array; see {@link #sendBatch(ByteBuffer[], int, int)}.
     *
     * @param records the records, in order
     * @return the number of records sent
     * @throws NullPointerException if {@code records} or a buffer is null
     * @throws ClosedChannelException if this endpoint is closed
     * @throws SocketPairException if a send fails
     */
    default int sendBatch(ByteBuffer... records) throws IOException {
        return sendBatch(records, 0, records.length);
    }

    /**
     * Receives up to {@code length} records in as few system calls as the platform allows, one record per buffer:
     * {@code recvmmsg(2)} with {@code MSG_WAITFORONE} on Linux, a loop of single receives elsewhere. In blocking mode
     * it waits (honouring the read timeout) for the first record only, then takes the records already queued. Each
     * buffer's position advances by its record's length; a record longer than its buffer is cut, as
     * {@link #read(ByteBuffer)} cuts it.
     *
     * @param buffers the buffers; those from {@code offset} to {@code offset + length} are filled, in order
     * @param offset the index of the first buffer
     * @param length how many records to take at most
     * @return the number of records received: at least one in blocking mode, {@code 0} when non-blocking and none
     *         is queued, {@code -1} at end of stream (the peer of a stream or SEQPACKET socket shut down)
     * @throws IndexOutOfBoundsException if {@code offset} and {@code length} do not fit the array
     * @throws NullPointerException if {@code buffers} or a buffer in the range is null
     * @throws IllegalArgumentException if a buffer in the range is read-only
     * @throws ClosedChannelException if this endpoint is closed
     * @throws AsynchronousCloseException if another thread closed it during the call
     * @throws SocketTimeoutException if a read timeout is set and expires before the first record
     * @throws SocketPairException if the receive fails
     */
    int receiveBatch(ByteBuffer[] buffers, int offset, int length) throws IOException;

    /**
     * Receives up to one record per buffer of the array; see {@link #receiveBatch(ByteBuffer[], int, int)}.
     *
     * @param buffers the buffers, in order
     * @return the number of records received, {@code 0} when non-blocking and none is queued, {@code -1} at end of
     *         stream
     * @throws NullPointerException if {@code buffers} or a buffer is null
     * @throws IllegalArgumentException if a buffer is read-only
     * @throws ClosedChannelException if this endpoint is closed
     * @throws SocketPairException if the receive fails
     */
    default int receiveBatch(ByteBuffer... buffers) throws IOException {
        return receiveBatch(buffers, 0, buffers.length);
    }

    /**
     * Sends descriptors to the peer with {@code SCM_RIGHTS}, together with data, in one {@code sendmsg(2)}. With no
     * descriptor it is a plain {@link #send(ByteBuffer, MessageFlag...) send}. On a {@link SocketType#STREAM} at
     * least one byte must go with descriptors, because the peer would otherwise never see them; on
     * {@link SocketType#DGRAM} and {@link SocketType#SEQPACKET} an empty record carries them. The descriptors stay
     * open here; the peer gets its own.
     *
     * @param data the bytes to send with the descriptors, from position to limit
     * @param descriptors the descriptors to send, at most {@link Capabilities#maxDescriptorsPerMessage()}
     * @return the number of data bytes sent ({@code 0} when non-blocking and the buffer is full, in which case
     *         no descriptor was sent; also {@code 0} for an empty record)
     * @throws IllegalArgumentException if {@code data} is empty on a stream while descriptors are given, or more
     *         descriptors are given than the platform allows
     * @throws NullPointerException if {@code data}, {@code descriptors} or a descriptor is null
     * @throws ClosedChannelException if this endpoint or one of the descriptors is closed
     * @throws UnsupportedOperationException if descriptors are given and the platform cannot pass them, or this is
     *         not a {@link Domain#UNIX} socket (only those carry descriptors; a TIPC socket would drop them silently)
     * @throws SocketPairException if {@code sendmsg} fails
     */
    int sendDescriptors(ByteBuffer data, Descriptor... descriptors) throws IOException;

    /**
     * Sends one message gathered from several buffers, with any number of descriptors ({@code SCM_RIGHTS}, none for
     * a plain gathering send), in the engine's one wait path like every other call. A record type sends every
     * remaining byte of the buffers as one record (an empty record may carry descriptors). On a
     * {@link SocketType#STREAM} the descriptors go with the first bytes; a blocking call then writes the rest as
     * {@link #write(ByteBuffer[])} does, and a non-blocking call ({@code DONTWAIT} or non-blocking mode) may send
     * part of the bytes. Positions advance by the bytes sent, in buffer order.
     *
     * @param data the buffers, each from position to limit
     * @param descriptors the descriptors to send, at most {@link Capabilities#maxDescriptorsPerMessage()}; they stay
     *        open here
     * @param flags {@link MessageFlag#DONTWAIT} or {@link MessageFlag#EOR}
     * @return the number of bytes sent, {@code 0} if the call would block (then no descriptor was sent)
     * @throws IllegalArgumentException if a flag is not one this call takes ({@code PEEK}, {@code WAITALL},
     *         {@code OOB}), if more descriptors are given than the platform allows, or
     *         if descriptors go on a stream with no data byte
     * @throws NullPointerException if {@code data}, a buffer, {@code descriptors}, a descriptor or a flag is null
     * @throws ClosedChannelException if this endpoint or one of the descriptors is closed
     * @throws AsynchronousCloseException if another thread closed it during the call
     * @throws SocketTimeoutException if a write timeout is set and expires
     * @throws UnsupportedOperationException if descriptors are given and the platform cannot pass them, or this is
     *         not a {@link Domain#UNIX} socket
     * @throws SocketPairException if {@code sendmsg} fails, e.g. {@link Errno#EMSGSIZE}
     */
    long sendMessage(ByteBuffer[] data, List<? extends Descriptor> descriptors, MessageFlag... flags)
            throws IOException;

    /**
     * Sets a socket option, with {@link java.nio.channels.NetworkChannel#setOption}'s semantics: the standard
     * {@link java.net.StandardSocketOptions#SO_SNDBUF} and {@link java.net.StandardSocketOptions#SO_RCVBUF}, and
     * those of {@link SocketPairOptions}.
     *
     * @param <T> the option's value type
     * @param name the option
     * @param value its value
     * @return this endpoint
     * @throws UnsupportedOperationException if the option is not in {@link #supportedOptions()}
     * @throws IllegalArgumentException if the value is not valid for the option (null, a buffer size below 1, a
     *         peek offset below -1, a low watermark below 1)
     * @throws NullPointerException if {@code name} is null
     * @throws ClosedChannelException if this endpoint is closed
     * @throws SocketPairException if {@code setsockopt} fails
     */
    <T> Endpoint setOption(SocketOption<T> name, T value) throws IOException;

    /**
     * Returns a socket option's value, as the kernel reports it now (for
     * {@link SocketPairOptions#RECEIVE_DESCRIPTORS}: as this endpoint keeps it).
     *
     * @param <T> the option's value type
     * @param name the option
     * @return its value
     * @throws UnsupportedOperationException if the option is not in {@link #supportedOptions()}
     * @throws NullPointerException if {@code name} is null
     * @throws ClosedChannelException if this endpoint is closed
     * @throws SocketPairException if {@code getsockopt} fails
     */
    <T> T getOption(SocketOption<T> name) throws IOException;

    /**
     * Returns the options {@link #setOption} and {@link #getOption} take on this platform and socket.
     *
     * @return an unmodifiable set
     */
    Set<SocketOption<?>> supportedOptions();

    /**
     * Returns a pidfd of the peer process, the one that created the pair (as {@link #peerCredentials()} names it):
     * an owned, close-on-exec descriptor that names that process without the race of a pid ({@code SO_PEERPIDFD},
     * Linux 6.5+). Close it when done.
     *
     * @return the pidfd, or empty where the kernel or OS has none (before Linux 6.5, the BSDs, a socket with no
     *         recorded peer)
     * @throws ClosedChannelException if this endpoint is closed
     * @throws SocketPairException if {@code getsockopt} fails otherwise
     */
    Optional<Descriptor> peerPidfd() throws IOException;

    /**
     * Shuts down the reading side ({@code shutdown(SHUT_RD)}); later reads return end of stream.
     *
     * @throws ClosedChannelException if this endpoint is closed
     * @throws SocketPairException if {@code shutdown} fails
     */
    void shutdownInput() throws IOException;

    /**
     * Shuts down the writing side ({@code shutdown(SHUT_WR)}); the peer reads end of stream once it has read
     * everything sent before.
     *
     * @throws ClosedChannelException if this endpoint is closed
     * @throws SocketPairException if {@code shutdown} fails
     */
    void shutdownOutput() throws IOException;

    /**
     * Switches between blocking and non-blocking mode ({@code O_NONBLOCK} through {@code fcntl}).
     *
     * @param blocking {@code true} for blocking
     * @return this endpoint
     * @throws ClosedChannelException if this endpoint is closed
     * @throws SocketPairException if {@code fcntl} fails
     */
    Endpoint configureBlocking(boolean blocking) throws IOException;

    /**
     * Tells whether the descriptor is in blocking mode, as the kernel reports it now ({@code F_GETFL}).
     *
     * @return {@code true} when {@code O_NONBLOCK} is clear
     * @throws ClosedChannelException if this endpoint is closed
     * @throws SocketPairException if {@code fcntl} fails
     */
    boolean isBlocking() throws IOException;

    /**
     * Sets or clears close-on-exec ({@code FD_CLOEXEC}).
     *
     * @param closeOnExec {@code true} to close the descriptor in programs this process executes
     * @throws ClosedChannelException if this endpoint is closed
     * @throws SocketPairException if {@code fcntl} fails
     */
    void setCloseOnExec(boolean closeOnExec) throws IOException;

    /**
     * Tells whether close-on-exec is set, as the kernel reports it now ({@code F_GETFD}).
     *
     * @return {@code true} when {@code FD_CLOEXEC} is set
     * @throws ClosedChannelException if this endpoint is closed
     * @throws SocketPairException if {@code fcntl} fails
     */
    boolean isCloseOnExec() throws IOException;

    /**
     * Returns an input stream that reads from this endpoint; closing the stream closes the endpoint. Its reads honour
     * the read timeout. In non-blocking mode a read with no data waits for data, as a stream must.
     *
     * @return the stream, the same object on every call
     */
    InputStream inputStream();

    /**
     * Returns an output stream that writes to this endpoint, every byte (waiting for room in non-blocking mode);
     * closing the stream closes the endpoint.
     *
     * @return the stream, the same object on every call
     */
    OutputStream outputStream();

    /**
     * Sets how long a blocking read or receive may wait before {@link SocketTimeoutException}; zero means forever.
     *
     * @param timeout the timeout, zero for none; rounded up to whole milliseconds
     * @throws NullPointerException if {@code timeout} is null
     * @throws IllegalArgumentException if {@code timeout} is negative
     */
    void setReadTimeout(Duration timeout);

    /**
     * Returns the read timeout.
     *
     * @return the timeout, {@link Duration#ZERO} for none
     */
    Duration readTimeout();

    /**
     * Sets how long a blocking write, send or output-stream write may wait for room before
     * {@link SocketTimeoutException}; zero means forever. On a timeout the buffer's position (or, for the output
     * stream, nothing: the stream has no position) tells what went.
     *
     * @param timeout the timeout, zero for none; rounded up to whole milliseconds
     * @throws NullPointerException if {@code timeout} is null
     * @throws IllegalArgumentException if {@code timeout} is negative
     */
    void setWriteTimeout(Duration timeout);

    /**
     * Returns the write timeout.
     *
     * @return the timeout, {@link Duration#ZERO} for none
     */
    Duration writeTimeout();

    /**
     * Waits until data (or end of stream, or an error) can be read without blocking ({@code poll(POLLIN)}).
     *
     * @param timeout how long to wait at most; zero checks without waiting
     * @return {@code true} if readable, {@code false} if the time ran out
     * @throws NullPointerException if {@code timeout} is null
     * @throws IllegalArgumentException if {@code timeout} is negative
     * @throws ClosedChannelException if this endpoint is closed
     * @throws AsynchronousCloseException if another thread closed it during the wait
     * @throws SocketPairException if {@code poll} fails
     */
    boolean awaitReadable(Duration timeout) throws IOException;

    /**
     * Waits until a write can proceed without blocking ({@code poll(POLLOUT)}).
     *
     * @param timeout how long to wait at most; zero checks without waiting
     * @return {@code true} if writable (or in error: the write will report it), {@code false} if the time ran out
     * @throws NullPointerException if {@code timeout} is null
     * @throws IllegalArgumentException if {@code timeout} is negative
     * @throws ClosedChannelException if this endpoint is closed
     * @throws AsynchronousCloseException if another thread closed it during the wait
     * @throws SocketPairException if {@code poll} fails
     */
    boolean awaitWritable(Duration timeout) throws IOException;

    /**
     * Returns the credentials the kernel recorded for the peer ({@code SO_PEERCRED} on Linux): on a socket pair,
     * those of the process that created the pair, whichever process holds the other end now (for the sender of each
     * message, see {@link SocketPairOptions#PASS_CREDENTIALS}). A pid the kernel cannot name (Linux reports 0 for a
     * peer in another PID namespace) is empty.
     *
     * @return the peer's credentials
     * @throws ClosedChannelException if this endpoint is closed
     * @throws UnsupportedOperationException if the platform gives no credentials for this kind of socket
     * @throws SocketPairException if the kernel call fails
     */
    PeerCredentials peerCredentials() throws IOException;

    /**
     * Returns the size of the socket's send buffer ({@code SO_SNDBUF}) as the kernel reports it.
     *
     * @return the size in bytes
     * @throws ClosedChannelException if this endpoint is closed
     * @throws SocketPairException if {@code getsockopt} fails
     */
    int sendBufferSize() throws IOException;

    /**
     * Asks for a send buffer size ({@code SO_SNDBUF}); the kernel may round or double it (Linux does).
     *
     * @param size the size in bytes, positive
     * @throws IllegalArgumentException if {@code size} is not positive
     * @throws ClosedChannelException if this endpoint is closed
     * @throws SocketPairException if {@code setsockopt} fails
     */
    void setSendBufferSize(int size) throws IOException;

    /**
     * Returns the size of the socket's receive buffer ({@code SO_RCVBUF}) as the kernel reports it.
     *
     * @return the size in bytes
     * @throws ClosedChannelException if this endpoint is closed
     * @throws SocketPairException if {@code getsockopt} fails
     */
    int receiveBufferSize() throws IOException;

    /**
     * Asks for a receive buffer size ({@code SO_RCVBUF}); the kernel may round or double it (Linux does).
     *
     * @param size the size in bytes, positive
     * @throws IllegalArgumentException if {@code size} is not positive
     * @throws ClosedChannelException if this endpoint is closed
     * @throws SocketPairException if {@code setsockopt} fails
     */
    void setReceiveBufferSize(int size) throws IOException;

    /**
     * Hands the descriptor number to the caller, who owns it from now on: this endpoint reads as closed
     * ({@link #isOpen()} false, {@link #fd()} {@code -1}, every call {@link ClosedChannelException}) and never closes
     * the number, which stays open, with its blocking mode and close-on-exec as they are. For passing the socket to
     * another library, e.g. Netty's {@code new EpollDomainSocketChannel(fd)}, or to native code.
     *
     * <p>This refuses, and never waits: if any call is in progress on the endpoint at that moment (a blocked read,
     * a write, a pending operation of {@link #asynchronous()}, a stream read), it throws
     * {@link IllegalStateException} and changes nothing. End or close out your own calls first.
     *
     * @return the descriptor number, now the caller's to close
     * @throws IllegalStateException if a call is in progress on this endpoint
     * @throws ClosedChannelException if this endpoint is closed (or already detached)
     */
    int detach() throws IOException;

    /**
     * Returns an {@link AsynchronousByteChannel} view of this endpoint, with the JDK's semantics: at most one read
     * and one write pending at a time ({@link java.nio.channels.ReadPendingException},
     * {@link java.nio.channels.WritePendingException} otherwise), in the {@code Future} and the
     * {@link java.nio.channels.CompletionHandler} forms. A read completes with the bytes of one {@code read(2)} (at
     * least one, {@code -1} at end of stream; on a record type one record, {@code 0} for an empty one; {@code 0} at
     * once for a buffer with no room); a write with the bytes of one send (on a stream possibly fewer than remain). Operations wait whatever the endpoint's
     * blocking mode, and its timeouts do not apply to them.
     *
     * <p>Each operation runs through the same engine as the blocking calls and counts as a call in progress (one
     * reader and one writer at a time, shared with the blocking calls): on JDK 21+ on a new virtual thread, which
     * waits parked on the backend's poller and pins no carrier; on JDK 17 to 20 on a shared pool of daemon platform
     * threads, one per operation in progress, that grows as needed and shrinks when idle. Completion handlers run on
     * that thread, never while the endpoint's locks are held, and after the operation's pending state is cleared, so
     * a handler may start the next operation. An operation started on a closed endpoint fails with
     * {@link ClosedChannelException} (the handler or future gets it; nothing is thrown); closing the endpoint or the
     * view (they are one) makes a pending operation fail with {@link AsynchronousCloseException}.
     * {@code Future.cancel(true)} closes the endpoint, as with the JDK's asynchronous channels;
     * {@code cancel(false)} cancels only the future, and the operation stays pending until it ends.
     *
     * <p>This method itself throws nothing, on a closed endpoint too (the view's operations then fail as above).
     *
     * @return the view, the same object on every call
     */
    AsynchronousByteChannel asynchronous();

    /**
     * Makes an endpoint of a socket descriptor, typically one received with
     * {@link #receive(ByteBuffer, MessageFlag...)}. The endpoint takes over an owned descriptor (the descriptor object
     * is closed without closing the socket); a borrowed descriptor is duplicated, so the caller keeps its own. Domain
     * and type are read from the kernel.
     *
     * @param descriptor the socket descriptor
     * @return an endpoint that owns the socket
     * @throws NullPointerException if {@code descriptor} is null
     * @throws ClosedChannelException if {@code descriptor} is closed
     * @throws SocketPairException if the descriptor is not a socket ({@link Errno#ENOTSOCK}) or the kernel call fails
     * @throws UnsupportedOperationException if no native backend is available for this platform
     */
    static Endpoint adopt(Descriptor descriptor) throws IOException {
        java.util.Objects.requireNonNull(descriptor, "descriptor");
        return Backends.get().adopt(descriptor);
    }
}
