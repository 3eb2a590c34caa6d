package io.github.jsocketpair.bsd;

import static io.github.jsocketpair.bsd.OpenFlagsTest.assertContains;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.doReturn;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;

import com.sun.jna.Pointer;
import io.github.jsocketpair.Domain;
import io.github.jsocketpair.Errno;
import io.github.jsocketpair.PeerCredentials;
import io.github.jsocketpair.SocketFlag;
import io.github.jsocketpair.SocketPairException;
import io.github.jsocketpair.SocketType;
import io.github.jsocketpair.spi.EndpointPair;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.EnumSet;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/**
 * Each flavour's credential option, level and struct (reference §5.2, §8.4), decoded from the bytes a kernel would
 * write; the types a flavour records nothing for are refused before any call.
 */
class PeerCredentialsTest {

    static ByteBuffer struct(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.nativeOrder());
    }

    /** struct xucred: cr_version 0 @0, cr_uid @4, cr_ngroups (short) @8, cr_groups[] @12. */
    static ByteBuffer xucred(int size, int uid, int gid) {
        return struct(size).putInt(0, 0).putInt(4, uid).putShort(8, (short) 1).putInt(12, gid);
    }

    static EndpointPair open(MockLibc m, BsdPlatform p, SocketType t) throws Exception {
        return m.backend(p).open(Domain.UNIX, t, 0, EnumSet.noneOf(SocketFlag.class));
    }

    @Test
    void freeBsdReadsXucredWithPid() throws Exception {
        MockLibc m = new MockLibc();
        m.answerOption(0, 1, xucred(88, 1001, 1002).putInt(80, 4242).array());
        PeerCredentials c = open(m, BsdPlatform.of(BsdFlavour.FREEBSD, "14.1-RELEASE", BsdArch.X86_64),
                SocketType.STREAM).first().peerCredentials();
        assertEquals(new PeerCredentials(OptionalLong.of(4242), 1001, 1002), c);
        verify(m.libc).getsockopt(eq(MockLibc.FD0), eq(0), eq(1), anyLong(), anyLong());
    }

    @Test
    void freeBsdBefore13HasNoPid() throws Exception {
        MockLibc m = new MockLibc();
        m.answerOption(0, 1, xucred(88, 1001, 1002).putInt(80, 4242).array());
        PeerCredentials c = open(m, BsdPlatform.of(BsdFlavour.FREEBSD, "12.4-RELEASE", BsdArch.X86_64),
                SocketType.SEQPACKET).first().peerCredentials();
        assertEquals(new PeerCredentials(OptionalLong.empty(), 1001, 1002), c);
    }

    @Test
    void freeBsdAndMacOsAndDragonFlyRefuseDgramBeforeTheCall() throws Exception {
        for (BsdPlatform p : new BsdPlatform[] {BsdPlatform.of(BsdFlavour.FREEBSD, "14.1", BsdArch.X86_64),
            BsdPlatform.of(BsdFlavour.MACOS, "14.5", BsdArch.AARCH64),
            BsdPlatform.of(BsdFlavour.DRAGONFLY, "6.4", BsdArch.X86_64)}) {
            MockLibc m = new MockLibc();
            EndpointPair pair = open(m, p, SocketType.DGRAM);
            UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                    () -> pair.first().peerCredentials());
            assertContains(e.getMessage(), "DGRAM");
            verify(m.libc, never()).getsockopt(anyInt(), anyInt(), anyInt(), anyLong(), anyLong());
        }
    }

    @Test
    void macOsReadsXucredAndLocalPeerpid() throws Exception {
        MockLibc m = new MockLibc();
        m.answerOption(0, 1, xucred(76, 501, 20).array());
        m.answerOption(0, 2, struct(4).putInt(0, 777).array());
        PeerCredentials c = open(m, BsdPlatform.of(BsdFlavour.MACOS, "14.5", BsdArch.AARCH64), SocketType.STREAM)
                .second().peerCredentials();
        assertEquals(new PeerCredentials(OptionalLong.of(777), 501, 20), c);
        verify(m.libc).getsockopt(eq(MockLibc.FD1), eq(0), eq(1), anyLong(), anyLong());
        verify(m.libc).getsockopt(eq(MockLibc.FD1), eq(0), eq(2), anyLong(), anyLong());
    }

    @Test
    void anXucredWithAnotherVersionIsNotTrusted() throws Exception {
        MockLibc m = new MockLibc();
        m.answerOption(0, 1, xucred(76, 501, 20).putInt(0, 1).array());
        m.answerOption(0, 2, struct(4).putInt(0, 777).array());
        EndpointPair p = open(m, BsdPlatform.of(BsdFlavour.MACOS, "14.5", BsdArch.AARCH64), SocketType.STREAM);
        assertThrows(IllegalStateException.class, () -> p.first().peerCredentials());
    }

    @Test
    void openBsdReadsSockpeercredInItsOwnOrder() throws Exception {
        MockLibc m = new MockLibc();
        // struct sockpeercred { uid_t uid; gid_t gid; pid_t pid; } at SOL_SOCKET, SO_PEERCRED 0x1022
        m.answerOption(0xffff, 0x1022, struct(12).putInt(0, 1000).putInt(4, 1001).putInt(8, 31337).array());
        for (SocketType t : SocketType.values()) {
            PeerCredentials c = open(m, BsdPlatform.of(BsdFlavour.OPENBSD, "7.8", BsdArch.X86_64), t).first()
                    .peerCredentials();
            assertEquals(new PeerCredentials(OptionalLong.of(31337), 1000, 1001), c, t.toString());
        }
    }

    @Test
    void netBsdReadsUnpcbid() throws Exception {
        MockLibc m = new MockLibc();
        // struct unpcbid { pid_t unp_pid; uid_t unp_euid; gid_t unp_egid; } at level 0, LOCAL_PEEREID 3
        m.answerOption(0, 3, struct(12).putInt(0, 555).putInt(4, 1000).putInt(8, 100).array());
        PeerCredentials c = open(m, BsdPlatform.of(BsdFlavour.NETBSD, "10.0", BsdArch.X86_64), SocketType.STREAM)
                .first().peerCredentials();
        assertEquals(new PeerCredentials(OptionalLong.of(555), 1000, 100), c);
    }

    @Test
    void netBsdWithoutRecordedIdsSaysSo() throws Exception {
        MockLibc m = new MockLibc();
        EndpointPair p = open(m, BsdPlatform.of(BsdFlavour.NETBSD, "10.0", BsdArch.X86_64), SocketType.STREAM);
        doReturn(-1).when(m.libc).getsockopt(anyInt(), eq(0), eq(3), anyLong(), anyLong());
        doReturn(22).when(m.libc).errno(); // EINVAL: UNP_EIDSVALID not set
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                () -> p.first().peerCredentials());
        assertContains(e.getMessage(), "recorded no LOCAL_PEEREID");
    }

    @Test
    void dragonFlyReadsXucredWithoutPid() throws Exception {
        MockLibc m = new MockLibc();
        m.answerOption(0, 1, xucred(88, 1001, 1002).array());
        PeerCredentials c = open(m, BsdPlatform.of(BsdFlavour.DRAGONFLY, "6.4", BsdArch.X86_64), SocketType.STREAM)
                .first().peerCredentials();
        assertEquals(new PeerCredentials(OptionalLong.empty(), 1001, 1002), c);
    }

    @Test
    void anUnknownOptionFallsBackToGetpeereid() throws Exception {
        MockLibc m = new MockLibc();
        EndpointPair p = open(m, BsdPlatform.of(BsdFlavour.FREEBSD, "14.1", BsdArch.X86_64), SocketType.STREAM);
        doReturn(-1).when(m.libc).getsockopt(anyInt(), eq(0), eq(1), anyLong(), anyLong());
        doReturn(42).when(m.libc).errno(); // ENOPROTOOPT
        doAnswer(i -> {
            new Pointer(i.getArgument(1)).setInt(0, 1234);
            new Pointer(i.getArgument(2)).setInt(0, 5678);
            return 0;
        }).when(m.libc).getpeereid(eq(MockLibc.FD0), anyLong(), anyLong());
        assertEquals(new PeerCredentials(OptionalLong.empty(), 1234, 5678), p.first().peerCredentials());
    }

    @Test
    void otherErrorsAreReportedWithTheirErrno() throws Exception {
        MockLibc m = new MockLibc();
        EndpointPair p = open(m, BsdPlatform.of(BsdFlavour.OPENBSD, "7.8", BsdArch.X86_64), SocketType.STREAM);
        doReturn(-1).when(m.libc).getsockopt(anyInt(), eq(0xffff), eq(0x1022), anyLong(), anyLong());
        doReturn(57).when(m.libc).errno();
        SocketPairException e = assertThrows(SocketPairException.class, () -> p.first().peerCredentials());
        assertEquals(Errno.ENOTCONN, e.errno());
        assertEquals("getsockopt", e.call());
        verify(m.libc, never()).getpeereid(anyInt(), anyLong(), anyLong());
    }

    static final BsdPlatform NETBSD = BsdPlatform.of(BsdFlavour.NETBSD, "10.1", BsdArch.X86_64);

    /** §12.2: the capability is what the kernel answered to LOCAL_PEEREID on a fresh STREAM pair at creation. */
    @Test
    void netBsdClaimsCredentialsWhenTheProbeIsAnswered() {
        MockLibc m = new MockLibc();
        m.answerOption(0, 3, struct(12).putInt(0, 555).putInt(4, 1000).putInt(8, 100).array());
        BsdBackend b = BsdBackend.create(m.libc, NETBSD);
        assertEquals(true, b.info().capabilities().peerCredentials());
        assertEquals(false, b.info().capabilities().peerPid(), "pid: only what a read returns, not claimed");
        assertContains(b.info().detail(), "LOCAL_PEEREID answered on a socketpair at creation");
        verify(m.libc).socketpair(eq(1), eq(1 | 0x10000000), eq(0), anyLong()); // STREAM | SOCK_CLOEXEC
        verify(m.libc).getsockopt(eq(MockLibc.FD0), eq(0), eq(3), anyLong(), anyLong());
        verify(m.libc).close(MockLibc.FD0);
        verify(m.libc).close(MockLibc.FD1);
    }

    @Test
    void netBsdClaimsNothingWhenTheProbeFails() {
        // EINVAL: no ids recorded for socketpairs
        MockLibc m = new MockLibc();
        doReturn(-1).when(m.libc).getsockopt(anyInt(), eq(0), eq(3), anyLong(), anyLong());
        doReturn(22).when(m.libc).errno();
        BsdBackend b = BsdBackend.create(m.libc, NETBSD);
        assertEquals(false, b.info().capabilities().peerCredentials());
        assertContains(b.info().detail(), "LOCAL_PEEREID not answered");
        verify(m.libc).close(MockLibc.FD0);
        verify(m.libc).close(MockLibc.FD1);
        // a short answer is no struct unpcbid
        MockLibc shortAnswer = new MockLibc();
        shortAnswer.answerOption(0, 3, struct(8).array());
        assertEquals(false, BsdBackend.create(shortAnswer.libc, NETBSD).info().capabilities().peerCredentials());
        // no pair to ask: nothing claimed, nothing closed
        MockLibc noPair = new MockLibc();
        noPair.failSocketpair(24);
        assertEquals(false, BsdBackend.create(noPair.libc, NETBSD).info().capabilities().peerCredentials());
        verify(noPair.libc, never()).close(anyInt());
    }

    @Test
    void netBsdReadsStreamAndSeqpacketAndRefusesDgramBeforeTheCall() throws Exception {
        for (SocketType t : new SocketType[] {SocketType.STREAM, SocketType.SEQPACKET}) {
            MockLibc m = new MockLibc();
            m.answerOption(0, 3, struct(12).putInt(0, 555).putInt(4, 1000).putInt(8, 100).array());
            assertEquals(new PeerCredentials(OptionalLong.of(555), 1000, 100), open(m, NETBSD, t).second()
                    .peerCredentials(), t.toString());
            verify(m.libc).getsockopt(eq(MockLibc.FD1), eq(0), eq(3), anyLong(), anyLong());
        }
        MockLibc m = new MockLibc();
        EndpointPair p = open(m, NETBSD, SocketType.DGRAM);
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                () -> p.first().peerCredentials());
        assertContains(e.getMessage(), "STREAM and SEQPACKET pairs only");
        verify(m.libc, never()).getsockopt(anyInt(), anyInt(), anyInt(), anyLong(), anyLong());
    }
}
