package io.github.jsocketpair.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.abort;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.jsocketpair.Domain;
import io.github.jsocketpair.Endpoint;
import io.github.jsocketpair.Errno;
import io.github.jsocketpair.MessageFlag;
import io.github.jsocketpair.Received;
import io.github.jsocketpair.SocketFlag;
import io.github.jsocketpair.SocketPair;
import io.github.jsocketpair.SocketPairException;
import io.github.jsocketpair.SocketType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code AF_TIPC} pairs, where the platform offers the domain. Without the kernel's {@code tipc} module the open fails
 * with {@code EAFNOSUPPORT}, whose message must say so; the tests are then aborted (skipped), not failed. Run them for
 * real with ../shared/tipcvm and {@code -Dgroups=tipc} (.ci/tipc.sh).
 *
 * <p>Beyond data both ways and record boundaries, these pin down where TIPC differs from {@code AF_UNIX} (Linux 6.1,
 * net/tipc/socket.c), so that a user learns it from an exception rather than from lost data: records above
 * {@code TIPC_MAX_USER_MSG_SIZE} (66000 bytes) are {@code EMSGSIZE}; {@code shutdown} takes only {@code SHUT_RDWR}
 * ({@code EINVAL} otherwise); end of a connection is reported once, after which a blocking read fails with
 * {@code ENOTCONN}; datagrams to a full or closed peer are dropped, never blocked on or refused; {@code MSG_OOB} is
 * ignored; {@code SCM_RIGHTS} is ignored by the kernel, so the library refuses {@code sendDescriptors}; and there are
 * no peer credentials.
 */
@Tag("tipc")
@Timeout(value = 2, unit = TimeUnit.MINUTES)
public abstract class TipcContract extends ContractBase {

    /**
     * Opens a TIPC pair, closed after the test, or aborts the test when the kernel has no TIPC.
     *
     * @param type the type
     * @param flags the flags
     * @return the pair
     * @throws IOException if the open fails otherwise
     */
    protected final SocketPair openTipc(SocketType type, SocketFlag... flags) throws IOException {
        assumeTrue(caps().domains().contains(Domain.TIPC), "TIPC is not offered here");
        try {
            return track(SocketPair.open(Domain.TIPC, type, flags));
        } catch (SocketPairException e) {
            if (e.errno() == Errno.EAFNOSUPPORT) {
                assertEquals(numbers().errno(Errno.EAFNOSUPPORT), e.nativeErrno());
                assertTrue(e.getMessage().contains("tipc"), "the message says why: " + e.getMessage());
                abort("AF_TIPC not available: " + e.getMessage());
            }
            throw e;
        }
    }

    @ParameterizedTest
    @EnumSource(SocketType.class)
    void pairsOpenAndCarryData(SocketType type) throws IOException {
        Fds.Mark before = Fds.mark();
        SocketPair p = openTipc(type, SocketFlag.CLOEXEC);
        for (Endpoint e : List.of(p.first(), p.second())) {
            assertEquals(Domain.TIPC, e.domain());
            assertEquals(type, e.type());
            assertTrue(e.isCloseOnExec());
            assertTrue(e.isBlocking());
        }
        byte[] data = bytes(1000, 5);
        assertEquals(data.length, p.first().write(ByteBuffer.wrap(data)));
        ByteBuffer got = ByteBuffer.allocateDirect(4096);
        while (got.position() < data.length) {
            assertTrue(p.second().awaitReadable(scaled(Duration.ofSeconds(10))));
            assertTrue(p.second().read(got) > 0);
        }
        byte[] arr = new byte[data.length];
        got.flip().get(arr);
        assertArrayEquals(data, arr);
        p.second().write(utf8("back"));
        ByteBuffer back = ByteBuffer.allocate(16);
        assertEquals(4, p.first().read(back));
        assertEquals("back", text(back));
        p.close();
        before.assertUnchanged("TIPC pair open and close");
    }

