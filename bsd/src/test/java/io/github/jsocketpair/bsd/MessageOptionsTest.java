package io.github.jsocketpair.bsd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.when;

import com.sun.jna.Pointer;
import io.github.jsocketpair.Domain;
import io.github.jsocketpair.Endpoint;
import io.github.jsocketpair.PeerCredentials;
import io.github.jsocketpair.Received;
import io.github.jsocketpair.SocketFlag;
import io.github.jsocketpair.SocketPairOptions;
import io.github.jsocketpair.SocketType;
import java.nio.ByteBuffer;
import java.util.EnumSet;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.mockito.stubbing.Answer;

/**
 * The BSD side of the socket options, over the mocked libc (a BSD kernel is for the ITs on a BSD host): which
 * flavour offers which option, the level and number each one sets (reference §5.2, §7), and the credential structs
 * of {@code SCM_CREDS2} (FreeBSD) and {@code SCM_CREDS} (NetBSD 10+) decoded from the bytes a kernel would write.
 */
class MessageOptionsTest {
    static final BsdPlatform FREEBSD_14 = BsdPlatform.of(BsdFlavour.FREEBSD, "14.1-RELEASE", BsdArch.X86_64);
    static final BsdPlatform FREEBSD_12 = BsdPlatform.of(BsdFlavour.FREEBSD, "12.4-RELEASE", BsdArch.X86_64);
    static final BsdPlatform NETBSD_10 = BsdPlatform.of(BsdFlavour.NETBSD, "10.0", BsdArch.X86_64);
    static final BsdPlatform OPENBSD = BsdPlatform.of(BsdFlavour.OPENBSD, "7.6", BsdArch.X86_64);
    static final BsdPlatform MACOS = BsdPlatform.of(BsdFlavour.MACOS, "14.5", BsdArch.AARCH64);

    static Endpoint[] open(MockLibc m, BsdPlatform p, SocketType t) throws Exception {
        var pair = m.backend(p).open(Domain.UNIX, t, 0, EnumSet.noneOf(SocketFlag.class));
        return new Endpoint[] {pair.first(), pair.second()};
    }

    @Test
    void freeBsdAsksForPersistentCredentialsAtLevelLocal() throws Exception {
        MockLibc m = new MockLibc();
        Endpoint e = open(m, FREEBSD_14, SocketType.STREAM)[0];
        assertTrue(e.supportedOptions().contains(SocketPairOptions.PASS_CREDENTIALS));
        e.setOption(SocketPairOptions.PASS_CREDENTIALS, true);
        // SOL_LOCAL 0, LOCAL_CREDS_PERSISTENT 3, value 1
        assertArrayEquals(new int[] {MockLibc.FD0, 0, 3, 1, 4}, m.setsockopts.get(m.setsockopts.size() - 1));
        e.setOption(SocketPairOptions.RECEIVE_LOW_WATERMARK, 16);
        assertArrayEquals(new int[] {MockLibc.FD0, 0xffff, 0x1004, 16, 4}, m.setsockopts.get(m.setsockopts.size() - 1));
    }

    @Test
    void netBsdAsksForLocalCreds() throws Exception {
        MockLibc m = new MockLibc();
        Endpoint e = open(m, NETBSD_10, SocketType.DGRAM)[0];
        e.setOption(SocketPairOptions.PASS_CREDENTIALS, true);
        assertArrayEquals(new int[] {MockLibc.FD0, 0, 4, 1, 4}, m.setsockopts.get(m.setsockopts.size() - 1));
    }

    @Test
    void whatAFlavourLacksIsUnsupported() throws Exception {
        for (BsdPlatform p : new BsdPlatform[] {FREEBSD_12, OPENBSD, MACOS}) {
            MockLibc m = new MockLibc();
            Endpoint e = open(m, p, SocketType.STREAM)[0];
            assertFalse(e.supportedOptions().contains(SocketPairOptions.PASS_CREDENTIALS), p.describe());
            assertThrows(UnsupportedOperationException.class,
                    () -> e.setOption(SocketPairOptions.PASS_CREDENTIALS, true), p.describe());
            assertThrows(UnsupportedOperationException.class, () -> e.getOption(SocketPairOptions.PEEK_OFFSET));
            assertTrue(e.supportedOptions().contains(SocketPairOptions.RECEIVE_LOW_WATERMARK), p.describe());
            assertEquals(Optional.empty(), e.peerPidfd(), "no SO_PEERPIDFD on " + p.describe());
        }
    }

