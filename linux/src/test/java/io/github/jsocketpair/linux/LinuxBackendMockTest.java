package io.github.jsocketpair.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.ArgumentMatchers.intThat;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import io.github.jsocketpair.Descriptor;
import io.github.jsocketpair.Domain;
import io.github.jsocketpair.Endpoint;
import io.github.jsocketpair.Errno;
import io.github.jsocketpair.MessageFlag;
import io.github.jsocketpair.Received;
import io.github.jsocketpair.SocketFlag;
import io.github.jsocketpair.SocketPairException;
import io.github.jsocketpair.SocketType;
import io.github.jsocketpair.linux.jna.LinuxLibc;
import io.github.jsocketpair.spi.EndpointPair;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.mockito.stubbing.Answer;

/**
 * The shared logic over a mocked libc, for what the kernel will not produce on demand: EINTR (retried everywhere but
 * close), errno mapping per architecture, failures after the pair exists (both descriptors closed), refusals before
 * any call. The numbers checked here (flags, levels, errnos) are written from ../shared/reference/native-constants.md.
 */
class LinuxBackendMockTest {
    private static final int SV0 = 40;
    private static final int SV1 = 41;
    private static final int EINTR = 4;
    private static final int MSG_NOSIGNAL = 0x4000;
    private static final int MSG_CMSG_CLOEXEC = 0x40000000;
    private static final int MSG_DONTWAIT = 0x40;

    private final LinuxLibc libc = mock(LinuxLibc.class);

    private LinuxBackend backend(LinuxArch arch) {
        // The shared logic reads and writes its scratch memory through real addresses.
        when(libc.address(any())).thenAnswer(inv -> Pointer.nativeValue(Native.getDirectBufferPointer(
                inv.getArgument(0))));
        return new LinuxBackend(libc, arch, "Linux 6.0-test");
    }

    private static final Answer<Integer> PAIR = inv -> {
        Pointer sv = new Pointer(inv.getArgument(3));
        sv.setInt(0, SV0);
        sv.setInt(4, SV1);
        return 0;
    };

    /** getsockopt answering an int option. */
    private static Answer<Integer> option(int value) {
        return inv -> {
            new Pointer(inv.<Long>getArgument(3)).setInt(0, value);
            return 0;
        };
    }

    private EndpointPair openStream(LinuxBackend b) throws IOException {
        when(libc.socketpair(anyInt(), anyInt(), anyInt(), anyLong())).thenAnswer(PAIR);
        return b.open(Domain.UNIX, SocketType.STREAM, 0, EnumSet.of(SocketFlag.CLOEXEC));
    }

    // ---- flags in the type argument, per architecture ------------------------------------------------------------

    @ParameterizedTest
    @CsvSource({
        // arch, type, flags, expected native type (§2.1, §2.2: generic 0x800/0x80000, mips STREAM=2 DGRAM=1 0x80)
        "X86_64, STREAM, '', 1",
        "X86_64, DGRAM, NONBLOCK, 0x802",
        "X86_64, SEQPACKET, NONBLOCK CLOEXEC, 0x80805",
        "AARCH64, STREAM, CLOEXEC NOSIGPIPE, 0x80001",
        "PPC64LE, DGRAM, CLOEXEC, 0x80002",
        "X86, SEQPACKET, NONBLOCK, 0x805",
        "MIPS64EL, STREAM, NONBLOCK CLOEXEC, 0x80082",
        "MIPS64EL, DGRAM, '', 1",
        "MIPS64EL, SEQPACKET, NONBLOCK, 0x85",
    })
    void flagsGoIntoTheTypeArgument(LinuxArch arch, SocketType type, String flags, String expected)
            throws IOException {
        LinuxBackend b = backend(arch);
        when(libc.socketpair(anyInt(), anyInt(), anyInt(), anyLong())).thenAnswer(PAIR);
        Set<SocketFlag> set = EnumSet.noneOf(SocketFlag.class);
        for (String f : flags.trim().split(" ")) {
            if (!f.isEmpty()) {
                set.add(SocketFlag.valueOf(f));
            }
        }
        EndpointPair p = b.open(Domain.UNIX, type, 0, set);
        verify(libc).socketpair(eq(1), eq(Integer.decode(expected)), eq(0), anyLong());
        assertEquals(SV0, p.first().fd());
        assertEquals(SV1, p.second().fd());
        // Atomic flags only: no fcntl, no setsockopt after creation.
        verify(libc, never()).fcntl(anyInt(), anyInt(), anyInt());
        verify(libc, never()).setsockopt(anyInt(), anyInt(), anyInt(), anyLong(), anyInt());
    }