    @ParameterizedTest
    @EnumSource(value = SocketType.class, names = {"DGRAM", "SEQPACKET"})
    void recordBoundariesAndTruncation(SocketType type) throws IOException {
        SocketPair p = openTipc(type);
        p.first().write(ByteBuffer.wrap(bytes(10, 1)));
        p.first().write(ByteBuffer.wrap(bytes(300, 2)));
        p.first().write(utf8("tail"));
        ByteBuffer a = ByteBuffer.allocate(1000);
        Received r = p.second().receive(a);
        assertEquals(10, r.bytes());
        assertFalse(r.truncated());
        ByteBuffer small = ByteBuffer.allocate(100);
        Received t = p.second().receive(small);
        assertEquals(100, t.bytes());
        assertTrue(t.truncated());
        ByteBuffer tail = ByteBuffer.allocate(100);
        assertEquals(4, p.second().read(tail));
        assertEquals("tail", text(tail));
    }

    @ParameterizedTest
    @EnumSource(SocketType.class)
    void nonBlockingFlag(SocketType type) throws IOException {
        SocketPair p = openTipc(type, SocketFlag.NONBLOCK);
        assertFalse(p.first().isBlocking());
        assertFalse(p.second().isCloseOnExec());
        assertEquals(0, p.second().read(ByteBuffer.allocate(8)));
    }

    /** {@code TIPC_MAX_USER_MSG_SIZE} in {@code <linux/tipc.h>}. */
    protected static final int TIPC_MAX_RECORD = 66000;

    @ParameterizedTest
    @EnumSource(SocketType.class)
    void everyApiCarriesDataBothWays(SocketType type) throws IOException {
        SocketPair p = openTipc(type, SocketFlag.CLOEXEC);
        for (Endpoint[] dir : List.of(new Endpoint[] {p.first(), p.second()}, new Endpoint[] {p.second(), p.first()})) {
            Endpoint out = dir[0];
            Endpoint in = dir[1];
            byte[] a = bytes(700, 1);
            byte[] b = bytes(300, 2);
            byte[] c = bytes(500, 3);
            assertEquals(a.length, out.write(ByteBuffer.wrap(a)));
            assertEquals(b.length, out.send(ByteBuffer.allocateDirect(b.length).put(b).flip()));
            assertEquals(c.length, out.write(new ByteBuffer[] {ByteBuffer.wrap(c, 0, 200),
                ByteBuffer.allocateDirect(300).put(c, 200, 300).flip()}));
            out.outputStream().write(utf8("stream").array());
            if (type == SocketType.STREAM) {
                byte[] all = concat(a, b, c, "stream".getBytes(java.nio.charset.StandardCharsets.UTF_8));
                assertArrayEquals(all, readExactly(in, all.length));
            } else {
                ByteBuffer r1 = ByteBuffer.allocateDirect(1000);
                assertEquals(a.length, in.read(r1));
                assertArrayEquals(a, array(r1));
                Received r2 = in.receive(ByteBuffer.allocate(1000));
                assertEquals(b.length, r2.bytes());
                ByteBuffer head = ByteBuffer.allocate(100);
                ByteBuffer tail = ByteBuffer.allocateDirect(1000);
                assertEquals(c.length, in.read(new ByteBuffer[] {head, tail}));
                assertArrayEquals(c, concat(array(head), array(tail)));
                byte[] s = new byte[64];
                assertEquals(6, in.inputStream().read(s));
            }
        }
    }

    @org.junit.jupiter.api.Test
    void aLargeStreamArrivesWholeWhileBothSidesWork() throws Exception {
        SocketPair p = openTipc(SocketType.STREAM);
        byte[] data = bytes(3 << 20, 9); // far above one TIPC message (66000) and the socket buffers
        var writer = async(() -> p.first().write(ByteBuffer.wrap(data)));
        assertArrayEquals(data, readExactly(p.second(), data.length));
        assertEquals(data.length, writer.get(scaled(Duration.ofSeconds(60)).toMillis(), TimeUnit.MILLISECONDS));
    }