    /**
     * recvmsg writing {@code n} bytes and one control message at SOL_SOCKET (LP64 BSD msghdr: msg_control @32,
     * socklen_t msg_controllen @40, msg_flags @44; cmsghdr 12 bytes, data at CMSG_ALIGN(12) = 16).
     */
    static Answer<Long> message(int type, byte[] data, long n) {
        return inv -> {
            Pointer msg = new Pointer(inv.<Long>getArgument(1));
            Pointer c = new Pointer(msg.getLong(32));
            int room = msg.getInt(40);
            int len = 16 + data.length;
            assertTrue(room >= len, "room " + room + " for " + len);
            c.setInt(0, len);
            c.setInt(4, 0xffff);
            c.setInt(8, type);
            c.write(16, data, 0, data.length);
            msg.setInt(40, (len + 7) & -8);
            msg.setInt(44, 0);
            return n;
        };
    }

    static byte[] ints(int... v) {
        ByteBuffer b = PeerCredentialsTest.struct(4 * v.length);
        for (int i = 0; i < v.length; i++) {
            b.putInt(4 * i, v[i]);
        }
        return b.array();
    }

    @Test
    void freeBsdSockcred2IsDecoded() throws Exception {
        MockLibc m = new MockLibc();
        Endpoint r = open(m, FREEBSD_14, SocketType.DGRAM)[1];
        // sc_version, sc_pid, sc_uid, sc_euid, sc_gid, sc_egid, sc_ngroups, sc_groups[1]
        when(m.libc.recvmsg(eq(MockLibc.FD1), anyLong(), anyInt()))
                .thenAnswer(message(8, ints(0, 4242, 1, 1001, 2, 1002, 1, 1002), 3));
        try (Received got = r.receive(ByteBuffer.allocate(8))) {
            assertEquals(Optional.of(new PeerCredentials(OptionalLong.of(4242), 1001, 1002)), got.credentials());
        }
    }

    @Test
    void netBsdSockcredIsDecoded() throws Exception {
        MockLibc m = new MockLibc();
        Endpoint r = open(m, NETBSD_10, SocketType.DGRAM)[1];
        // sc_pid, sc_uid, sc_euid, sc_gid, sc_egid, sc_ngroups, sc_groups[1]
        when(m.libc.recvmsg(eq(MockLibc.FD1), anyLong(), anyInt()))
                .thenAnswer(message(0x10, ints(777, 1, 1001, 2, 1002, 1, 1002), 3));
        try (Received got = r.receive(ByteBuffer.allocate(8))) {
            assertEquals(Optional.of(new PeerCredentials(OptionalLong.of(777), 1001, 1002)), got.credentials());
        }
    }

    @Test
    void refusingDescriptorsOnFreeBsdLeavesRoomForCredentialsOnly() throws Exception {
        MockLibc m = new MockLibc();
        Endpoint r = open(m, FREEBSD_14, SocketType.DGRAM)[1];
        int[] rooms = new int[2];
        int[] call = {0};
        when(m.libc.recvmsg(eq(MockLibc.FD1), anyLong(), anyInt())).thenAnswer(inv -> {
            rooms[call[0]++] = new Pointer(inv.<Long>getArgument(1)).getInt(40);
            return 1L;
        });
        r.setOption(SocketPairOptions.RECEIVE_DESCRIPTORS, false);
        r.receive(ByteBuffer.allocate(8)).close();
        r.setOption(SocketPairOptions.PASS_CREDENTIALS, true);
        r.receive(ByteBuffer.allocate(8)).close();
        assertEquals(0, rooms[0]);
        assertEquals(16 + 96, rooms[1], "CMSG_SPACE(SOCKCRED2SIZE(16)): header 16, data 92 aligned to 8");
    }
}