    // ---- EINTR --------------------------------------------------------------------------------------------------

    @Test
    void socketpairIsRetriedOnEintr() throws IOException {
        LinuxBackend b = backend(LinuxArch.X86_64);
        when(libc.socketpair(anyInt(), anyInt(), anyInt(), anyLong())).thenReturn(-1, -1).thenAnswer(PAIR);
        when(libc.errno()).thenReturn(EINTR);
        EndpointPair p = b.open(Domain.UNIX, SocketType.STREAM, 0, Set.of());
        assertEquals(SV0, p.first().fd());
        verify(libc, times(3)).socketpair(eq(1), eq(1), eq(0), anyLong());
    }

    @ParameterizedTest
    @EnumSource(value = LinuxArch.class, names = {"X86_64", "X86"})
    void readIsRetriedOnEintr(LinuxArch arch) throws IOException {
        EndpointPair p = openStream(backend(arch));
        // every read is a recv with MSG_DONTWAIT: the endpoint, not the file's O_NONBLOCK, decides about waiting
        when(libc.recv(eq(SV1), anyLong(), anyLong(), eq(MSG_DONTWAIT))).thenReturn(-1L, 5L);
        when(libc.errno()).thenReturn(EINTR);
        assertEquals(5, p.second().read(ByteBuffer.allocateDirect(16)));
        verify(libc, times(2)).recv(eq(SV1), anyLong(), eq(16L), eq(MSG_DONTWAIT));
        verify(libc, never()).read(anyInt(), anyLong(), anyLong());
        when(libc.recv(eq(SV1), anyLong(), anyLong(), eq(MSG_DONTWAIT))).thenReturn(-1L, -1L, 3L);
        ByteBuffer heap = ByteBuffer.allocate(16);
        assertEquals(3, p.second().read(heap));
        assertEquals(3, heap.position());
    }

    @Test
    void sendIsRetriedOnEintrAndAlwaysPassesMsgNosignal() throws IOException {
        EndpointPair p = openStream(backend(LinuxArch.X86_64));
        when(libc.send(eq(SV0), anyLong(), anyLong(), anyInt())).thenReturn(-1L).thenAnswer(inv -> inv.getArgument(2));
        when(libc.errno()).thenReturn(EINTR);
        ByteBuffer src = ByteBuffer.allocate(10);
        assertEquals(10, p.first().write(src));
        assertFalse(src.hasRemaining());
        verify(libc, times(2)).send(eq(SV0), anyLong(), eq(10L), eq(MSG_NOSIGNAL | MSG_DONTWAIT));
        // send() with a flag, and the stream view: MSG_NOSIGNAL (and MSG_DONTWAIT: no call blocks) every time.
        assertEquals(3, p.first().send(ByteBuffer.allocateDirect(3), MessageFlag.DONTWAIT));
        verify(libc).send(eq(SV0), anyLong(), eq(3L), eq(MSG_NOSIGNAL | MSG_DONTWAIT));
        p.first().outputStream().write(new byte[7]);
        verify(libc).send(eq(SV0), anyLong(), eq(7L), eq(MSG_NOSIGNAL | MSG_DONTWAIT));
        // Gathering writes go through sendmsg, with MSG_NOSIGNAL too.
        when(libc.sendmsg(eq(SV0), anyLong(), anyInt())).thenReturn(-1L, 4L);
        assertEquals(4, p.first().write(new ByteBuffer[] {ByteBuffer.allocate(2), ByteBuffer.allocateDirect(2)}));
        verify(libc, times(2)).sendmsg(eq(SV0), anyLong(), eq(MSG_NOSIGNAL | MSG_DONTWAIT));
    }