    @ParameterizedTest
    @EnumSource(value = SocketType.class, names = {"DGRAM", "SEQPACKET"})
    void recordsKeepTheirBoundariesBothWays(SocketType type) throws IOException {
        SocketPair p = openTipc(type);
        java.util.Random sizes = new java.util.Random(4);
        for (Endpoint[] dir : List.of(new Endpoint[] {p.first(), p.second()}, new Endpoint[] {p.second(), p.first()})) {
            List<byte[]> sent = new java.util.ArrayList<>();
            for (int i = 0; i < 40; i++) {
                byte[] r = bytes(1 + sizes.nextInt(i % 10 == 0 ? TIPC_MAX_RECORD : 3000), i);
                sent.add(r);
                assertEquals(r.length, dir[0].write(ByteBuffer.wrap(r)));
                Received got = dir[1].receive(ByteBuffer.allocate(TIPC_MAX_RECORD + 100));
                assertEquals(r.length, got.bytes(), "record " + i);
                assertFalse(got.truncated());
            }
            // a record that does not fit: the rest of it is gone, and the kernel says so
            dir[0].write(ByteBuffer.wrap(bytes(1000, 77)));
            dir[0].write(utf8("next"));
            Received cut = dir[1].receive(ByteBuffer.allocate(10));
            assertEquals(10, cut.bytes());
            assertTrue(cut.truncated());
            ByteBuffer next = ByteBuffer.allocate(100);
            assertEquals(4, dir[1].read(next));
            assertEquals("next", text(next));
        }
    }

    @ParameterizedTest
    @EnumSource(value = SocketType.class, names = {"DGRAM", "SEQPACKET"})
    void recordsAboveTheTipcMaximumAreEmsgsizeWhereUnixTakesThem(SocketType type) throws IOException {
        SocketPair p = openTipc(type);
        byte[] max = bytes(TIPC_MAX_RECORD, 6);
        assertEquals(max.length, p.first().write(ByteBuffer.wrap(max)));
        ByteBuffer got = ByteBuffer.allocateDirect(TIPC_MAX_RECORD + 10);
        assertEquals(max.length, p.second().read(got));
        assertArrayEquals(max, array(got));
        SocketPairException e = assertThrows(SocketPairException.class,
                () -> p.first().write(ByteBuffer.allocate(TIPC_MAX_RECORD + 1)));
        assertEquals(Errno.EMSGSIZE, e.errno());
        assertEquals(numbers().errno(Errno.EMSGSIZE), e.nativeErrno());
        assertNull(p.second().receive(ByteBuffer.allocate(16), MessageFlag.DONTWAIT), "nothing was sent");
        // the contrast: AF_UNIX takes the same record
        SocketPair u = open(type);
        assertEquals(TIPC_MAX_RECORD + 1, u.first().write(ByteBuffer.allocate(TIPC_MAX_RECORD + 1)));
    }

