package io.github.jsocketpair.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.jsocketpair.ChildProcess;
import io.github.jsocketpair.Descriptor;
import io.github.jsocketpair.Endpoint;
import io.github.jsocketpair.MessageFlag;
import io.github.jsocketpair.PeerCredentials;
import io.github.jsocketpair.Received;
import io.github.jsocketpair.SocketPair;
import io.github.jsocketpair.SocketPairOptions;
import io.github.jsocketpair.SocketType;
import java.io.IOException;
import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Socket options with {@code NetworkChannel} semantics, each read back after it is set and its effect shown on the
 * real kernel (per-message credentials of a child process, descriptors refused and never installed, the peek offset
 * advancing, the low watermark holding a reader); {@link Received} closing what the caller did not take; descriptor
 * sends with no descriptor, empty records carrying descriptors, and {@code sendMessage} with many buffers and
 * descriptors; the peer's pidfd.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
public abstract class SocketOptionsContract extends ContractBase {
    /** Why the option tests skip under qemu-user (the native run covers them). */
    private static final String QEMU_OPTIONS = "qemu-user's socket emulation refuses SO_PEEK_OFF (ENOPROTOOPT) and "
            + "drops what it cannot convert; natively covered";


    /**
     * Tells whether this kernel has {@code SO_PEERPIDFD}; the default says no.
     *
     * @return {@code true} where {@link Endpoint#peerPidfd()} must give a pidfd
     */
    protected boolean peerPidfdExpected() {
        return false;
    }

    /**
     * Says why {@link #peerPidfdExpected()} is false, for the skipped test.
     *
     * @return the reason
     */
    protected String noPeerPidfdReason() {
        return SocketPair.platform().os() + " has no SO_PEERPIDFD";
    }

    private static boolean supported(Endpoint e, SocketOption<?> o) {
        return e.supportedOptions().contains(o);
    }

    // ---- options read back ----------------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(SocketType.class)
    void everyOptionReadsBackWhatWasSet(SocketType type) throws IOException {
        assumeTrue(caps().types().contains(type));
        assumeFalse(TestEnv.emulated(), QEMU_OPTIONS);
        Endpoint e = open(type).first();
        assertTrue(e.supportedOptions().contains(StandardSocketOptions.SO_SNDBUF));
        assertTrue(e.supportedOptions().contains(StandardSocketOptions.SO_RCVBUF));
        assertThrows(UnsupportedOperationException.class, () -> e.supportedOptions().add(
                StandardSocketOptions.SO_KEEPALIVE));
        assertSame(e, e.setOption(StandardSocketOptions.SO_SNDBUF, 16384));
        assertTrue(e.getOption(StandardSocketOptions.SO_SNDBUF) >= 16384);
        assertEquals(e.sendBufferSize(), e.getOption(StandardSocketOptions.SO_SNDBUF));
        e.setOption(StandardSocketOptions.SO_RCVBUF, 16384);
        assertTrue(e.getOption(StandardSocketOptions.SO_RCVBUF) >= 16384);
        assertEquals(e.receiveBufferSize(), e.getOption(StandardSocketOptions.SO_RCVBUF));
        if (supported(e, SocketPairOptions.PASS_CREDENTIALS)) {
            assertFalse(e.getOption(SocketPairOptions.PASS_CREDENTIALS));
            e.setOption(SocketPairOptions.PASS_CREDENTIALS, true);
            assertTrue(e.getOption(SocketPairOptions.PASS_CREDENTIALS));
            e.setOption(SocketPairOptions.PASS_CREDENTIALS, false);
            assertFalse(e.getOption(SocketPairOptions.PASS_CREDENTIALS));
        }
        if (supported(e, SocketPairOptions.RECEIVE_DESCRIPTORS)) {
            assertTrue(e.getOption(SocketPairOptions.RECEIVE_DESCRIPTORS));
            e.setOption(SocketPairOptions.RECEIVE_DESCRIPTORS, false);
            assertFalse(e.getOption(SocketPairOptions.RECEIVE_DESCRIPTORS));
            e.setOption(SocketPairOptions.RECEIVE_DESCRIPTORS, true);
            assertTrue(e.getOption(SocketPairOptions.RECEIVE_DESCRIPTORS));
        }
        if (supported(e, SocketPairOptions.PEEK_OFFSET)) {
            assertEquals(-1, e.getOption(SocketPairOptions.PEEK_OFFSET));
            e.setOption(SocketPairOptions.PEEK_OFFSET, 0);
            assertEquals(0, e.getOption(SocketPairOptions.PEEK_OFFSET));
            e.setOption(SocketPairOptions.PEEK_OFFSET, -1);
            assertEquals(-1, e.getOption(SocketPairOptions.PEEK_OFFSET));
            assertThrows(IllegalArgumentException.class, () -> e.setOption(SocketPairOptions.PEEK_OFFSET, -2));
        }
        if (supported(e, SocketPairOptions.RECEIVE_LOW_WATERMARK)) {
            assertEquals(1, e.getOption(SocketPairOptions.RECEIVE_LOW_WATERMARK));
            e.setOption(SocketPairOptions.RECEIVE_LOW_WATERMARK, 10);
            assertEquals(10, e.getOption(SocketPairOptions.RECEIVE_LOW_WATERMARK));
            assertThrows(IllegalArgumentException.class,
                    () -> e.setOption(SocketPairOptions.RECEIVE_LOW_WATERMARK, 0));
        }
    }

