package io.github.jsocketpair.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jsocketpair.Descriptor;
import io.github.jsocketpair.Domain;
import io.github.jsocketpair.Endpoint;
import io.github.jsocketpair.Errno;
import io.github.jsocketpair.Received;
import io.github.jsocketpair.SocketFlag;
import io.github.jsocketpair.SocketPair;
import io.github.jsocketpair.SocketPairException;
import io.github.jsocketpair.SocketType;
import io.github.jsocketpair.internal.TestSeams;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** SCM_RIGHTS on the real Linux kernel: what arrives, who owns it, close-on-exec, truncation, limits, leaks. */
@EnabledOnOs(OS.LINUX)
@Timeout(60)
class LinuxDescriptorPassingIT {
    private java.util.Map<Integer, String> before;

    @BeforeAll
    static void warmUp() throws Exception {
        PosixTestCalls.warmUp();
    }

    @BeforeEach
    void count() throws IOException {
        before = PosixTestCalls.stableSnapshot();
    }

    @AfterEach
    void nothingLeaked() throws IOException {
        PosixTestCalls.assertNoNewDescriptors(before);
    }

    private static ByteBuffer bytes(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String text(ByteBuffer b) {
        return new String(b.array(), 0, b.position(), StandardCharsets.UTF_8);
    }

    @ParameterizedTest
    @EnumSource(SocketType.class)
    void passOneEndOfASecondPairAndTalkOverIt(SocketType transport) throws IOException {
        try (SocketPair carrier = SocketPair.open(Domain.UNIX, transport, SocketFlag.CLOEXEC);
                SocketPair inner = SocketPair.open(Domain.UNIX, SocketType.SEQPACKET, SocketFlag.CLOEXEC)) {
            assertEquals(1, carrier.first().sendDescriptors(bytes("x"), inner.second()));
            ByteBuffer buf = ByteBuffer.allocate(16);
            Received r = carrier.second().receive(buf);
            assertEquals(1, r.bytes());
            assertFalse(r.controlTruncated());
            assertEquals(1, r.descriptors().size());
            assertTrue(inner.second().isOpen(), "the sender keeps its descriptor");
            inner.second().close(); // only the received copy remains

            try (Endpoint adopted = Endpoint.adopt(r.descriptors().get(0))) {
                assertFalse(r.descriptors().get(0).isOpen(), "adopt takes over an owned descriptor");
                assertEquals(Domain.UNIX, adopted.domain());
                assertEquals(SocketType.SEQPACKET, adopted.type());
                assertTrue(adopted.isCloseOnExec());
                adopted.write(bytes("through the passed end"));
                ByteBuffer got = ByteBuffer.allocate(64);
                inner.first().read(got);
                assertEquals("through the passed end", text(got));
                inner.first().write(bytes("and back"));
                got.clear();
                adopted.read(got);
                assertEquals("and back", text(got));
            }
            ByteBuffer eof = ByteBuffer.allocate(4);
            assertEquals(-1, inner.first().read(eof), "closing the adopted endpoint closed the last copy");
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 253})
    void passManyDescriptorsEachCloseOnExecAndTheSameFile(int count, @TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("many.txt"), "many");
        int fd = PosixTestCalls.openReadOnly(file);
        try (SocketPair pair = SocketPair.open(Domain.UNIX, SocketType.SEQPACKET)) {
            int base = PosixTestCalls.baseline();
            Descriptor[] out = new Descriptor[count];
            for (int i = 0; i < count; i++) {
                out[i] = Descriptor.borrow(fd);
            }
            pair.first().sendDescriptors(bytes("n"), out);
            Received r = pair.second().receive(ByteBuffer.allocate(8));
            try {
                assertFalse(r.controlTruncated());
                assertEquals(count, r.descriptors().size());
                for (Descriptor d : r.descriptors()) {
                    assertNotEquals(fd, d.fd());
                    assertEquals(file.toString(), PosixTestCalls.target(d.fd()));
                    assertTrue(PosixTestCalls.isCloseOnExec(d.fd()), "received descriptor " + d.fd()
                            + " is not close-on-exec");
                }
                PosixTestCalls.assertCount(base + count);
            } finally {
                r.closeDescriptors();
            }
            assertTrue(r.descriptors().stream().noneMatch(Descriptor::isOpen));
        } finally {
            PosixTestCalls.close(fd);
        }
    }

