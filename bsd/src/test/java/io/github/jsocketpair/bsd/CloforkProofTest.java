package io.github.jsocketpair.bsd;

import static io.github.jsocketpair.bsd.OpenFlagsTest.assertContains;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.clearInvocations;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.doReturn;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;

import com.sun.jna.Pointer;
import io.github.jsocketpair.Capabilities;
import io.github.jsocketpair.Domain;
import io.github.jsocketpair.Errno;
import io.github.jsocketpair.SocketFlag;
import io.github.jsocketpair.SocketPairException;
import io.github.jsocketpair.SocketType;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The close-on-fork proof at backend creation (FreeBSD 15+, NetBSD 11+) against a mocked kernel that keeps each
 * descriptor's {@code F_GETFD} bits: every outcome (both steps pass; {@code F_SETFD} drops the bit; the pair lacks it;
 * {@code socketpair} refuses the bit), the capabilities and refusals each gives, the check on every later open, and
 * {@code MSG_CMSG_CLOFORK} gated by the same proof. The expected numbers are reference §12.1's, typed in here.
 */
class CloforkProofTest {

    /**
     * A release whose close-on-fork numbers are proven at run time.
     *
     * @param sockClofork §12.1's SOCK_CLOFORK for it
     * @param msgCmsgClofork §12.1's MSG_CMSG_CLOFORK, 0 where none was found
     */
    record Release(BsdPlatform platform, int sockClofork, int msgCmsgClofork) {
        @Override
        public String toString() {
            return platform.describe();
        }
    }

    static final int FD_CLOEXEC = 1;
    static final int FD_CLOFORK = 2; // FreeBSD 15 (proposed) and NetBSD 11 (inferred) alike, §12.1

    static Stream<Release> releases() {
        return Stream.of(new Release(BsdPlatform.of(BsdFlavour.FREEBSD, "15.0-RELEASE", BsdArch.X86_64), 0x40000000,
                0x00400000), new Release(BsdPlatform.of(BsdFlavour.NETBSD, "11.0", BsdArch.AARCH64), 0x80000000, 0));
    }

    /** A kernel as far as the proof can see it: what it does with FD_CLOFORK and with the SOCK_CLOFORK bit. */
    static final class Kernel {
        final MockLibc m = new MockLibc();
        final Map<Integer, Integer> fdFlags = new HashMap<>();
        boolean keepsFdClofork = true;
        boolean honoursSockClofork = true;
        /** socketpair with the bit fails with this errno (0: it does not fail). */
        int rejectsSockClofork;
        /** Which end of the next pair comes without close-on-fork although asked (-1: none). */
        int dropOnNextPair = -1;

