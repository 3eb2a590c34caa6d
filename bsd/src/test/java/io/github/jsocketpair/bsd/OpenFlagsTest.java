package io.github.jsocketpair.bsd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.atLeast;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoMoreInteractions;

import io.github.jsocketpair.Capabilities;
import io.github.jsocketpair.Domain;
import io.github.jsocketpair.Errno;
import io.github.jsocketpair.SocketFlag;
import io.github.jsocketpair.SocketPairException;
import io.github.jsocketpair.SocketType;
import io.github.jsocketpair.spi.EndpointPair;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.mockito.InOrder;

/**
 * For every flavour and every type x flag combination: the exact {@code type} argument {@code socketpair} gets and the
 * calls that follow it, in order, and nothing else. Expected numbers come from the reference, typed in here.
 */
class OpenFlagsTest {

    /**
     * What the reference says a flavour needs to create a pair.
     *
     * @param nonblock the SOCK_NONBLOCK bit, 0 if none (then fcntl F_GETFL/F_SETFL O_NONBLOCK 4)
     * @param cloexec the SOCK_CLOEXEC bit, 0 if none (then fcntl F_GETFD/F_SETFD FD_CLOEXEC 1)
     * @param always type bits set on every pair (NetBSD SOCK_NOSIGPIPE)
     * @param soNosigpipe SO_NOSIGPIPE set on both ends at SOL_SOCKET, -1 if none
     */
    record Way(BsdPlatform platform, int nonblock, int cloexec, int always, int soNosigpipe, Set<SocketType> types) {
    }

    static final Set<SocketType> ALL = EnumSet.allOf(SocketType.class);

    static List<Way> ways() {
        return List.of(
                new Way(BsdPlatform.of(BsdFlavour.FREEBSD, "14.1-RELEASE", BsdArch.X86_64), 0x20000000, 0x10000000,
                        0, 0x0800, ALL),
                new Way(BsdPlatform.of(BsdFlavour.NETBSD, "10.0", BsdArch.AARCH64), 0x20000000, 0x10000000,
                        0x40000000, 0x0800, ALL),
                new Way(BsdPlatform.of(BsdFlavour.OPENBSD, "7.8", BsdArch.X86_64), 0x4000, 0x8000, 0, -1, ALL),
                new Way(BsdPlatform.of(BsdFlavour.DRAGONFLY, "6.4-RELEASE", BsdArch.X86_64), 0x20000000, 0x10000000,
                        0, 0x0800, ALL),
                new Way(BsdPlatform.of(BsdFlavour.MACOS, "14.5", BsdArch.AARCH64), 0, 0, 0, 0x1022,
                        EnumSet.of(SocketType.STREAM, SocketType.DGRAM)),
                // DragonFly by release (§12.1): atomic from 4.4 on, fcntl before
                new Way(BsdPlatform.of(BsdFlavour.DRAGONFLY, "4.4-RELEASE", BsdArch.X86_64), 0x20000000, 0x10000000,
                        0, 0x0800, ALL),
                new Way(BsdPlatform.of(BsdFlavour.DRAGONFLY, "5.6-RELEASE", BsdArch.X86_64), 0x20000000, 0x10000000,
                        0, 0x0800, ALL),
                new Way(BsdPlatform.of(BsdFlavour.DRAGONFLY, "5.8-RELEASE", BsdArch.X86_64), 0x20000000, 0x10000000,
                        0, 0x0800, ALL),
                new Way(BsdPlatform.of(BsdFlavour.DRAGONFLY, "4.2-RELEASE", BsdArch.X86_64), 0, 0, 0, 0x0800, ALL));
    }