    @Test
    void unknownOptionsAndBadValuesAreRefused() throws IOException {
        Endpoint e = open(SocketType.STREAM).first();
        assertThrows(UnsupportedOperationException.class, () -> e.setOption(StandardSocketOptions.SO_KEEPALIVE, true));
        assertThrows(UnsupportedOperationException.class, () -> e.getOption(StandardSocketOptions.TCP_NODELAY));
        assertThrows(NullPointerException.class, () -> e.getOption(null));
        assertThrows(IllegalArgumentException.class, () -> e.setOption(StandardSocketOptions.SO_SNDBUF, null));
        assertThrows(IllegalArgumentException.class, () -> e.setOption(StandardSocketOptions.SO_SNDBUF, 0));
        assertThrows(IllegalArgumentException.class, () -> e.setOption(StandardSocketOptions.SO_RCVBUF, -1));
        e.close();
        assertThrows(java.nio.channels.ClosedChannelException.class,
                () -> e.getOption(StandardSocketOptions.SO_SNDBUF));
    }

    private static void assertSame(Object expected, Object actual) {
        org.junit.jupiter.api.Assertions.assertSame(expected, actual);
    }

    // ---- PASS_CREDENTIALS ---------------------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(SocketType.class)
    void credentialsNameTheChildThatSentTheMessage(SocketType type) throws Exception {
        assumeTrue(caps().types().contains(type));
        SocketPair p = open(type);
        Endpoint r = p.second();
        assumeTrue(supported(r, SocketPairOptions.PASS_CREDENTIALS), "no PASS_CREDENTIALS here");
        PeerCredentials creator = creatorOf(r);
        r.setOption(SocketPairOptions.PASS_CREDENTIALS, true);
        ChildProcess child = ChildProcess.builder("sh", "-c", "printf child").stdout(p.first()).start();
        assertTrue(child.waitFor(scaled(Duration.ofSeconds(30))));
        assertEquals(0, child.exitValue());
        ByteBuffer b = ByteBuffer.allocate(64);
        try (Received m = r.receive(b)) {
            assertEquals("child", text(b));
            PeerCredentials sender = m.credentials().orElseThrow(() -> new AssertionError("no credentials: " + m));
            assertEquals(child.pid(), sender.pid().orElseThrow());
            assertNotEquals(ProcessHandle.current().pid(), sender.pid().orElseThrow());
            if (creator != null) {
                assertEquals(creator.uid(), sender.uid());
                assertEquals(creator.gid(), sender.gid());
            }
        }
        // Off again: a message from this process comes with none.
        r.setOption(SocketPairOptions.PASS_CREDENTIALS, false);
        p.first().write(utf8("parent"));
        b.clear();
        try (Received m = r.receive(b)) {
            assertEquals(Optional.empty(), m.credentials());
        }
    }