    @Test
    void recvmsgIsRetriedOnEintr() throws IOException {
        EndpointPair p = openStream(backend(LinuxArch.X86_64));
        when(libc.recvmsg(eq(SV1), anyLong(), anyInt())).thenReturn(-1L, -1L, 6L);
        when(libc.errno()).thenReturn(EINTR);
        Received r = p.second().receive(ByteBuffer.allocate(32));
        assertNotNull(r);
        assertEquals(6, r.bytes());
        assertFalse(r.truncated());
        verify(libc, times(3)).recvmsg(eq(SV1), anyLong(), eq(MSG_CMSG_CLOEXEC | MSG_DONTWAIT));
    }

    @Test
    void pollIsRetriedOnEintr() throws IOException {
        EndpointPair p = openStream(backend(LinuxArch.X86_64));
        when(libc.poll(anyLong(), eq(1), anyInt())).thenReturn(-1).thenAnswer(inv -> {
            Pointer fds = new Pointer(inv.<Long>getArgument(0));
            assertEquals(SV1, fds.getInt(0));
            assertEquals(1, fds.getShort(4), "POLLIN");
            fds.setShort(6, (short) 1);
            return 1;
        });
        when(libc.errno()).thenReturn(EINTR);
        assertTrue(p.second().awaitReadable(Duration.ofSeconds(30)));
        verify(libc, times(2)).poll(anyLong(), eq(1), anyInt());
    }

    @Test
    void fcntlIsRetriedOnEintr() throws IOException {
        EndpointPair p = openStream(backend(LinuxArch.X86_64));
        when(libc.errno()).thenReturn(EINTR);
        when(libc.fcntl(SV0, 3, 0)).thenReturn(-1, 2); // F_GETFL -> O_RDWR
        when(libc.fcntl(SV0, 4, 0x802)).thenReturn(-1, 0); // F_SETFL
        p.first().configureBlocking(false);
        verify(libc, times(2)).fcntl(SV0, 3, 0);
        verify(libc, times(2)).fcntl(SV0, 4, 0x802);
        assertFalse(p.first().isBlocking(), "the endpoint's own mode");
    }

    @Test
    void closeIsNeverRetriedEvenOnEintr() throws IOException {
        EndpointPair p = openStream(backend(LinuxArch.X86_64));
        when(libc.close(anyInt())).thenReturn(-1);
        when(libc.errno()).thenReturn(EINTR);
        p.first().close(); // EINTR from close(2): the number is gone, not an error
        verify(libc, times(1)).close(SV0);
        assertFalse(p.first().isOpen());
        p.first().close();
        verify(libc, times(1)).close(SV0);
    }

    @Test
    void closeReportsOtherErrorsOnce() throws IOException {
        EndpointPair p = openStream(backend(LinuxArch.X86_64));
        when(libc.close(anyInt())).thenReturn(-1);
        when(libc.errno()).thenReturn(9);
        SocketPairException e = assertThrows(SocketPairException.class, () -> p.first().close());
        assertEquals(Errno.EBADF, e.errno());
        assertEquals("close", e.call());
        verify(libc, times(1)).close(SV0);
        p.first().close(); // already closed: no second close(2)
        verify(libc, times(1)).close(SV0);
    }

    // ---- errno mapping --------------------------------------------------------------------------------------------