    static Stream<Arguments> combinations() {
        List<Arguments> all = new ArrayList<>();
        SocketFlag[] optional = {SocketFlag.NONBLOCK, SocketFlag.CLOEXEC, SocketFlag.NOSIGPIPE};
        for (Way w : ways()) {
            for (SocketType t : w.types()) {
                for (int mask = 0; mask < 1 << optional.length; mask++) {
                    Set<SocketFlag> flags = EnumSet.noneOf(SocketFlag.class);
                    for (int i = 0; i < optional.length; i++) {
                        if ((mask & 1 << i) != 0) {
                            flags.add(optional[i]);
                        }
                    }
                    all.add(Arguments.of(w, t, flags));
                }
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("combinations")
    void socketpairTypeAndFollowUpCalls(Way w, SocketType t, Set<SocketFlag> flags) throws Exception {
        MockLibc m = new MockLibc();
        BsdBackend b = m.backend(w.platform());
        int typeNumber = switch (t) {
            case STREAM -> 1;
            case DGRAM -> 2;
            case SEQPACKET -> 5;
        };
        int expectedType = typeNumber | w.always();
        if (flags.contains(SocketFlag.NONBLOCK)) {
            expectedType |= w.nonblock();
        }
        if (flags.contains(SocketFlag.CLOEXEC)) {
            expectedType |= w.cloexec();
        }

        EndpointPair p = b.open(Domain.UNIX, t, 0, flags);

        InOrder order = inOrder(m.libc);
        order.verify(m.libc).socketpair(eq(1), eq(expectedType), eq(0), anyLong());
        for (int fd : new int[] {MockLibc.FD0, MockLibc.FD1}) {
            if (flags.contains(SocketFlag.NONBLOCK) && w.nonblock() == 0) {
                order.verify(m.libc).fcntl(fd, 3, 0); // F_GETFL
                order.verify(m.libc).fcntl(fd, 4, MockLibc.FL | 0x4); // F_SETFL, O_NONBLOCK
            }
            if (flags.contains(SocketFlag.CLOEXEC) && w.cloexec() == 0) {
                order.verify(m.libc).fcntl(fd, 1, 0); // F_GETFD
                order.verify(m.libc).fcntl(fd, 2, 1); // F_SETFD, FD_CLOEXEC
            }
            if (w.soNosigpipe() != -1) {
                order.verify(m.libc).setsockopt(eq(fd), eq(0xffff), eq(w.soNosigpipe()), anyLong(), eq(4));
            }
        }
        verify(m.libc, atLeast(0)).address(any());
        verifyNoMoreInteractions(m.libc);
        for (int[] s : m.setsockopts) {
            assertEquals(1, s[3], "SO_NOSIGPIPE value");
        }
        assertEquals(MockLibc.FD0, p.first().fd());
        assertEquals(MockLibc.FD1, p.second().fd());
        assertEquals(t, p.first().type());
    }

    @Test
    void macOsRefusesSeqpacketBeforeAnyCall() {
        MockLibc m = new MockLibc();
        BsdBackend b = m.backend(BsdPlatform.of(BsdFlavour.MACOS, "14.5", BsdArch.X86_64));
        SocketPairException e = assertThrows(SocketPairException.class,
                () -> b.open(Domain.UNIX, SocketType.SEQPACKET, 0, EnumSet.of(SocketFlag.CLOEXEC)));
        assertEquals(Errno.EPROTONOSUPPORT, e.errno());
        assertEquals(43, e.nativeErrno());
        assertContains(e.getMessage(), "macOS has no SEQPACKET pairs");
        org.mockito.Mockito.verifyNoInteractions(m.libc);
    }

    @Test
    void tipcIsRefusedOnEveryFlavour() {
        for (Way w : ways()) {
            MockLibc m = new MockLibc();
            BsdBackend b = m.backend(w.platform());
            SocketPairException e = assertThrows(SocketPairException.class,
                    () -> b.open(Domain.TIPC, SocketType.SEQPACKET, 0, EnumSet.noneOf(SocketFlag.class)));
            assertEquals(Errno.EAFNOSUPPORT, e.errno(), w.toString());
            assertEquals(47, e.nativeErrno(), w.toString());
            org.mockito.Mockito.verifyNoInteractions(m.libc);
        }
    }

    @Test
    void openNativePassesTheNumbersUnchanged() throws Exception {
        MockLibc m = new MockLibc();
        BsdBackend b = m.backend(BsdPlatform.of(BsdFlavour.MACOS, "14.5", BsdArch.X86_64));
        b.openNative(1, 5, 0);
        verify(m.libc).socketpair(eq(1), eq(5), eq(0), anyLong());
    }

    @Test
    void capabilitiesAreHonestPerFlavour() {
        Set<SocketFlag> nbCe = EnumSet.of(SocketFlag.NONBLOCK, SocketFlag.CLOEXEC, SocketFlag.NOSIGPIPE);
        // flavour: types, flags, atomic, descriptor passing, peer credentials, pid
        check(ways().get(0), ALL, nbCe, nbCe, true, true, true);
        // NetBSD: peer credentials as the creation probe found them; the mock's getsockopt answers it
        check(ways().get(1), ALL, nbCe, nbCe, true, true, false);
        Set<SocketFlag> withFork = EnumSet.allOf(SocketFlag.class);
        check(ways().get(2), ALL, withFork, withFork, true, true, true);
        check(ways().get(3), ALL, nbCe, nbCe, true, false, false);
        check(ways().get(4), EnumSet.of(SocketType.STREAM, SocketType.DGRAM), nbCe, EnumSet.noneOf(SocketFlag.class),
                true, true, true);
        check(new Way(BsdPlatform.of(BsdFlavour.FREEBSD, "12.4-RELEASE", BsdArch.X86_64), 0, 0, 0, 0, ALL), ALL,
                nbCe, nbCe, true, true, false);
        check(new Way(BsdPlatform.of(BsdFlavour.OPENBSD, "7.7", BsdArch.X86_64), 0, 0, 0, 0, ALL), ALL, nbCe,
                nbCe, true, true, true);
        check(new Way(BsdPlatform.of(BsdFlavour.DRAGONFLY, "5.6", BsdArch.X86_64), 0, 0, 0, 0, ALL), ALL, nbCe,
                nbCe, true, false, false);
        check(new Way(BsdPlatform.of(BsdFlavour.DRAGONFLY, "5.7-DEVELOPMENT", BsdArch.X86_64), 0, 0, 0, 0, ALL), ALL,
                nbCe, nbCe, false, false, false);
        check(new Way(BsdPlatform.of(BsdFlavour.DRAGONFLY, "4.2", BsdArch.X86_64), 0, 0, 0, 0, ALL), ALL, nbCe,
                EnumSet.of(SocketFlag.NOSIGPIPE), true, false, false);
    }

    private static void check(Way w, Set<SocketType> types, Set<SocketFlag> flags, Set<SocketFlag> atomic,
            boolean passing, boolean creds, boolean pid) {
        Capabilities c = BsdBackend.create(new MockLibc().libc, w.platform()).info().capabilities();
        String n = w.platform().describe();
        assertEquals(EnumSet.of(Domain.UNIX), c.domains(), n);
        assertEquals(types, c.types(), n);
        assertEquals(flags, c.flags(), n);
        assertEquals(atomic, c.atomicFlags(), n);
        assertEquals(passing, c.descriptorPassing(), n);
        assertEquals(passing ? 64 : 0, c.maxDescriptorsPerMessage(), n);
        assertEquals(creds, c.peerCredentials(), n);
        assertEquals(pid, c.peerPid(), n);
        assertArrayEquals(new Object[] {w.platform().flavour().backendName(), w.platform().arch().label()},
                new Object[] {BsdBackend.create(new MockLibc().libc, w.platform()).info().name(),
                        BsdBackend.create(new MockLibc().libc, w.platform()).info().arch()});
    }

    static void assertContains(String text, String part) {
        if (!text.contains(part)) {
            throw new AssertionError("\"" + part + "\" not in: " + text);
        }
    }
}
