package io.github.jsocketpair.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import io.github.jsocketpair.Descriptor;
import io.github.jsocketpair.Domain;
import io.github.jsocketpair.Endpoint;
import io.github.jsocketpair.PeerCredentials;
import io.github.jsocketpair.Received;
import io.github.jsocketpair.SocketFlag;
import io.github.jsocketpair.SocketPairOptions;
import io.github.jsocketpair.SocketType;
import io.github.jsocketpair.linux.jna.LinuxLibc;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.EnumSet;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mockito.stubbing.Answer;

/**
 * Credentials the kernel will not produce on demand here, through a mocked libc: a peer in another PID namespace
 * (pid 0) in {@code SO_PEERCRED} and in a message's {@code SCM_CREDENTIALS}; a socket with no recorded peer; the
 * option numbers per architecture; {@code SO_PEERPIDFD} on a kernel before 6.5.
 */
class LinuxCredentialsMockTest {
    private static final int SV0 = 40;
    private static final int SV1 = 41;

    private final LinuxLibc libc = mock(LinuxLibc.class);

    private Endpoint[] open(LinuxArch arch, SocketType type) throws IOException {
        when(libc.address(any())).thenAnswer(inv -> Pointer.nativeValue(Native.getDirectBufferPointer(
                inv.getArgument(0))));
        when(libc.socketpair(anyInt(), anyInt(), anyInt(), anyLong())).thenAnswer(inv -> {
            Pointer sv = new Pointer(inv.getArgument(3));
            sv.setInt(0, SV0);
            sv.setInt(4, SV1);
            return 0;
        });
        var p = new LinuxBackend(libc, arch, "Linux 6.0-test").open(Domain.UNIX, type, 0,
                EnumSet.of(SocketFlag.CLOEXEC));
        return new Endpoint[] {p.first(), p.second()};
    }

    /** getsockopt writing a struct ucred. */
    private static Answer<Integer> ucred(int pid, int uid, int gid) {
        return inv -> {
            Pointer v = new Pointer(inv.<Long>getArgument(3));
            v.setInt(0, pid);
            v.setInt(4, uid);
            v.setInt(8, gid);
            new Pointer(inv.<Long>getArgument(4)).setInt(0, 12);
            return 0;
        };
    }

    @Test
    void peerInAnotherPidNamespaceHasNoPid() throws IOException {
        Endpoint[] e = open(LinuxArch.X86_64, SocketType.STREAM);
        doAnswer(ucred(0, 1000, 1001)).when(libc).getsockopt(eq(SV0), eq(1), eq(17), anyLong(), anyLong());
        assertEquals(new PeerCredentials(OptionalLong.empty(), 1000, 1001), e[0].peerCredentials());
    }

    @Test
    void noRecordedPeerIsStillRefused() throws IOException {
        Endpoint[] e = open(LinuxArch.X86_64, SocketType.STREAM);
        // cred_to_ucred with no peer: pid 0, overflowuid and overflowgid
        doAnswer(ucred(0, 65534, 65534)).when(libc).getsockopt(eq(SV0), eq(1), eq(17), anyLong(), anyLong());
        assertThrows(UnsupportedOperationException.class, e[0]::peerCredentials);
    }

    /** recvmsg writing {@code n} bytes and one SCM_CREDENTIALS message, x86-64 layout (msghdr 56, cmsghdr 16). */
    private static Answer<Long> messageWithUcred(int pid, int uid, int gid, long n) {
        return inv -> {
            Pointer msg = new Pointer(inv.<Long>getArgument(1));
            long control = msg.getLong(32);
            long room = msg.getLong(40);
            assertTrue(room >= 32, "room for SCM_CREDENTIALS: " + room);
            Pointer c = new Pointer(control);
            c.setLong(0, 16 + 12); // CMSG_LEN(sizeof(struct ucred))
            c.setInt(8, 1); // SOL_SOCKET
            c.setInt(12, 2); // SCM_CREDENTIALS
            c.setInt(16, pid);
            c.setInt(20, uid);
            c.setInt(24, gid);
            msg.setLong(40, 32); // CMSG_SPACE(12)
            msg.setInt(48, 0);
            return n;
        };
    }