    @ParameterizedTest
    @CsvSource({
        // §3: ENFILE 23, ENOMEM 12, EMFILE 24 everywhere; ENOBUFS 105 generic, 132 mips; EAFNOSUPPORT 97 / 124
        "X86_64, 23, ENFILE, Too many open files in system",
        "X86_64, 12, ENOMEM, Cannot allocate memory",
        "X86_64, 105, ENOBUFS, No buffer space available",
        "X86_64, 24, EMFILE, Too many open files",
        "PPC64LE, 105, ENOBUFS, No buffer space available",
        "X86, 23, ENFILE, Too many open files in system",
        "MIPS64EL, 132, ENOBUFS, No buffer space available",
        "MIPS64EL, 12, ENOMEM, Cannot allocate memory",
        "MIPS64EL, 23, ENFILE, Too many open files in system",
        "MIPS64EL, 24, EMFILE, Too many open files",
        "MIPS64EL, 105, UNKNOWN, Unknown error",
    })
    void socketpairErrnoIsMapped(LinuxArch arch, int nativeErrno, Errno errno, String text) {
        LinuxBackend b = backend(arch);
        when(libc.socketpair(anyInt(), anyInt(), anyInt(), anyLong())).thenReturn(-1);
        when(libc.errno()).thenReturn(nativeErrno);
        SocketPairException e = assertThrows(SocketPairException.class,
                () -> b.open(Domain.UNIX, SocketType.STREAM, 0, EnumSet.of(SocketFlag.CLOEXEC)));
        assertEquals(errno, e.errno());
        assertEquals(nativeErrno, e.nativeErrno());
        assertEquals("socketpair", e.call());
        String tail = errno == Errno.UNKNOWN ? " (no name on this platform)" : " (" + errno.name() + ") " + text;
        assertEquals("socketpair(UNIX, STREAM, 0, [CLOEXEC]) failed: errno " + nativeErrno + tail, e.getMessage());
        SocketPairException n = assertThrows(SocketPairException.class, () -> b.openNative(1, 5, 0));
        assertEquals(errno, n.errno());
        assertEquals("socketpair(1, 5, 0) failed: errno " + nativeErrno + tail, n.getMessage());
        verify(libc, never()).close(anyInt());
    }

    @ParameterizedTest
    @CsvSource({"X86_64, 97", "MIPS64EL, 124"})
    void tipcWithoutTheModuleSaysSo(LinuxArch arch, int eafnosupport) {
        LinuxBackend b = backend(arch);
        when(libc.socketpair(eq(30), anyInt(), anyInt(), anyLong())).thenReturn(-1);
        when(libc.errno()).thenReturn(eafnosupport);
        SocketPairException e = assertThrows(SocketPairException.class,
                () -> b.open(Domain.TIPC, SocketType.SEQPACKET, 0, Set.of()));
        assertEquals(Errno.EAFNOSUPPORT, e.errno());
        assertTrue(e.getMessage().endsWith(": AF_TIPC is not available: the tipc kernel module is not loaded "
                + "(modprobe tipc)"), e.getMessage());
    }

    @Test
    void cloForkIsRefusedBeforeAnyCall() {
        LinuxBackend b = backend(LinuxArch.X86_64);
        SocketPairException e = assertThrows(SocketPairException.class,
                () -> b.open(Domain.UNIX, SocketType.STREAM, 0, EnumSet.of(SocketFlag.CLOFORK)));
        assertEquals(Errno.EINVAL, e.errno());
        assertEquals(22, e.nativeErrno());
        assertEquals("socketpair", e.call());
        assertTrue(e.getMessage().contains("Linux 6.0-test") && e.getMessage().contains("FreeBSD 15"),
                e.getMessage());
        verify(libc, never()).socketpair(anyInt(), anyInt(), anyInt(), anyLong());
    }

    // ---- failures after creation close both descriptors -----------------------------------------------------------