    @ParameterizedTest
    @EnumSource(SocketType.class)
    void flagsAtCreationAndPerCall(SocketType type) throws Exception {
        SocketPair nb = openTipc(type, SocketFlag.NONBLOCK, SocketFlag.CLOEXEC);
        for (Endpoint e : List.of(nb.first(), nb.second())) {
            assertFalse(e.isBlocking());
            assertTrue(e.isCloseOnExec());
        }
        assertEquals(0, nb.second().read(ByteBuffer.allocate(8)));
        assertNull(nb.second().receive(ByteBuffer.allocate(8)));
        assertFalse(nb.second().awaitReadable(Duration.ZERO));
        assertTrue(nb.first().awaitWritable(Duration.ZERO));

        SocketPair p = openTipc(type);
        assertNull(p.second().receive(ByteBuffer.allocate(8), MessageFlag.DONTWAIT));
        p.first().write(utf8("peek"));
        assertTrue(p.second().awaitReadable(scaled(Duration.ofSeconds(5))));
        ByteBuffer peeked = ByteBuffer.allocate(8);
        assertEquals(4, p.second().receive(peeked, MessageFlag.PEEK).bytes());
        ByteBuffer taken = ByteBuffer.allocate(8);
        assertEquals(4, p.second().receive(taken).bytes());
        assertEquals("peek", text(peeked));
        assertEquals("peek", text(taken));
        p.second().setReadTimeout(Duration.ofMillis(100));
        assertThrows(java.net.SocketTimeoutException.class, () -> p.second().read(ByteBuffer.allocate(8)));
        p.second().setReadTimeout(Duration.ZERO);
        if (type == SocketType.STREAM) {
            // WAITALL: one receive waits for every byte of the buffer, across writes
            var waiter = async(() -> p.second().receive(ByteBuffer.allocate(9), MessageFlag.WAITALL));
            p.first().write(utf8("abc"));
            awaitBlocked(p.second(), 1);
            p.first().write(utf8("defghi"));
            assertEquals(9, waiter.get(scaled(Duration.ofSeconds(10)).toMillis(), TimeUnit.MILLISECONDS).bytes());
        }
    }

    @ParameterizedTest
    @EnumSource(SocketType.class)
    void outOfBandIsIgnoredAndSentInBand(SocketType type) throws IOException {
        SocketPair p = openTipc(type);
        assertEquals(3, p.first().send(utf8("oob"), MessageFlag.OOB));
        ByteBuffer b = ByteBuffer.allocate(8);
        assertEquals(3, p.second().receive(b).bytes());
        assertEquals("oob", text(b));
        if (type != SocketType.STREAM) {
            // AF_UNIX refuses MSG_OOB on record types
            SocketPairException e = assertThrows(SocketPairException.class,
                    () -> open(type).first().send(utf8("x"), MessageFlag.OOB));
            assertEquals(Errno.EOPNOTSUPP, e.errno());
        }
    }

    @ParameterizedTest
    @EnumSource(SocketType.class)
    void halfShutdownIsEinvalAndLeavesThePairWorking(SocketType type) throws IOException {
        SocketPair p = openTipc(type);
        for (org.junit.jupiter.api.function.Executable half : List.<org.junit.jupiter.api.function.Executable>of(
                () -> p.first().shutdownOutput(), () -> p.first().shutdownInput())) {
            SocketPairException e = assertThrows(SocketPairException.class, half);
            assertEquals(Errno.EINVAL, e.errno());
            assertEquals(numbers().errno(Errno.EINVAL), e.nativeErrno());
            assertEquals("shutdown", e.call());
        }
        assertEquals(2, p.first().write(utf8("ok")));
        assertEquals(2, p.second().read(ByteBuffer.allocate(8)));
        // AF_UNIX half-closes
        SocketPair u = open(type);
        u.first().shutdownOutput();
        u.first().shutdownInput();
    }