        Kernel(int sockClofork) {
            doAnswer(i -> {
                int type = i.getArgument(1);
                if ((type & sockClofork) != 0 && rejectsSockClofork != 0) {
                    doReturn(rejectsSockClofork).when(m.libc).errno();
                    return -1;
                }
                Pointer sv = new Pointer(i.getArgument(3));
                sv.setInt(0, MockLibc.FD0);
                sv.setInt(4, MockLibc.FD1);
                int bits = (type & 0x10000000) != 0 ? FD_CLOEXEC : 0; // SOCK_CLOEXEC on both flavours
                for (int end = 0; end < 2; end++) {
                    boolean fork = (type & sockClofork) != 0 && honoursSockClofork && dropOnNextPair != end;
                    fdFlags.put(end == 0 ? MockLibc.FD0 : MockLibc.FD1, bits | (fork ? FD_CLOFORK : 0));
                }
                dropOnNextPair = -1;
                return 0;
            }).when(m.libc).socketpair(anyInt(), anyInt(), anyInt(), anyLong());
            doAnswer(i -> {
                int fd = i.getArgument(0);
                int cmd = i.getArgument(1);
                int arg = i.getArgument(2);
                return switch (cmd) {
                    case 1 -> fdFlags.getOrDefault(fd, 0); // F_GETFD
                    case 2 -> { // F_SETFD: a kernel without close-on-fork keeps FD_CLOEXEC only
                        fdFlags.put(fd, arg & (keepsFdClofork ? FD_CLOEXEC | FD_CLOFORK : FD_CLOEXEC));
                        yield 0;
                    }
                    case 3 -> MockLibc.FL;
                    default -> 0;
                };
            }).when(m.libc).fcntl(anyInt(), anyInt(), anyInt());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("releases")
    void bothStepsPassSoCloforkIsAtomicAndChecked(Release r) throws Exception {
        Kernel k = new Kernel(r.sockClofork());
        BsdBackend b = BsdBackend.create(k.m.libc, r.platform());
        // step 1 on a scratch pair, step 2 on a SOCK_CLOFORK pair (NetBSD: one more for its credential probe);
        // every descriptor closed again
        int probe = netBsd(r) ? 1 : 0;
        verify(k.m.libc, times(1 + probe)).socketpair(eq(1), eq(1 | 0x10000000), eq(0), anyLong());
        verify(k.m.libc).fcntl(MockLibc.FD0, 2, FD_CLOEXEC | FD_CLOFORK);
        verify(k.m.libc).socketpair(eq(1), eq(1 | 0x10000000 | r.sockClofork()), eq(0), anyLong());
        verify(k.m.libc, times(2 + probe)).close(MockLibc.FD0);
        verify(k.m.libc, times(2 + probe)).close(MockLibc.FD1);
        Capabilities c = b.info().capabilities();
        assertTrue(c.cloFork(), r.toString());
        assertTrue(c.atomicFlags().contains(SocketFlag.CLOFORK));
        assertTrue(b.cloforkProof().orElseThrow().proven());
        assertEquals(r.msgCmsgClofork(), b.table().msgCmsgClofork(), "MSG_CMSG_CLOFORK gated by the proof");
        assertContains(b.info().detail(), "SOCK_CLOFORK 0x" + Integer.toHexString(r.sockClofork())
                + " proven at run time");

        clearInvocations(k.m.libc);
        var pair = b.open(Domain.UNIX, SocketType.SEQPACKET, 0, EnumSet.of(SocketFlag.CLOFORK, SocketFlag.CLOEXEC));
        int type = 5 | 0x10000000 | r.sockClofork() | (netBsd(r) ? 0x40000000 : 0);
        verify(k.m.libc).socketpair(eq(1), eq(type), eq(0), anyLong());
        verify(k.m.libc).fcntl(MockLibc.FD0, 1, 0); // F_GETFD once on each end
        verify(k.m.libc).fcntl(MockLibc.FD1, 1, 0);
        // descriptors received on the pair get close-on-fork too, where the OS has MSG_CMSG_CLOFORK
        org.mockito.Mockito.doAnswer(i -> {
            new com.sun.jna.Pointer(i.<Long>getArgument(1)).setInt(40, 0); // msg_controllen: no control data
            return 1L;
        }).when(k.m.libc).recvmsg(anyInt(), anyLong(), anyInt());
        pair.first().receive(java.nio.ByteBuffer.allocate(4));
        verify(k.m.libc).recvmsg(eq(MockLibc.FD0), anyLong(),
                eq(0x80 | b.table().MSG_CMSG_CLOEXEC | r.msgCmsgClofork()));

        // without CLOFORK: no bit, no check
        clearInvocations(k.m.libc);
        b.open(Domain.UNIX, SocketType.STREAM, 0, EnumSet.of(SocketFlag.CLOEXEC));
        verify(k.m.libc).socketpair(eq(1), eq(1 | 0x10000000 | (netBsd(r) ? 0x40000000 : 0)), eq(0), anyLong());
        verify(k.m.libc, never()).fcntl(anyInt(), eq(1), anyInt());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("releases")
    void fSetfdDropsTheBit(Release r) {
        Kernel k = new Kernel(r.sockClofork());
        k.keepsFdClofork = false; // NetBSD 10 drops it
        BsdBackend b = BsdBackend.create(k.m.libc, r.platform());
        verify(k.m.libc, never()).socketpair(eq(1), eq(1 | 0x10000000 | r.sockClofork()), eq(0), anyLong());
        SocketPairException e = refused(k, b);
        assertContains(e.getMessage(), "step 1 failed: after fcntl(F_SETFD, 0x3) F_GETFD returned 0x1");
        assertEquals(0, b.table().msgCmsgClofork(), "no MSG_CMSG_CLOFORK without the proof");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("releases")
    void thePairLacksTheBit(Release r) {
        Kernel k = new Kernel(r.sockClofork());
        k.honoursSockClofork = false; // NetBSD before 11 drops unknown bits inside SOCK_FLAGS_MASK silently
        BsdBackend b = BsdBackend.create(k.m.libc, r.platform());
        // the scratch pair and the proof's pair (and NetBSD's credential probe)
        verify(k.m.libc, times(netBsd(r) ? 3 : 2)).close(MockLibc.FD1);
        SocketPairException e = refused(k, b);
        assertContains(e.getMessage(), "step 2 failed: socketpair with SOCK_CLOFORK 0x"
                + Integer.toHexString(r.sockClofork()) + " gave sv[0] F_GETFD 0x1, without FD_CLOFORK 0x2");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("releases")
    void socketpairFailsWithEinval(Release r) {
        Kernel k = new Kernel(r.sockClofork());
        k.rejectsSockClofork = 22;
        BsdBackend b = BsdBackend.create(k.m.libc, r.platform());
        SocketPairException e = refused(k, b);
        assertContains(e.getMessage(), "step 2 failed: socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_CLOFORK 0x"
                + Integer.toHexString(r.sockClofork()) + ") failed with errno 22 (EINVAL)");
    }

    private static boolean netBsd(Release r) {
        return r.platform().flavour() == BsdFlavour.NETBSD;
    }

    /** The refusal every failed proof gives: EINVAL before any call, naming the release; no CLOFORK capability. */
    private static SocketPairException refused(Kernel k, BsdBackend b) {
        assertFalse(b.cloforkProof().orElseThrow().proven());
        assertContains(b.info().detail(), "CLOFORK refused, not proven at run time: step ");
        Capabilities c = b.info().capabilities();
        assertFalse(c.cloFork(), b.platform().describe());
        assertFalse(c.atomicFlags().contains(SocketFlag.CLOFORK));
        clearInvocations(k.m.libc);
        SocketPairException e = assertThrows(SocketPairException.class, () -> b.open(Domain.UNIX, SocketType.STREAM,
                0, EnumSet.of(SocketFlag.CLOFORK)));
        assertEquals(Errno.EINVAL, e.errno());
        assertEquals(22, e.nativeErrno());
        assertEquals("socketpair", e.call());
        assertContains(e.getMessage(), b.platform().describe());
        assertContains(e.getMessage(), "did not prove");
        verifyNoInteractions(k.m.libc);
        return e;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("releases")
    void anOpenWhoseEndLacksTheBitClosesBothAndThrows(Release r) throws Exception {
        for (int end = 0; end < 2; end++) {
            Kernel k = new Kernel(r.sockClofork());
            BsdBackend b = BsdBackend.create(k.m.libc, r.platform());
            assertTrue(b.info().capabilities().cloFork());
            clearInvocations(k.m.libc);
            k.dropOnNextPair = end;
            SocketPairException e = assertThrows(SocketPairException.class, () -> b.open(Domain.UNIX,
                    SocketType.STREAM, 0, EnumSet.of(SocketFlag.CLOFORK, SocketFlag.NONBLOCK)));
            assertEquals(Errno.EINVAL, e.errno());
            assertContains(e.getMessage(), "without close-on-fork");
            verify(k.m.libc).close(MockLibc.FD0);
            verify(k.m.libc).close(MockLibc.FD1);
        }
    }

    @Test
    void noProofBeforeTheReleasesThatHaveIt() {
        for (BsdPlatform p : new BsdPlatform[] {BsdPlatform.of(BsdFlavour.FREEBSD, "14.3-RELEASE", BsdArch.X86_64),
            BsdPlatform.of(BsdFlavour.NETBSD, "10.1", BsdArch.X86_64)}) {
            Kernel k = new Kernel(0x40000000);
            BsdBackend b = BsdBackend.create(k.m.libc, p);
            assertTrue(b.cloforkProof().isEmpty(), p.describe());
            verify(k.m.libc, never()).fcntl(anyInt(), eq(2), anyInt());
            assertFalse(b.info().capabilities().cloFork());
        }
    }

    @Test
    void openBsdMsgCmsgCloforkIsTheHeaders() {
        assertEquals(0x2000, new MockLibc().backend(BsdPlatform.of(BsdFlavour.OPENBSD, "7.8", BsdArch.X86_64)).table()
                .msgCmsgClofork()); // socket.h 1.108
        assertEquals(0, new MockLibc().backend(BsdPlatform.of(BsdFlavour.OPENBSD, "7.7", BsdArch.X86_64)).table()
                .msgCmsgClofork());
    }
}