    @ParameterizedTest
    @CsvSource({
        // arch, SOL_SOCKET, SO_TYPE, SO_DOMAIN (§5.1), which getsockopt fails (0: SO_TYPE of sv[0], 1: SO_DOMAIN of
        // sv[1]), errno and its name
        "X86_64, 1, 3, 39, 0, 12, ENOMEM",
        "X86_64, 1, 3, 39, 1, 105, ENOBUFS",
        "PPC64LE, 1, 3, 39, 0, 9, EBADF",
        "MIPS64EL, 0xffff, 0x1008, 0x1029, 0, 132, ENOBUFS",
        "MIPS64EL, 0xffff, 0x1008, 0x1029, 1, 12, ENOMEM",
    })
    void openNativeFailingAfterCreationClosesBoth(LinuxArch arch, String solSocket, String soType, String soDomain,
            int failing, int errno, Errno name) {
        LinuxBackend b = backend(arch);
        int level = Integer.decode(solSocket);
        int type = Integer.decode(soType);
        int domain = Integer.decode(soDomain);
        when(libc.socketpair(anyInt(), anyInt(), anyInt(), anyLong())).thenAnswer(PAIR);
        when(libc.getsockopt(anyInt(), anyInt(), anyInt(), anyLong(), anyLong())).thenReturn(-1);
        doAnswer(option(1)).when(libc).getsockopt(eq(SV0), eq(level), eq(type), anyLong(), anyLong());
        doAnswer(option(1)).when(libc).getsockopt(eq(SV0), eq(level), eq(domain), anyLong(), anyLong());
        if (failing == 1) {
            doAnswer(option(1)).when(libc).getsockopt(eq(SV1), eq(level), eq(type), anyLong(), anyLong());
        } else {
            when(libc.getsockopt(eq(SV0), eq(level), eq(type), anyLong(), anyLong())).thenReturn(-1);
        }
        when(libc.errno()).thenReturn(errno);
        SocketPairException e = assertThrows(SocketPairException.class, () -> b.openNative(1, 1, 0));
        assertEquals(name, e.errno());
        assertEquals(errno, e.nativeErrno());
        assertEquals("getsockopt", e.call());
        verify(libc, times(1)).close(SV0);
        verify(libc, times(1)).close(SV1);
    }

    @Test
    void openNativeFcntlFailureClosesBothAndKeepsCloseErrorsSuppressed() {
        LinuxBackend b = backend(LinuxArch.X86_64);
        when(libc.socketpair(anyInt(), anyInt(), anyInt(), anyLong())).thenAnswer(PAIR);
        when(libc.getsockopt(anyInt(), anyInt(), anyInt(), anyLong(), anyLong())).thenAnswer(option(1));
        when(libc.fcntl(anyInt(), eq(3), anyInt())).thenReturn(-1); // F_GETFL
        when(libc.close(anyInt())).thenReturn(-1);
        when(libc.errno()).thenReturn(12, 9, 9); // ENOMEM from fcntl, then EBADF from both closes
        SocketPairException e = assertThrows(SocketPairException.class, () -> b.openNative(1, 1, 0));
        assertEquals(Errno.ENOMEM, e.errno());
        assertEquals("fcntl", e.call());
        assertEquals(2, e.getSuppressed().length, "both close failures are kept");
        verify(libc, times(1)).close(SV0);
        verify(libc, times(1)).close(SV1);
    }

    @Test
    void adoptingABorrowedNonSocketDuplicatesNothing() {
        LinuxBackend b = backend(LinuxArch.X86_64);
        when(libc.fcntl(7, 1030, 0)).thenReturn(50); // F_DUPFD_CLOEXEC
        when(libc.getsockopt(anyInt(), anyInt(), anyInt(), anyLong(), anyLong())).thenReturn(-1);
        when(libc.errno()).thenReturn(88); // ENOTSOCK
        SocketPairException e = assertThrows(SocketPairException.class, () -> b.adopt(Descriptor.borrow(7)));
        assertEquals(Errno.ENOTSOCK, e.errno());
        assertTrue(e.getMessage().contains("not a socket"), e.getMessage());
        // Checked before duplicating: nothing was created, so nothing needs closing.
        verify(libc, never()).fcntl(7, 1030, 0);
        verify(libc, never()).close(anyInt());
    }

