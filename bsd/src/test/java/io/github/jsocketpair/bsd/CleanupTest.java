package io.github.jsocketpair.bsd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.doReturn;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

import io.github.jsocketpair.Domain;
import io.github.jsocketpair.Errno;
import io.github.jsocketpair.SocketFlag;
import io.github.jsocketpair.SocketPairException;
import io.github.jsocketpair.SocketType;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every step after {@code socketpair} can fail; whichever does, both descriptors are closed exactly once before the
 * exception leaves, and the exception names the call and its errno. (The descriptors here are the mock's numbers; the
 * JVM's own open descriptors are counted too, to show the mock opened nothing real.)
 */
class CleanupTest {
    static final BsdPlatform MACOS = BsdPlatform.of(BsdFlavour.MACOS, "14.5", BsdArch.AARCH64);
    static final BsdPlatform FREEBSD = BsdPlatform.of(BsdFlavour.FREEBSD, "14.1-RELEASE", BsdArch.X86_64);
    /** Before 4.4: no atomic flags, so the fcntl steps exist to fail. */
    static final BsdPlatform DRAGONFLY = BsdPlatform.of(BsdFlavour.DRAGONFLY, "4.2-RELEASE", BsdArch.X86_64);
    static final BsdPlatform NETBSD = BsdPlatform.of(BsdFlavour.NETBSD, "10.0", BsdArch.X86_64);

    /** A failing step: which call, on which descriptor, with which command or option. */
    record Step(BsdPlatform platform, String call, int fd, int what, int errno, Errno name) {
        @Override
        public String toString() {
            return platform.flavour() + " " + call + "(" + fd + ", " + what + ")";
        }
    }

    static Stream<Arguments> steps() {
        List<Step> steps = new ArrayList<>();
        for (BsdPlatform p : List.of(MACOS, DRAGONFLY)) {
            for (int fd : new int[] {MockLibc.FD0, MockLibc.FD1}) {
                // F_GETFL, F_SETFL, F_GETFD, F_SETFD, then SO_NOSIGPIPE
                steps.add(new Step(p, "fcntl", fd, 3, 9, Errno.EBADF));
                steps.add(new Step(p, "fcntl", fd, 4, 22, Errno.EINVAL));
                steps.add(new Step(p, "fcntl", fd, 1, 24, Errno.EMFILE));
                steps.add(new Step(p, "fcntl", fd, 2, 12, Errno.ENOMEM));
                steps.add(new Step(p, "setsockopt", fd, p == MACOS ? 0x1022 : 0x0800, 55, Errno.ENOBUFS));
            }
        }
        for (BsdPlatform p : List.of(FREEBSD, NETBSD)) {
            for (int fd : new int[] {MockLibc.FD0, MockLibc.FD1}) {
                steps.add(new Step(p, "setsockopt", fd, 0x0800, 42, Errno.ENOPROTOOPT));
            }
        }
        return steps.stream().map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("steps")
    void bothDescriptorsAreClosedWhenAStepFails(Step s) throws Exception {
        MockLibc m = new MockLibc();
        if (s.call().equals("fcntl")) {
            doReturn(-1).when(m.libc).fcntl(eq(s.fd()), eq(s.what()), anyInt());
        } else {
            doReturn(-1).when(m.libc).setsockopt(eq(s.fd()), eq(0xffff), eq(s.what()), anyLong(), anyInt());
        }
        doReturn(s.errno()).when(m.libc).errno();
        BsdBackend b = m.backend(s.platform());
        Set<SocketFlag> flags = EnumSet.of(SocketFlag.NONBLOCK, SocketFlag.CLOEXEC);

        SocketPairException e = assertThrows(SocketPairException.class,
                () -> b.open(Domain.UNIX, SocketType.STREAM, 0, flags));

        assertEquals(s.call(), e.call());
        assertEquals(s.name(), e.errno());
        assertEquals(s.errno(), e.nativeErrno());
        verify(m.libc, times(1)).close(MockLibc.FD0);
        verify(m.libc, times(1)).close(MockLibc.FD1);
        // The two mocked numbers are all the backend opened, each closed once: nothing else to count (the real
        // process's descriptors never change under a mocked libc, while the JVM's own come and go).
        verify(m.libc, times(2)).close(anyInt());
    }

    @Test
    void aFailingCloseDuringCleanupIsSuppressedAndTheOtherStillClosed() throws Exception {
        MockLibc m = new MockLibc();
        doReturn(-1).when(m.libc).fcntl(eq(MockLibc.FD1), eq(2), anyInt()); // F_SETFD on the second end
        doReturn(-1).when(m.libc).close(MockLibc.FD0);
        doAnswer(i -> 22).doAnswer(i -> 5).when(m.libc).errno(); // EINVAL from fcntl, EIO from close
        BsdBackend b = m.backend(MACOS);

        SocketPairException e = assertThrows(SocketPairException.class,
                () -> b.open(Domain.UNIX, SocketType.DGRAM, 0, EnumSet.of(SocketFlag.CLOEXEC)));

        assertEquals("fcntl", e.call());
        assertEquals(Errno.EINVAL, e.errno());
        assertEquals(1, e.getSuppressed().length);
        SocketPairException closeError = (SocketPairException) e.getSuppressed()[0];
        assertEquals("close", closeError.call());
        assertEquals(Errno.EIO, closeError.errno());
        verify(m.libc, times(1)).close(MockLibc.FD0);
        verify(m.libc, times(1)).close(MockLibc.FD1);
    }

    @Test
    void nothingIsClosedWhenSocketpairItselfFails() {
        for (BsdPlatform p : List.of(MACOS, FREEBSD, DRAGONFLY, NETBSD)) {
            MockLibc m = new MockLibc();
            m.failSocketpair(24);
            BsdBackend b = m.backend(p);
            SocketPairException e = assertThrows(SocketPairException.class,
                    () -> b.open(Domain.UNIX, SocketType.STREAM, 0, EnumSet.of(SocketFlag.NONBLOCK)));
            assertEquals(Errno.EMFILE, e.errno());
            verify(m.libc, never()).close(anyInt());
            verify(m.libc, never()).fcntl(anyInt(), anyInt(), anyInt());
            verify(m.libc, never()).setsockopt(anyInt(), anyInt(), anyInt(), anyLong(), anyInt());
        }
    }

    @Test
    void theProbeClosesWhatItOpened() {
        MockLibc m = new MockLibc();
        BsdBackend b = m.backend(FREEBSD);
        assertTrue(b.probe() == b);
        verify(m.libc).socketpair(eq(1), eq(1 | 0x10000000), eq(0), anyLong());
        verify(m.libc).close(MockLibc.FD0);
        verify(m.libc).close(MockLibc.FD1);
    }
}
