package io.github.jsocketpair.internal;

import io.github.jsocketpair.Domain;
import io.github.jsocketpair.Errno;
import io.github.jsocketpair.SocketType;

/**
 * The one end-of-stream policy every read path asks (read, scatter, receive, batches, stream views): what a 0 from
 * the kernel, an "would block" and an error mean on this socket.
 *
 * <ul>
 * <li>STREAM: 0 bytes into room for some is the end.</li>
 * <li>DGRAM: 0 is an empty datagram. After {@code shutdownInput} Linux reads 0 at once when nothing is queued (the
 * same 0 as an empty datagram; {@code unix_dgram_recvmsg}) and poll(2) says readable, so from then on 0 and "would
 * block" are both the end.</li>
 * <li>SEQPACKET: 0 is an empty record unless the peer is gone or has shut down its output, which poll(2) tells as
 * {@code POLLRDHUP}/{@code POLLHUP} ({@code unix_dgram_poll}). Where the OS has no {@code POLLRDHUP} (the BSDs), 0 is
 * the end, as before: an empty record cannot be told from it there.</li>
 * <li>A TIPC connection (STREAM, SEQPACKET) reports its end once: a 0, or {@code ECONNRESET} when the peer close(2)d
 * it ({@code tipc_release} sends {@code TIPC_ERR_NO_PORT}, which {@code tipc_recvmsg} turns into ECONNRESET). After
 * that the receive queue stays empty and the kernel would say "would block" for ever (Linux 6.1
 * net/tipc/socket.c), so the end is remembered and every later read answered here.</li>
 * </ul>
 */
final class EndOfStream {
    private final NativeConstants c;
    private final SocketType type;
    private final boolean tipcConnection;
    private volatile boolean ended;
    private volatile boolean inputShut;

    EndOfStream(NativeConstants c, Domain domain, SocketType type) {
        this.c = c;
        this.type = type;
        this.tipcConnection = domain == Domain.TIPC && type != SocketType.DGRAM;
    }

    /** shutdownInput() succeeded. */
    void inputShut() {
        inputShut = true;
    }

    /** The end was seen and remembered (TIPC): answer -1 without a call. */
    boolean ended() {
        return ended;
    }

    /**
     * What a 0-byte result means when there was room for {@code room} bytes: true for the end of the stream.
     * {@code s} lends a pollfd for the SEQPACKET check; {@code peek} leaves nothing remembered.
     */
    boolean zeroIsEnd(Scratch s, int fd, int room, boolean peek) {
        if (room == 0) {
            return false;
        }
        boolean end = switch (type) {
            case STREAM -> true;
            case DGRAM -> inputShut;
            case SEQPACKET -> tipcConnection || peerGone(s, fd);
        };
        if (end && tipcConnection && !peek) {
            ended = true;
        }
        return end;
    }

    /** "Would block": the end for a DGRAM socket shut down for input (nothing is queued, nothing will come). */
    boolean wouldBlockIsEnd() {
        return type == SocketType.DGRAM && inputShut;
    }

    /** An error from a read: true if it is the end of a TIPC connection (remembered). */
    boolean errorIsEnd(int errno) {
        if (tipcConnection && c.toErrno(errno) == Errno.ECONNRESET) {
            ended = true;
            return true;
        }
        return false;
    }

    /** SEQPACKET: after a 0, is the peer gone or shut down for output (so the 0 was no empty record)? */
    private boolean peerGone(Scratch s, int fd) {
        if (c.POLLRDHUP == NativeConstants.ABSENT) {
            return true;
        }
        int revents = Polls.revents(s, c, fd, c.POLLIN | c.POLLRDHUP);
        if (revents <= 0) {
            return false;
        }
        return (revents & (c.POLLRDHUP | c.POLLHUP)) != 0;
    }
}
