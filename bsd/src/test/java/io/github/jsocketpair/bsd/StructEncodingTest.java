package io.github.jsocketpair.bsd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.jsocketpair.Descriptor;
import io.github.jsocketpair.Domain;
import io.github.jsocketpair.SocketFlag;
import io.github.jsocketpair.SocketType;
import io.github.jsocketpair.spi.EndpointPair;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.EnumSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The msghdr and cmsghdr core builds from each flavour's table, as the kernel would read them: the mock's
 * {@code sendmsg} copies the bytes at the msghdr address (and at its {@code msg_control}) with JNA, and they are
 * compared with the reference's layouts (§8.1 msghdr LP64 with int lengths: iov @16, iovlen int @24, control @32,
 * controllen socklen_t @40, flags @44, 48 bytes; §8.2 cmsghdr: len @0 4 bytes, level @4, type @8, data at
 * ALIGN(12)).
 */
class StructEncodingTest {

    /**
     * A flavour's expected encoding.
     *
     * @param dataOffset CMSG_DATA offset: ALIGN(12)
     * @param space1 CMSG_SPACE(4), one descriptor
     * @param space3 CMSG_SPACE(12), three descriptors
     * @param nosignal the flag every sendmsg carries
     */
    record Layout(BsdPlatform platform, int dataOffset, int space1, int space3, int nosignal) {
        @Override
        public String toString() {
            return platform.describe() + " " + platform.arch().label();
        }
    }