    @Test
    void messageCredentialsAreDecodedAndPidZeroIsEmpty() throws IOException {
        Endpoint[] e = open(LinuxArch.X86_64, SocketType.DGRAM);
        when(libc.recvmsg(eq(SV1), anyLong(), anyInt())).thenAnswer(messageWithUcred(4321, 1000, 1001, 3))
                .thenAnswer(messageWithUcred(0, 1000, 1001, 3));
        try (Received r = e[1].receive(ByteBuffer.allocate(8))) {
            assertEquals(Optional.of(new PeerCredentials(OptionalLong.of(4321), 1000, 1001)), r.credentials());
        }
        try (Received r = e[1].receive(ByteBuffer.allocate(8))) {
            assertEquals(Optional.of(new PeerCredentials(OptionalLong.empty(), 1000, 1001)), r.credentials());
        }
    }

    @Test
    void refusingDescriptorsLeavesRoomForCredentialsOnly() throws IOException {
        Endpoint[] e = open(LinuxArch.X86_64, SocketType.DGRAM);
        long[] rooms = new long[2];
        int[] call = {0};
        when(libc.recvmsg(eq(SV1), anyLong(), anyInt())).thenAnswer(inv -> {
            rooms[call[0]++] = new Pointer(inv.<Long>getArgument(1)).getLong(40);
            return 1L;
        });
        e[1].setOption(SocketPairOptions.RECEIVE_DESCRIPTORS, false);
        e[1].receive(ByteBuffer.allocate(8)).close();
        e[1].setOption(SocketPairOptions.PASS_CREDENTIALS, true);
        e[1].receive(ByteBuffer.allocate(8)).close();
        assertEquals(0, rooms[0], "no credentials asked for: no control room at all");
        assertEquals(32, rooms[1], "CMSG_SPACE(sizeof(struct ucred)), so no SCM_RIGHTS fits");
    }

    @ParameterizedTest
    @CsvSource({
        // arch, SOL_SOCKET, SO_PASSCRED, SO_RCVLOWAT [K2, K4, K8]; SO_PEEK_OFF is 42 everywhere
        "X86_64, 1, 16, 18",
        "PPC64LE, 1, 20, 16",
        "MIPS64EL, 0xffff, 17, 0x1004",
    })
    void optionsUseTheArchitecturesNumbers(LinuxArch arch, String solSocket, String passcred, String rcvlowat)
            throws IOException {
        int level = Integer.decode(solSocket);
        Endpoint[] e = open(arch, SocketType.STREAM);
        when(libc.setsockopt(anyInt(), anyInt(), anyInt(), anyLong(), anyInt())).thenReturn(0);
        e[0].setOption(SocketPairOptions.PASS_CREDENTIALS, true);
        e[0].setOption(SocketPairOptions.RECEIVE_LOW_WATERMARK, 8);
        e[0].setOption(SocketPairOptions.PEEK_OFFSET, 0);
        verify(libc).setsockopt(eq(SV0), eq(level), eq(Integer.decode(passcred)), anyLong(), eq(4));
        verify(libc).setsockopt(eq(SV0), eq(level), eq(Integer.decode(rcvlowat)), anyLong(), eq(4));
        verify(libc).setsockopt(eq(SV0), eq(level), eq(42), anyLong(), eq(4));
    }

    @Test
    void peerPidfdIsEmptyBeforeLinux65() throws IOException {
        Endpoint[] e = open(LinuxArch.X86_64, SocketType.STREAM);
        when(libc.getsockopt(eq(SV0), eq(1), eq(77), anyLong(), anyLong())).thenReturn(-1);
        when(libc.errno()).thenReturn(92); // ENOPROTOOPT
        assertEquals(Optional.empty(), e[0].peerPidfd());
    }

    @Test
    void peerPidfdIsOwnedAndCloseOnExec() throws IOException {
        Endpoint[] e = open(LinuxArch.X86_64, SocketType.STREAM);
        doAnswer(inv -> {
            new Pointer(inv.<Long>getArgument(3)).setInt(0, 77);
            return 0;
        }).when(libc).getsockopt(eq(SV0), eq(1), eq(77), anyLong(), anyLong());
        when(libc.fcntl(eq(77), eq(1), anyInt())).thenReturn(0); // F_GETFD: not yet close-on-exec
        Descriptor d = e[0].peerPidfd().orElseThrow();
        assertEquals(77, d.fd());
        verify(libc).fcntl(77, 2, 1); // F_SETFD FD_CLOEXEC
        d.close();
        verify(libc).close(77);
    }
}