    /**
     * The kernel reports the end of a TIPC connection once (and, after the peer's {@code close(2)}, as
     * {@code ECONNRESET} to {@code read(2)} but as 0 to {@code recvmsg} with a control buffer); after that a blocking
     * read would wait forever. The endpoint answers end of stream on every read, whichever call, as AF_UNIX does.
     */
    @ParameterizedTest
    @EnumSource(value = SocketType.class, names = {"STREAM", "SEQPACKET"})
    void theEndOfAConnectionIsEndOfStreamOnEveryRead(SocketType type) throws Exception {
        for (int variant = 0; variant < 4; variant++) {
            SocketPair p = openTipc(type);
            Endpoint in = p.second();
            p.first().write(utf8("last"));
            p.first().close();
            ByteBuffer b = ByteBuffer.allocate(8);
            assertEquals(4, in.read(b));
            assertEquals("last", text(b));
            int v = variant;
            // the first read after the data meets the end; which call meets it first must not matter
            var first = async(() -> switch (v) {
                case 0 -> in.read(ByteBuffer.allocate(8));
                case 1 -> in.receive(ByteBuffer.allocate(8)).bytes();
                case 2 -> (int) in.read(new ByteBuffer[] {ByteBuffer.allocate(8)});
                default -> in.inputStream().read(new byte[8]);
            });
            assertEquals(-1, first.get(scaled(Duration.ofSeconds(10)).toMillis(), TimeUnit.MILLISECONDS),
                    "variant " + v);
            // and every read after it, blocking or not, ends at once
            var again = async(() -> List.of(in.read(ByteBuffer.allocate(8)), in.receive(ByteBuffer.allocate(8)).bytes(),
                    (int) in.read(new ByteBuffer[] {ByteBuffer.allocateDirect(8)}), in.inputStream().read()));
            assertEquals(List.of(-1, -1, -1, -1), again.get(scaled(Duration.ofSeconds(10)).toMillis(),
                    TimeUnit.MILLISECONDS), "a read after the end blocked or failed (variant " + v + ")");
            in.configureBlocking(false);
            assertEquals(-1, in.read(ByteBuffer.allocate(8)), "non-blocking: end of stream, not 'would block'");
            in.configureBlocking(true);
            in.setReadTimeout(Duration.ofSeconds(5));
            assertEquals(-1, in.read(ByteBuffer.allocate(8)), "with a read timeout");
            assertTrue(in.awaitReadable(Duration.ZERO), "the end is readable");
            SocketPairException w = assertThrows(SocketPairException.class, () -> in.write(utf8("gone")));
            assertEquals(Errno.EPIPE, w.errno());
            assertEquals(numbers().errno(Errno.EPIPE), w.nativeErrno());
        }
    }

    @org.junit.jupiter.api.Test
    void datagramsToAClosedPeerVanishWhereUnixRefusesThem() throws IOException {
        SocketPair p = openTipc(SocketType.DGRAM);
        p.first().close();
        assertEquals(4, p.second().write(utf8("lost")), "TIPC drops it without an error");
        SocketPair u = open(SocketType.DGRAM);
        u.first().close();
        SocketPairException e = assertThrows(SocketPairException.class, () -> u.second().write(utf8("lost")));
        assertEquals(Errno.ECONNREFUSED, e.errno());
    }

    @org.junit.jupiter.api.Test
    void aFullDatagramReceiverDropsRecordsInsteadOfBlocking() throws IOException {
        SocketPair p = openTipc(SocketType.DGRAM);
        int sent = 4000;
        for (int i = 0; i < sent; i++) {
            ByteBuffer r = ByteBuffer.allocate(1000).putInt(0, i);
            assertEquals(1000, p.first().send(r, MessageFlag.DONTWAIT), "TIPC never pushes back on a datagram");
        }
        int got = 0;
        int last = -1;
        ByteBuffer b = ByteBuffer.allocate(2000);
        Received r;
        while ((r = p.second().receive(b.clear(), MessageFlag.DONTWAIT)) != null) {
            assertEquals(1000, r.bytes());
            int index = b.getInt(0);
            assertTrue(index > last, "records arrive in order, whole: " + index + " after " + last);
            last = index;
            got++;
        }
        assertTrue(got > 0 && got < sent, got + " of " + sent + " arrived: the receive queue should have overflowed");
        // the contrast: AF_UNIX pushes back (a full socket makes a non-blocking send return 0)
        assertTrue(fill(open(SocketType.DGRAM).first(), 1000) < 1000L * sent);
    }

    @ParameterizedTest
    @EnumSource(value = SocketType.class, names = {"STREAM", "SEQPACKET"})
    void connectionTypesPushBackWhenFull(SocketType type) throws IOException {
        SocketPair p = openTipc(type, SocketFlag.NONBLOCK);
        long filled = fill(p.first(), 1000);
        assertEquals(0, p.first().write(ByteBuffer.allocate(1000)), "full: a non-blocking write takes nothing");
        assertFalse(p.first().awaitWritable(Duration.ZERO));
        long drained = 0;
        ByteBuffer b = ByteBuffer.allocateDirect(70_000);
        int n;
        while ((n = p.second().read(b.clear())) > 0) {
            drained += n;
        }
        assertEquals(filled, drained, "every accepted byte arrives");
    }