    static Stream<Arguments> layouts() {
        return Stream.of(
                // FreeBSD/OpenBSD/NetBSD amd64: 8-byte alignment: 16, 16+8, 16+16
                new Layout(BsdPlatform.of(BsdFlavour.FREEBSD, "14.1-RELEASE", BsdArch.X86_64), 16, 24, 32, 0x20000),
                new Layout(BsdPlatform.of(BsdFlavour.FREEBSD, "14.1-RELEASE", BsdArch.AARCH64), 16, 24, 32, 0x20000),
                new Layout(BsdPlatform.of(BsdFlavour.NETBSD, "10.0", BsdArch.X86_64), 16, 24, 32, 0x400),
                // NetBSD aarch64: 16-byte alignment: 16, 16+16, 16+16
                new Layout(BsdPlatform.of(BsdFlavour.NETBSD, "10.0", BsdArch.AARCH64), 16, 32, 32, 0x400),
                new Layout(BsdPlatform.of(BsdFlavour.OPENBSD, "7.8", BsdArch.X86_64), 16, 24, 32, 0x400),
                new Layout(BsdPlatform.of(BsdFlavour.OPENBSD, "7.8", BsdArch.AARCH64), 16, 24, 32, 0x400),
                // DragonFly before 5.7: 4-byte alignment; from 5.8: 8 (§12.1)
                new Layout(BsdPlatform.of(BsdFlavour.DRAGONFLY, "5.6-RELEASE", BsdArch.X86_64), 12, 16, 24, 0x400),
                new Layout(BsdPlatform.of(BsdFlavour.DRAGONFLY, "4.4-RELEASE", BsdArch.X86_64), 12, 16, 24, 0x400),
                new Layout(BsdPlatform.of(BsdFlavour.DRAGONFLY, "5.8-RELEASE", BsdArch.X86_64), 16, 24, 32, 0x400),
                new Layout(BsdPlatform.of(BsdFlavour.DRAGONFLY, "6.4-RELEASE", BsdArch.X86_64), 16, 24, 32, 0x400),
                // macOS: __DARWIN_ALIGN32 on arm64 too: 12, 12+4, 12+12; MSG_NOSIGNAL from 11 only
                new Layout(BsdPlatform.of(BsdFlavour.MACOS, "14.5", BsdArch.AARCH64), 12, 16, 24, 0x80000),
                new Layout(BsdPlatform.of(BsdFlavour.MACOS, "10.15.7", BsdArch.X86_64), 12, 16, 24, 0))
                .map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("layouts")
    void oneAndThreeDescriptors(Layout l) throws Exception {
        MockLibc m = new MockLibc();
        EndpointPair p = m.backend(l.platform()).open(Domain.UNIX, SocketType.STREAM, 0,
                EnumSet.noneOf(SocketFlag.class));

        p.first().sendDescriptors(ByteBuffer.wrap(new byte[] {42}), Descriptor.borrow(7));
        p.first().sendDescriptors(ByteBuffer.wrap(new byte[] {1, 2}), Descriptor.borrow(7), Descriptor.borrow(8),
                Descriptor.borrow(9));

        assertEquals(2, m.sent.size());
        check(l, m.sent.get(0), new int[] {7}, l.space1(), 1);
        check(l, m.sent.get(1), new int[] {7, 8, 9}, l.space3(), 2);
    }

    private static void check(Layout l, MockLibc.SentMessage s, int[] fds, int space, int dataBytes) {
        ByteBuffer h = ByteBuffer.wrap(s.msghdr()).order(ByteOrder.nativeOrder());
        assertEquals(0L, h.getLong(0), "msg_name");
        assertEquals(0, h.getInt(8), "msg_namelen");
        assertEquals(0, h.getInt(12), "padding after msg_namelen");
        assertNotEquals(0L, h.getLong(16), "msg_iov");
        assertEquals(1, h.getInt(24), "msg_iovlen (int)");
        assertEquals(0, h.getInt(28), "padding after msg_iovlen");
        assertNotEquals(0L, h.getLong(32), "msg_control");
        assertEquals(space, h.getInt(40), "msg_controllen = CMSG_SPACE(4 * n)");
        assertEquals(0, h.getInt(44), "msg_flags");
        assertEquals(dataBytes, s.iovLen(), "iov_len");
        // MSG_NOSIGNAL where the OS has it, and MSG_DONTWAIT (0x80 on every BSD): the engine never blocks in the kernel
        assertEquals(l.nosignal() | 0x80, s.flags(), "sendmsg flags");

        ByteBuffer c = ByteBuffer.wrap(s.control()).order(ByteOrder.nativeOrder());
        assertEquals(space, c.capacity());
        assertEquals(l.dataOffset() + 4 * fds.length, c.getInt(0), "cmsg_len = CMSG_LEN(4 * n)");
        assertEquals(0xffff, c.getInt(4), "cmsg_level SOL_SOCKET");
        assertEquals(1, c.getInt(8), "cmsg_type SCM_RIGHTS");
        for (int i = 12; i < l.dataOffset(); i++) {
            assertEquals(0, c.get(i), "padding before CMSG_DATA at " + i);
        }
        for (int i = 0; i < fds.length; i++) {
            assertEquals(fds[i], c.getInt(l.dataOffset() + 4 * i), "fd " + i);
        }
        for (int i = l.dataOffset() + 4 * fds.length; i < space; i++) {
            assertEquals(0, c.get(i), "padding after the data at " + i);
        }
    }

    @Test
    void aGatheringWriteHasNoControlData() throws Exception {
        MockLibc m = new MockLibc();
        EndpointPair p = m.backend(BsdPlatform.of(BsdFlavour.OPENBSD, "7.8", BsdArch.X86_64))
                .open(Domain.UNIX, SocketType.SEQPACKET, 0, EnumSet.noneOf(SocketFlag.class));
        p.first().write(new ByteBuffer[] {ByteBuffer.wrap(new byte[] {1}), ByteBuffer.allocateDirect(3)});
        ByteBuffer h = ByteBuffer.wrap(m.sent.get(0).msghdr()).order(ByteOrder.nativeOrder());
        assertEquals(2, h.getInt(24), "msg_iovlen");
        assertEquals(0L, h.getLong(32), "msg_control");
        assertEquals(0, h.getInt(40), "msg_controllen");
        assertEquals(0x400 | 0x80, m.sent.get(0).flags(), "MSG_NOSIGNAL | MSG_DONTWAIT");
    }

    @Test
    void dragonFly57WhoseAlignmentCannotBeToldOffersNoDescriptorPassing() throws Exception {
        MockLibc m = new MockLibc();
        EndpointPair p = m.backend(BsdPlatform.of(BsdFlavour.DRAGONFLY, "5.7-DEVELOPMENT",
                BsdArch.X86_64)).open(Domain.UNIX, SocketType.STREAM, 0, EnumSet.noneOf(SocketFlag.class));
        assertThrows(UnsupportedOperationException.class,
                () -> p.first().sendDescriptors(ByteBuffer.wrap(new byte[] {1}), Descriptor.borrow(7)));
        assertEquals(0, m.sent.size());
    }

    /** DragonFly 4.4+ asks recvmsg for MSG_CMSG_CLOEXEC (0x1000, §12.1); 4.2 has none and sets it with fcntl after. */
    @ParameterizedTest(name = "DragonFly {0}")
    @org.junit.jupiter.params.provider.CsvSource({"4.2-RELEASE, 0", "4.4-RELEASE, 0x1000", "5.6-RELEASE, 0x1000",
        "5.8-RELEASE, 0x1000"})
    void dragonFlyReceivesWithItsReleasesCloexecFlag(String release, String flag) throws Exception {
        MockLibc m = new MockLibc();
        EndpointPair p = m.backend(BsdPlatform.of(BsdFlavour.DRAGONFLY, release, BsdArch.X86_64))
                .open(Domain.UNIX, SocketType.STREAM, 0, EnumSet.noneOf(SocketFlag.class));
        p.first().receive(ByteBuffer.allocate(8));
        // and MSG_DONTWAIT (0x80): the engine never blocks in the kernel
        org.mockito.Mockito.verify(m.libc).recvmsg(org.mockito.ArgumentMatchers.eq(MockLibc.FD0),
                org.mockito.ArgumentMatchers.anyLong(), org.mockito.ArgumentMatchers.eq(Integer.decode(flag) | 0x80));
    }
}
