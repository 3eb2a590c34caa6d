package io.github.jsocketpair.bsd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

import io.github.jsocketpair.Domain;
import io.github.jsocketpair.Errno;
import io.github.jsocketpair.SocketFlag;
import io.github.jsocketpair.SocketPairException;
import io.github.jsocketpair.SocketType;
import io.github.jsocketpair.internal.NativeConstants;
import java.util.EnumSet;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** errno number to {@link Errno}, per flavour, both through the table and through a failing socketpair. */
class ErrnoTableTest {

    static BsdPlatform platform(BsdFlavour f) {
        return BsdPlatform.of(f, switch (f) {
            case FREEBSD -> "14.1-RELEASE";
            case NETBSD -> "10.0";
            case OPENBSD -> "7.8";
            case DRAGONFLY -> "6.4-RELEASE";
            case MACOS -> "14.5";
        }, BsdArch.X86_64);
    }

    static NativeConstants constants(BsdFlavour f) {
        return BsdBackend.create(new MockLibc().libc, platform(f)).table();
    }

    @ParameterizedTest
    @EnumSource(BsdFlavour.class)
    void tableIsExactlyTheReference(BsdFlavour f) {
        NativeConstants c = constants(f);
        Map<Errno, Integer> want = Reference.errnos(f);
        assertEquals(want, c.errnoTable(), f + ": name -> number");
        want.forEach((name, number) -> assertEquals(name, c.toErrno(number), f + ": " + number));
        assertEquals(Errno.UNKNOWN, c.toErrno(11), f + ": 11 is EDEADLK on the BSDs, not EAGAIN");
        assertEquals(Errno.UNKNOWN, c.toErrno(9999), f.toString());
    }

    /** Reference §3: the errors socketpair and its companions report, with each BSD column's numbers. */
    static final String SECTION_3 = "EAFNOSUPPORT EFAULT EMFILE ENFILE EOPNOTSUPP EPROTONOSUPPORT EPROTOTYPE EACCES "
            + "ENOBUFS ENOMEM EINVAL EAGAIN EPIPE ECONNRESET EBADF EMSGSIZE ENOTCONN ESOCKTNOSUPPORT";

    @ParameterizedTest
    @EnumSource(BsdFlavour.class)
    void aFailedSocketpairReportsTheName(BsdFlavour f) {
        MockLibc m = new MockLibc();
        BsdBackend b = m.backend(platform(f));
        for (String n : SECTION_3.split(" ")) {
            Errno name = Errno.valueOf(n);
            int number = Reference.errnos(f).get(name);
            m.failSocketpair(number);
            SocketPairException e = assertThrows(SocketPairException.class,
                    () -> b.open(Domain.UNIX, SocketType.STREAM, 0, EnumSet.noneOf(SocketFlag.class)));
            assertEquals(name, e.errno(), f + " " + number);
            assertEquals(number, e.nativeErrno(), f + " " + n);
            assertEquals("socketpair", e.call());
            assertTrue(e.getMessage().contains("errno " + number + " (" + n + ")"), e.getMessage());
        }
        verify(m.libc, never()).close(anyInt());
    }

    @ParameterizedTest
    @EnumSource(BsdFlavour.class)
    void eintrIsRetried(BsdFlavour f) throws Exception {
        MockLibc m = new MockLibc();
        BsdBackend b = m.backend(platform(f));
        m.socketpairFailsOnce(4); // EINTR
        b.open(Domain.UNIX, SocketType.STREAM, 0, EnumSet.noneOf(SocketFlag.class));
        verify(m.libc, times(2)).socketpair(anyInt(), anyInt(), anyInt(), anyLong());
    }

    /** OpenBSD errno.h 1.25 (reference §12.2): EOVERFLOW 87 and ENOTSUP 91, the latter apart from EOPNOTSUPP 45. */
    @org.junit.jupiter.api.Test
    void openBsdNamesEoverflowAndEnotsup() {
        MockLibc m = new MockLibc();
        BsdBackend b = m.backend(platform(BsdFlavour.OPENBSD));
        int[][] cases = {{87, Errno.EOVERFLOW.ordinal()}, {91, Errno.ENOTSUP.ordinal()}, {45,
            Errno.EOPNOTSUPP.ordinal()}};
        for (int[] c : cases) {
            m.failSocketpair(c[0]);
            SocketPairException e = assertThrows(SocketPairException.class,
                    () -> b.open(Domain.UNIX, SocketType.STREAM, 0, EnumSet.noneOf(SocketFlag.class)));
            assertEquals(Errno.values()[c[1]], e.errno(), "OpenBSD " + c[0]);
            assertEquals(c[0], e.nativeErrno());
        }
        assertEquals(87, b.table().nativeErrno(Errno.EOVERFLOW));
        assertEquals(91, b.table().nativeErrno(Errno.ENOTSUP));
    }
}