    @Test
    void passAnOpenFileAndReadThroughTheReceivedDescriptor(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("passed.txt"), "hello from a passed file");
        int fd = PosixTestCalls.openReadOnly(file);
        try (SocketPair pair = SocketPair.open()) {
            pair.first().sendDescriptors(bytes("f"), Descriptor.borrow(fd));
            Received r = pair.second().receive(ByteBuffer.allocate(8));
            assertEquals(1, r.descriptors().size());
            try (Descriptor received = r.descriptors().get(0)) {
                assertEquals("hello", PosixTestCalls.read(received.fd(), 5));
                // One open file description on both sides: the offset moved for the sender too.
                assertEquals(" from", PosixTestCalls.read(fd, 5));
                PosixTestCalls.seek(received.fd(), 0);
                assertEquals("hello from a passed file", PosixTestCalls.read(fd, 100));
                assertTrue(PosixTestCalls.isCloseOnExec(received.fd()));
            }
        } finally {
            PosixTestCalls.close(fd);
        }
    }

    @Test
    void aDuplicatedDescriptorIsOwnedAndCloseOnExec(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("dup.txt"), "dup");
        int fd = PosixTestCalls.openReadOnly(file);
        try {
            Descriptor dup = Descriptor.duplicate(fd);
            assertNotEquals(fd, dup.fd());
            assertTrue(PosixTestCalls.isCloseOnExec(dup.fd()));
            int number = dup.fd();
            dup.close();
            dup.close();
            assertFalse(PosixTestCalls.isOpen(number));
            assertTrue(PosixTestCalls.isOpen(fd));
        } finally {
            PosixTestCalls.close(fd);
        }
    }

    /**
     * {@code MSG_CTRUNC}: 3 descriptors sent, control room for {@code room} of them (exactly the header plus
     * {@code room} ints, no CMSG_SPACE padding, so on LP64 room 1 is CMSG_LEN(4) = 20 bytes), or -1 for no control
     * buffer at all. The kernel installs what fits; the rest never reach this process.
     */
    @ParameterizedTest
    @ValueSource(ints = {-1, 0, 1, 2})
    void controlTruncationHandsOverWhatArrivedAndLeaksNothing(int room) throws IOException {
        // qemu-user gives the kernel a larger control buffer of its own and converts the messages back itself, so the
        // kernel never truncates and MSG_CTRUNC never comes; the native run covers truncation.
        assumeFalse(TestEnv.emulated() && room >= 0, "under qemu-user the kernel never sees the small control buffer");
        try (SocketPair pair = SocketPair.open(Domain.UNIX, SocketType.SEQPACKET);
                SocketPair passed = SocketPair.open()) {
            int base = PosixTestCalls.baseline();
            pair.first().sendDescriptors(bytes("t"), passed.first(), passed.second(), passed.first());
            int control = room < 0 ? 0 : TestSeams.controlSpaceFor(pair.second(), 0) + 4 * room;
            Received r = TestSeams.receiveWithControlSpace(pair.second(), ByteBuffer.allocate(8), control);
            assertEquals(1, r.bytes());
            assertTrue(r.controlTruncated(), "MSG_CTRUNC expected with " + control + " control bytes");
            int arrived = Math.max(0, room);
            assertEquals(arrived, r.descriptors().size());
            PosixTestCalls.assertCount(base + arrived, "only the descriptors that were handed over are open");
            for (Descriptor d : r.descriptors()) {
                assertTrue(PosixTestCalls.target(d.fd()).startsWith("socket:"));
                assertTrue(PosixTestCalls.isCloseOnExec(d.fd()));
            }
            r.closeDescriptors();
            PosixTestCalls.assertCount(base);
            // The socket goes on: the next message arrives whole.
            pair.first().sendDescriptors(bytes("u"), passed.first());
            Received next = pair.second().receive(ByteBuffer.allocate(8));
            assertFalse(next.controlTruncated());
            assertEquals(1, next.descriptors().size());
            next.closeDescriptors();
        }
    }

    /**
     * With SO_PASSCRED and SO_PASSPIDFD on the receiver, Linux puts SCM_CREDENTIALS and SCM_PIDFD (a pidfd it
     * installs in this process) before SCM_RIGHTS: 253 descriptors must still arrive untruncated, and the pidfd must
     * be closed, not leaked. asm-generic option numbers (SOL_SOCKET 1, SO_PASSCRED 16, SO_PASSPIDFD 76): x86-64 and
     * aarch64 only; SO_PASSPIDFD needs Linux 6.5.
     */
    @ParameterizedTest
    @ValueSource(ints = {16, 76})
    void otherControlMessagesNeitherCutDescriptorsOffNorLeak(int option) throws IOException {
        String arch = System.getProperty("os.arch");
        org.junit.jupiter.api.Assumptions.assumeTrue(arch.equals("amd64") || arch.equals("aarch64"),
                "asm-generic socket option numbers");
        try (SocketPair pair = SocketPair.open(Domain.UNIX, SocketType.SEQPACKET);
                SocketPair passed = SocketPair.open()) {
            try {
                PosixTestCalls.setIntOption(pair.second().fd(), 1, option, 1);
            } catch (IOException e) {
                org.junit.jupiter.api.Assumptions.abort("option " + option + " not supported here: " + e);
            }
            int base = PosixTestCalls.baseline();
            Descriptor[] many = new Descriptor[253];
            java.util.Arrays.fill(many, passed.first());
            pair.first().sendDescriptors(bytes("c"), many);
            Received r = pair.second().receive(ByteBuffer.allocate(8));
            assertFalse(r.controlTruncated(), "253 descriptors and a credentials/pidfd message must fit");
            assertEquals(253, r.descriptors().size());
            PosixTestCalls.assertCount(base + 253, "nothing but the 253 descriptors is open");
            r.closeDescriptors();
            PosixTestCalls.assertCount(base);
        }
    }

    @Test
    void moreThanThePlatformMaximumIsRefusedBeforeTheCall() throws IOException {
        try (SocketPair pair = SocketPair.open(Domain.UNIX, SocketType.SEQPACKET)) {
            int max = pair.backend().capabilities().maxDescriptorsPerMessage();
            assertEquals(253, max);
            Descriptor[] tooMany = new Descriptor[max + 1];
            java.util.Arrays.fill(tooMany, Descriptor.borrow(0));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> pair.first().sendDescriptors(bytes("x"), tooMany));
            assertTrue(e.getMessage().contains("253"), e.getMessage());
            assertFalse(pair.second().awaitReadable(Duration.ZERO), "nothing was sent");
        }
    }

    @Test
    void closedDescriptorsAndEmptyDataAreRefused() throws IOException {
        try (SocketPair pair = SocketPair.open(Domain.UNIX, SocketType.SEQPACKET);
                SocketPair other = SocketPair.open()) {
            other.first().close();
            assertThrows(ClosedChannelException.class,
                    () -> pair.first().sendDescriptors(bytes("x"), other.second(), other.first()));
            Descriptor borrowed = Descriptor.borrow(0);
            borrowed.close();
            assertThrows(ClosedChannelException.class, () -> pair.first().sendDescriptors(bytes("x"), borrowed));
            // An empty record may carry descriptors and no descriptor is a plain send (SocketOptionsContract); a
            // stream still refuses descriptors with no byte.
            try (SocketPair stream = SocketPair.open()) {
                assertThrows(IllegalArgumentException.class,
                        () -> stream.first().sendDescriptors(ByteBuffer.allocate(0), other.second()));
            }
            assertFalse(pair.second().awaitReadable(Duration.ZERO), "nothing was sent");
            assertTrue(other.second().isOpen(), "a refused send leaves the descriptors alone");
            // ...and releases them: closing now closes at once.
            int n = other.second().fd();
            other.second().close();
            assertFalse(PosixTestCalls.isOpen(n));
        }
    }

    @Test
    void adoptingANonSocketFailsClearlyAndLeavesTheDescriptorToItsOwner(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("not-a-socket"), "x");
        int fd = PosixTestCalls.openReadOnly(file);
        try {
            Descriptor owned = Descriptor.duplicate(fd);
            int count = PosixTestCalls.baseline();
            SocketPairException e = assertThrows(SocketPairException.class, () -> Endpoint.adopt(owned));

            assertEquals(Errno.ENOTSOCK, e.errno());
            assertTrue(e.getMessage().contains("not a socket"), e.getMessage());
            assertTrue(owned.isOpen(), "the caller still owns it");
            assertEquals(file.toString(), PosixTestCalls.target(owned.fd()));
            PosixTestCalls.assertCount(count);

            Descriptor borrowed = Descriptor.borrow(fd);
            e = assertThrows(SocketPairException.class, () -> Endpoint.adopt(borrowed));
            assertEquals(Errno.ENOTSOCK, e.errno());
            assertTrue(borrowed.isOpen());
            PosixTestCalls.assertCount(count);
            owned.close();
            assertThrows(ClosedChannelException.class, () -> Endpoint.adopt(owned));
        } finally {
            PosixTestCalls.close(fd);
        }
    }

    @Test
    void adoptingABorrowedSocketDuplicatesIt() throws IOException {
        try (SocketPair pair = SocketPair.open(Domain.UNIX, SocketType.DGRAM)) {
            try (Endpoint copy = Endpoint.adopt(Descriptor.borrow(pair.first().fd()))) {
                assertNotEquals(pair.first().fd(), copy.fd());
                assertEquals(SocketType.DGRAM, copy.type());
                assertTrue(copy.isCloseOnExec());
                copy.write(bytes("via copy"));
            }
            assertTrue(pair.first().isOpen());
            ByteBuffer b = ByteBuffer.allocate(16);
            pair.second().read(b);
            assertEquals("via copy", text(b));
        }
    }

    @Test
    @Tag("heavy")
    @Timeout(120)
    void tenThousandPassAndCloseCyclesLeaveTheDescriptorCountUnchanged() throws IOException {
        try (SocketPair pair = SocketPair.open(Domain.UNIX, SocketType.STREAM);
                SocketPair passed = SocketPair.open()) {
            int base = PosixTestCalls.baseline();
            ByteBuffer one = ByteBuffer.allocate(1);
            ByteBuffer in = ByteBuffer.allocateDirect(1);
            for (int i = 0; i < 10_000; i++) {
                one.clear();
                pair.first().sendDescriptors(one, passed.first(), passed.second());
                in.clear();
                Received r = pair.second().receive(in);
                assertEquals(2, r.descriptors().size(), "cycle " + i);
                r.closeDescriptors();
            }
            PosixTestCalls.assertCount(base);
        }
    }
}