    @Test
    void adoptingAnOwnedSocketThatFailsLaterLeavesItWithTheCaller() throws IOException {
        LinuxBackend b = backend(LinuxArch.X86_64);
        when(libc.fcntl(7, 1030, 0)).thenReturn(50);
        Descriptor owned = b.duplicate(7);
        assertEquals(50, owned.fd());
        when(libc.getsockopt(eq(50), eq(1), eq(3), anyLong(), anyLong())).thenAnswer(option(1));
        when(libc.getsockopt(eq(50), eq(1), eq(39), anyLong(), anyLong())).thenReturn(-1); // SO_DOMAIN fails
        when(libc.errno()).thenReturn(12);
        SocketPairException e = assertThrows(SocketPairException.class, () -> b.adopt(owned));
        assertEquals(Errno.ENOMEM, e.errno());
        // Everything is read from the kernel before ownership moves, so a failure leaves the caller's descriptor.
        assertTrue(owned.isOpen(), "a failed adoption leaves the descriptor with its owner");
        assertEquals(50, owned.fd());
        verify(libc, never()).close(anyInt());
    }

    @Test
    void adoptingAnOwnedNonSocketLeavesItWithTheCaller() throws IOException {
        LinuxBackend b = backend(LinuxArch.X86_64);
        when(libc.fcntl(7, 1030, 0)).thenReturn(50);
        Descriptor owned = b.duplicate(7);
        when(libc.getsockopt(anyInt(), anyInt(), anyInt(), anyLong(), anyLong())).thenReturn(-1);
        when(libc.errno()).thenReturn(88);
        assertThrows(SocketPairException.class, () -> b.adopt(owned));
        assertTrue(owned.isOpen());
        verify(libc, never()).close(anyInt());
    }

    @Test
    void adoptReadsTypeAndDomainWithTheArchitecturesNumbers() throws IOException {
        LinuxBackend b = backend(LinuxArch.MIPS64EL);
        when(libc.fcntl(7, 1030, 0)).thenReturn(50);
        when(libc.getsockopt(eq(50), eq(0xffff), eq(0x1008), anyLong(), anyLong())).thenAnswer(option(1));
        when(libc.getsockopt(eq(50), eq(0xffff), eq(0x1029), anyLong(), anyLong())).thenAnswer(option(1));
        when(libc.fcntl(50, 3, 0)).thenReturn(0x80 | 2); // mips O_NONBLOCK
        Endpoint e = b.adopt(Descriptor.borrow(7));
        assertEquals(SocketType.DGRAM, e.type(), "mips SOCK_DGRAM is 1");
        assertEquals(Domain.UNIX, e.domain());
        assertEquals(50, e.fd());
        assertFalse(e.isBlocking());
    }

    @Test
    void peerCredentialsUseTheArchitecturesOption() throws IOException {
        LinuxBackend b = backend(LinuxArch.PPC64LE);
        EndpointPair p = openStream(b);
        when(libc.getsockopt(eq(SV0), eq(1), eq(21), anyLong(), anyLong())).thenAnswer(inv -> {
            Pointer v = new Pointer(inv.<Long>getArgument(3));
            v.setInt(0, 1234);
            v.setInt(4, 1000);
            v.setInt(8, -2); // uid_t/gid_t are unsigned
            return 0;
        });
        var c = p.first().peerCredentials();
        assertEquals(1234, c.pid().orElseThrow());
        assertEquals(1000, c.uid());
        assertEquals(0xFFFF_FFFEL, c.gid());
        verify(libc).getsockopt(eq(SV0), eq(1), eq(21), anyLong(), anyLong()); // powerpc SO_PEERCRED = 21 [K8]
        verify(libc, never()).getsockopt(anyInt(), anyInt(), intThat(o -> o == 17), anyLong(), anyLong());
    }
}