    private static PeerCredentials creatorOf(Endpoint e) throws IOException {
        try {
            return e.peerCredentials();
        } catch (UnsupportedOperationException noneRecorded) {
            return null; // e.g. DGRAM pairs on FreeBSD
        }
    }

    // ---- RECEIVE_DESCRIPTORS -------------------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(SocketType.class)
    void refusedDescriptorsAreNeverInstalled(SocketType type) throws IOException {
        assumeTrue(caps().types().contains(type) && caps().descriptorPassing());
        SocketPair p = open(type);
        Endpoint r = p.second();
        r.setOption(SocketPairOptions.RECEIVE_DESCRIPTORS, false);
        SocketPair passed = open(SocketType.STREAM);
        assertEquals(1, p.first().sendDescriptors(utf8("x"), passed.first(), passed.second(), passed.first()));
        Fds.Mark mark = Fds.mark();
        ByteBuffer b = ByteBuffer.allocate(8);
        Received m = r.receive(b);
        assertEquals(1, m.bytes());
        assertEquals(List.of(), m.descriptors());
        assertTrue(m.controlTruncated(), "the kernel says descriptors came and were dropped: " + m);
        mark.assertUnchanged("a receive refusing three descriptors");
        // On again: the next message's descriptors arrive.
        r.setOption(SocketPairOptions.RECEIVE_DESCRIPTORS, true);
        p.first().sendDescriptors(utf8("y"), passed.first());
        b.clear();
        try (Received n = r.receive(b)) {
            assertEquals(1, n.descriptors().size());
            assertFalse(n.controlTruncated());
        }
    }

    @Test
    void refusingDescriptorsKeepsCredentials() throws IOException {
        assumeFalse(TestEnv.emulated(), "qemu-user does not convert SCM_CREDENTIALS beside a cut SCM_RIGHTS; "
                + "natively covered");
        SocketPair p = open(SocketType.DGRAM);
        Endpoint r = p.second();
        assumeTrue(supported(r, SocketPairOptions.PASS_CREDENTIALS) && caps().descriptorPassing());
        r.setOption(SocketPairOptions.PASS_CREDENTIALS, true).setOption(SocketPairOptions.RECEIVE_DESCRIPTORS, false);
        SocketPair passed = open(SocketType.STREAM);
        p.first().sendDescriptors(utf8("x"), passed.first());
        Fds.Mark mark = Fds.mark();
        try (Received m = r.receive(ByteBuffer.allocate(8))) {
            assertEquals(List.of(), m.descriptors());
            assertTrue(m.controlTruncated());
            assertEquals(ProcessHandle.current().pid(), m.credentials().orElseThrow().pid().orElseThrow());
        }
        mark.assertUnchanged("a receive refusing a descriptor");
    }

    // ---- PEEK_OFFSET ---------------------------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(SocketType.class)
    void peekOffsetAdvancesWithEachPeek(SocketType type) throws IOException {
        assumeTrue(caps().types().contains(type));
        assumeFalse(TestEnv.emulated(), QEMU_OPTIONS);
        SocketPair p = open(type);
        Endpoint r = p.second();
        assumeTrue(supported(r, SocketPairOptions.PEEK_OFFSET), "no PEEK_OFFSET here");
        r.setOption(SocketPairOptions.PEEK_OFFSET, 0);
        p.first().write(utf8("abcdef"));
        assertEquals("ab", peek(r, 2));
        assertEquals("cd", peek(r, 2));
        assertEquals(4, r.getOption(SocketPairOptions.PEEK_OFFSET));
        if (type == SocketType.STREAM) {
            ByteBuffer b = ByteBuffer.allocate(3);
            assertEquals(3, r.read(b));
            assertEquals("abc", text(b));
            assertEquals(1, r.getOption(SocketPairOptions.PEEK_OFFSET), "a read moves the offset back");
            assertEquals("ef", peek(r, 2));
        }
        r.setOption(SocketPairOptions.PEEK_OFFSET, -1);
        assertEquals(type == SocketType.STREAM ? "de" : "ab", peek(r, 2), "off: every peek starts at the front");
    }