    @ParameterizedTest
    @EnumSource(SocketType.class)
    void closeReleasesBlockedCalls(SocketType type) throws Exception {
        SocketPair p = openTipc(type);
        Endpoint victim = p.second();
        var read = async(() -> victim.read(ByteBuffer.allocate(8)));
        var receive = async(() -> victim.receive(ByteBuffer.allocateDirect(8)));
        var await = async(() -> victim.awaitReadable(Duration.ofDays(1)));
        awaitBlocked(victim, 3);
        victim.close();
        for (var f : List.of(read, receive, await)) {
            var x = assertThrows(java.util.concurrent.ExecutionException.class,
                    () -> f.get(scaled(Duration.ofSeconds(10)).toMillis(), TimeUnit.MILLISECONDS));
            assertTrue(x.getCause() instanceof java.nio.channels.AsynchronousCloseException, x.toString());
        }
    }

    @ParameterizedTest
    @EnumSource(SocketType.class)
    void descriptorsAreRefusedNotSilentlyDropped(SocketType type) throws IOException {
        SocketPair p = openTipc(type);
        SocketPair other = open(SocketType.STREAM);
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                () -> p.first().sendDescriptors(utf8("x"), other.first()));
        assertTrue(e.getMessage().contains("UNIX"), e.getMessage());
        assertNull(p.second().receive(ByteBuffer.allocate(8), MessageFlag.DONTWAIT), "nothing went out");
        assertTrue(other.first().isOpen());
    }

    @ParameterizedTest
    @EnumSource(SocketType.class)
    void thereAreNoPeerCredentials(SocketType type) throws IOException {
        SocketPair p = openTipc(type);
        assertThrows(UnsupportedOperationException.class, () -> p.first().peerCredentials());
    }

    @org.junit.jupiter.api.Test
    void tipcDescriptorsAreCloseOnExecInAChild() throws IOException {
        assumeTrue(java.nio.file.Files.isDirectory(java.nio.file.Path.of("/proc/self/fd")), "no /proc/self/fd");
        SocketPair p = openTipc(SocketType.SEQPACKET, SocketFlag.CLOEXEC);
        SocketPair control = openTipc(SocketType.SEQPACKET);
        Map<Integer, String> here = Fds.snapshot();
        Map<Integer, String> child = Spawn.inheritedDescriptors(TestEnv.buildDir());
        assertEquals(here.get(control.first().fd()), child.get(control.first().fd()), "control: " + child);
        for (Endpoint e : List.of(p.first(), p.second())) {
            assertFalse(here.get(e.fd()).equals(child.get(e.fd())), "TIPC fd " + e.fd() + " leaked: " + child);
        }
    }

    // ---- helpers ------------------------------------------------------------------------------------------------

    /**
     * Reads exactly {@code n} bytes (a stream may deliver them in any pieces).
     *
     * @param in the endpoint
     * @param n how many
     * @return the bytes
     * @throws IOException if a read fails or the stream ends early
     */
    protected static byte[] readExactly(Endpoint in, int n) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(n);
        while (b.hasRemaining()) {
            int k = in.read(b);
            assertTrue(k > 0, "stream ended after " + b.position() + " of " + n + " bytes");
        }
        return b.array();
    }

    /**
     * Returns the bytes between 0 and a buffer's position.
     *
     * @param b a buffer after a read
     * @return a copy of what was read
     */
    protected static byte[] array(ByteBuffer b) {
        ByteBuffer d = b.duplicate().flip();
        byte[] a = new byte[d.remaining()];
        d.get(a);
        return a;
    }

    private static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream o = new java.io.ByteArrayOutputStream();
        for (byte[] p : parts) {
            o.writeBytes(p);
        }
        return o.toByteArray();
    }
}