    private static String peek(Endpoint e, int n) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(n);
        e.receive(b, MessageFlag.PEEK);
        return text(b);
    }

    // ---- RECEIVE_LOW_WATERMARK -----------------------------------------------------------------------------------

    @Test
    void lowWatermarkHoldsABlockingReader() throws Exception {
        SocketPair p = open(SocketType.STREAM);
        Endpoint r = p.second();
        assumeTrue(supported(r, SocketPairOptions.RECEIVE_LOW_WATERMARK));
        r.setOption(SocketPairOptions.RECEIVE_LOW_WATERMARK, 4);
        p.first().write(utf8("ab"));
        ByteBuffer b = ByteBuffer.allocate(16);
        var read = async(() -> r.read(b));
        // Blocked means it took the two queued bytes and waits for more: the watermark holds it.
        awaitBlocked(r, 1);
        assertFalse(read.isDone());
        p.first().write(utf8("cd"));
        assertEquals(4, read.get(scaled(Duration.ofSeconds(10)).toMillis(), TimeUnit.MILLISECONDS));
        assertEquals("abcd", text(b));

        // receive() too; and a non-blocking receive takes what is there.
        p.first().write(utf8("e"));
        ByteBuffer c = ByteBuffer.allocate(16);
        var received = async(() -> r.receive(c));
        awaitBlocked(r, 1);
        p.first().write(utf8("fgh"));
        assertEquals(4, received.get(scaled(Duration.ofSeconds(10)).toMillis(), TimeUnit.MILLISECONDS).bytes());
        assertEquals("efgh", text(c));
        p.first().write(utf8("i"));
        ByteBuffer d = ByteBuffer.allocate(16);
        assertEquals(1, r.receive(d, MessageFlag.DONTWAIT).bytes());
        // Back to 1: a read returns at the first byte.
        r.setOption(SocketPairOptions.RECEIVE_LOW_WATERMARK, 1);
        p.first().write(utf8("j"));
        assertEquals(1, r.read(ByteBuffer.allocate(16)));
    }

    // ---- Received owns its descriptors ---------------------------------------------------------------------------

    @Test
    void receivedClosesWhatWasNotTaken() throws IOException {
        assumeTrue(caps().descriptorPassing());
        SocketPair p = open(SocketType.SEQPACKET);
        SocketPair passed = open(SocketType.STREAM);
        Fds.Mark mark = Fds.mark();
        p.first().sendDescriptors(utf8("two"), passed.first(), passed.second());
        List<Descriptor> got;
        try (Received m = p.second().receive(ByteBuffer.allocate(8))) {
            got = m.descriptors();
            assertEquals(2, got.size());
            assertTrue(got.get(0).isOpen());
        }
        assertFalse(got.get(0).isOpen());
        assertFalse(got.get(1).isOpen());
        mark.assertUnchanged("two received descriptors closed by Received.close");
    }

    @Test
    void takenDescriptorsStayOpen() throws IOException {
        assumeTrue(caps().descriptorPassing());
        SocketPair p = open(SocketType.DGRAM);
        SocketPair passed = open(SocketType.STREAM);
        p.first().sendDescriptors(utf8("t"), passed.first());
        Received m = p.second().receive(ByteBuffer.allocate(8));
        List<Descriptor> taken = m.takeDescriptors();
        assertEquals(1, taken.size());
        assertEquals(List.of(), m.takeDescriptors(), "handed over once");
        m.close();
        assertTrue(taken.get(0).isOpen(), "Received.close leaves taken descriptors alone");
        try (Endpoint e = Endpoint.adopt(taken.get(0))) {
            e.write(utf8("via taken"));
            ByteBuffer b = ByteBuffer.allocate(16);
            passed.second().read(b);
            assertEquals("via taken", text(b));
        }
    }

    @Test
    void adoptedDescriptorCountsAsTaken() throws IOException {
        assumeTrue(caps().descriptorPassing());
        SocketPair p = open(SocketType.STREAM);
        SocketPair passed = open(SocketType.STREAM);
        p.first().sendDescriptors(utf8("a"), passed.first());
        Endpoint adopted;
        try (Received m = p.second().receive(ByteBuffer.allocate(8))) {
            adopted = track(Endpoint.adopt(m.descriptors().get(0)));
        }
        assertTrue(adopted.isOpen());
        adopted.write(utf8("still open"));
        ByteBuffer b = ByteBuffer.allocate(16);
        passed.second().read(b);
        assertEquals("still open", text(b));
    }

    // ---- sendDescriptors and sendMessage -------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(SocketType.class)
    void noDescriptorIsAPlainSend(SocketType type) throws IOException {
        assumeTrue(caps().types().contains(type));
        SocketPair p = open(type);
        assertEquals(5, p.first().sendDescriptors(utf8("plain")));
        assertEquals(5, p.first().sendMessage(new ByteBuffer[] {utf8("pla"), utf8("in")}, List.of()));
        for (int i = 0; i < 2; i++) {
            ByteBuffer b = ByteBuffer.allocate(type == SocketType.STREAM ? 10 : 8);
            try (Received m = p.second().receive(b)) {
                assertEquals(List.of(), m.descriptors());
                assertEquals(type == SocketType.STREAM ? "plainplain" : "plain", text(b));
                if (type == SocketType.STREAM) {
                    break;
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = SocketType.class, names = {"DGRAM", "SEQPACKET"})
    void anEmptyRecordCarriesDescriptors(SocketType type) throws IOException {
        assumeTrue(caps().types().contains(type) && caps().descriptorPassing());
        // qemu-user sends nothing for a zero-length sendmsg with control data: the receive would wait for ever
        assumeFalse(TestEnv.emulated(), "qemu-user drops an empty record's descriptors; natively covered");
        SocketPair p = open(type);
        SocketPair passed = open(SocketType.STREAM);
        assertEquals(0, p.first().sendDescriptors(ByteBuffer.allocate(0), passed.first()));
        assertEquals(0, p.first().sendMessage(new ByteBuffer[0], List.of(passed.second())));
        for (int i = 0; i < 2; i++) {
            try (Received m = p.second().receive(ByteBuffer.allocate(8))) {
                assertEquals(0, m.bytes());
                assertFalse(m.isEndOfStream());
                assertEquals(1, m.descriptors().size(), m.toString());
            }
        }
    }

    @Test
    void aStreamStillNeedsOneByteWithDescriptors() throws IOException {
        assumeTrue(caps().descriptorPassing());
        SocketPair p = open(SocketType.STREAM);
        assertThrows(IllegalArgumentException.class,
                () -> p.first().sendDescriptors(ByteBuffer.allocate(0), p.second()));
        assertThrows(IllegalArgumentException.class,
                () -> p.first().sendMessage(new ByteBuffer[] {ByteBuffer.allocate(0)}, List.of(p.second())));
        assertEquals(0, p.first().sendMessage(new ByteBuffer[0], List.of()), "nothing at all is nothing sent");
    }

    @ParameterizedTest
    @EnumSource(SocketType.class)
    void sendMessageGathersManyBuffersWithManyDescriptors(SocketType type) throws IOException {
        assumeTrue(caps().types().contains(type) && caps().descriptorPassing());
        SocketPair p = open(type);
        SocketPair passed = open(SocketType.STREAM);
        int count = Math.min(caps().maxDescriptorsPerMessage(), 40);
        List<Descriptor> fds = new ArrayList<>(Collections.nCopies(count, Descriptor.borrow(passed.first().fd())));
        ByteBuffer[] data = new ByteBuffer[50];
        byte[] expected = bytes(50 * 7, 10);
        for (int i = 0; i < data.length; i++) {
            ByteBuffer b = i % 2 == 0 ? ByteBuffer.allocate(7) : ByteBuffer.allocateDirect(7);
            b.put(expected, i * 7, 7).flip();
            data[i] = b;
        }
        assertEquals(expected.length, p.first().sendMessage(data, fds, MessageFlag.EOR));
        for (ByteBuffer b : data) {
            assertFalse(b.hasRemaining());
        }
        ByteBuffer in = ByteBuffer.allocate(expected.length);
        Fds.Mark mark = Fds.mark();
        try (Received m = p.second().receive(in, MessageFlag.WAITALL)) {
            assertEquals(count, m.descriptors().size(), m.toString());
            assertFalse(m.controlTruncated());
            if (type != SocketType.STREAM) {
                assertEquals(expected.length, m.bytes());
            }
        }
        mark.assertUnchanged(count + " received descriptors closed by Received.close");
        if (type == SocketType.STREAM && in.position() < expected.length) {
            p.second().read(in);
        }
        byte[] got = new byte[in.position()];
        in.flip().get(got);
        assertArrayEquals(expected, got);
    }

    @Test
    void sendMessageRefusesWhatItCannotDo() throws IOException {
        assumeTrue(caps().descriptorPassing());
        SocketPair p = open(SocketType.DGRAM);
        ByteBuffer[] one = {utf8("x")};
        assertThrows(IllegalArgumentException.class, () -> p.first().sendMessage(one, List.of(), MessageFlag.PEEK));
        assertThrows(IllegalArgumentException.class,
                () -> p.first().sendMessage(one, List.of(), MessageFlag.WAITALL));
        List<Descriptor> tooMany = Collections.nCopies(caps().maxDescriptorsPerMessage() + 1,
                Descriptor.borrow(p.first().fd()));
        assertThrows(IllegalArgumentException.class, () -> p.first().sendMessage(one, tooMany));
        assertThrows(NullPointerException.class, () -> p.first().sendMessage(one, null));
        assertThrows(NullPointerException.class, () -> p.first().sendMessage(new ByteBuffer[] {null}, List.of()));
        // DONTWAIT on a full socket: nothing sent, nothing thrown.
        p.first().configureBlocking(true);
        fill(p.first(), 512);
        assertEquals(0, p.first().sendMessage(new ByteBuffer[] {ByteBuffer.allocate(512)}, List.of(p.second()),
                MessageFlag.DONTWAIT));
    }

    // ---- peer pidfd ----------------------------------------------------------------------------------------------

    @Test
    void peerPidfdNamesTheCreatingProcess() throws IOException {
        Endpoint e = open(SocketType.STREAM).first();
        Optional<Descriptor> pidfd = e.peerPidfd();
        if (!peerPidfdExpected()) {
            assertEquals(Optional.empty(), pidfd);
            assumeTrue(false, noPeerPidfdReason());
        }
        Descriptor d = pidfd.orElseThrow(() -> new AssertionError("no pidfd on a kernel with SO_PEERPIDFD"));
        try {
            assertNotNull(d);
            Path info = Path.of("/proc/self/fdinfo/" + d.fd());
            List<String> lines = Files.readAllLines(info, StandardCharsets.UTF_8);
            String pid = lines.stream().filter(l -> l.startsWith("Pid:")).findFirst()
                    .orElseThrow(() -> new AssertionError("not a pidfd: " + lines)).substring(4).trim();
            assertEquals(ProcessHandle.current().pid(), Long.parseLong(pid));
            String flags = lines.stream().filter(l -> l.startsWith("flags:")).findFirst().orElseThrow()
                    .substring(6).trim();
            assertTrue((Long.parseLong(flags, 8) & 02000000) != 0, "O_CLOEXEC in " + flags);
        } finally {
            d.close();
        }
        assertFalse(d.isOpen());
        e.close();
        assertThrows(java.nio.channels.ClosedChannelException.class, e::peerPidfd);
    }
}
