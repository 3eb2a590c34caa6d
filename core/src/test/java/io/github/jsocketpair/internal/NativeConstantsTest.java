package io.github.jsocketpair.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jsocketpair.Errno;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The table's own rules (every field set, one name per errno number) and the struct layouts it computes, against
 * ../shared/reference/native-constants.md §8.1 and §8.2.
 */
class NativeConstantsTest {

    /** A table with every int field set to 0 and the errnos freeze() requires. */
    private static NativeConstants complete() throws IllegalAccessException {
        NativeConstants c = new NativeConstants();
        for (Field f : NativeConstants.class.getFields()) {
            if (f.getType() == int.class && !Modifier.isStatic(f.getModifiers())) {
                f.setInt(c, 0);
            }
        }
        return c.errno(Errno.EINTR, 4).errno(Errno.EAGAIN, 11).errno(Errno.EBADF, 9).errno(Errno.EINVAL, 22)
                .errno(Errno.EPIPE, 32);
    }

    @Test
    void freezeNamesEveryUnsetField() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> new NativeConstants().freeze());
        for (String name : new String[] {"AF_UNIX", "SOCK_CLOFORK", "MSG_NOSIGNAL", "SO_NOSIGPIPE", "F_DUPFD_CLOEXEC",
            "POLLNVAL", "EWOULDBLOCK", "msghdrSize", "cmsgAlign", "iovMax", "maxFdsPerMessage", "errno EINTR",
            "errno EPIPE"}) {
            assertTrue(e.getMessage().contains(name), name + " in " + e.getMessage());
        }
    }

    @Test
    void freezeAcceptsACompleteTableAndNamesTheOneFieldLeft() throws IllegalAccessException {
        complete().freeze();
        NativeConstants c = complete();
        c.SO_TYPE = NativeConstants.UNSET;
        IllegalStateException e = assertThrows(IllegalStateException.class, c::freeze);
        assertEquals("constants table incomplete: [SO_TYPE]", e.getMessage());
        // ABSENT and 0 are values, not gaps.
        NativeConstants d = complete();
        d.SO_NOSIGPIPE = NativeConstants.ABSENT;
        d.freeze();
    }

    @Test
    void freezeRequiresTheErrnosTheLogicActsOn() throws IllegalAccessException {
        NativeConstants c = new NativeConstants();
        for (Field f : NativeConstants.class.getFields()) {
            if (f.getType() == int.class && !Modifier.isStatic(f.getModifiers())) {
                f.setInt(c, 0);
            }
        }
        c.errno(Errno.EINTR, 4).errno(Errno.EAGAIN, 11).errno(Errno.EBADF, 9).errno(Errno.EINVAL, 22);
        IllegalStateException e = assertThrows(IllegalStateException.class, c::freeze);
        assertEquals("constants table incomplete: [errno EPIPE]", e.getMessage());
    }

    @Test
    void aFrozenTableTakesNoMoreErrnos() throws IllegalAccessException {
        NativeConstants c = complete().freeze();
        assertThrows(IllegalStateException.class, () -> c.errno(Errno.EIO, 5));
    }

    @Test
    void errnoNumbersHaveOneName() {
        NativeConstants c = new NativeConstants().errno(Errno.EINVAL, 22);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> c.errno(Errno.EPIPE, 22));
        assertEquals("errno 22 is both EINVAL and EPIPE", e.getMessage());
        c.errno(Errno.EINVAL, 22); // the same pair again is fine
        assertSame(Errno.EINVAL, c.toErrno(22));
    }

    @Test
    void aNameMayHaveSeveralNumbersTheFirstIsReported() {
        // A table may give one error two numbers (e.g. an old and a new spelling); the first is the one reported.
        NativeConstants c = new NativeConstants().errno(Errno.EOPNOTSUPP, 95).errno(Errno.EOPNOTSUPP, 45);
        assertEquals(95, c.nativeErrno(Errno.EOPNOTSUPP));
        assertSame(Errno.EOPNOTSUPP, c.toErrno(95));
        assertSame(Errno.EOPNOTSUPP, c.toErrno(45));
        assertSame(Errno.UNKNOWN, c.toErrno(12345));
        assertEquals(NativeConstants.ABSENT, c.nativeErrno(Errno.EPIPE));
        Map<Errno, Integer> table = c.errnoTable();
        assertEquals(Map.of(Errno.EOPNOTSUPP, 95), table);
        table.clear();
        assertEquals(95, c.nativeErrno(Errno.EOPNOTSUPP), "errnoTable() is a copy");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        // platform, pointer, length field size, CMSG align; msghdr: size, iov, iovlen(off/size), control,
        // controllen(off/size), flags; cmsghdr size; iovec size   (§8.1, §8.2, §8.3)
        "Linux LP64,   8, 8, 8, 56, 16, 24, 8, 32, 40, 8, 48, 16, 16",
        "BSD LP64,     8, 4, 8, 48, 16, 24, 4, 32, 40, 4, 44, 12, 16",
        "macOS arm64,  8, 4, 4, 48, 16, 24, 4, 32, 40, 4, 44, 12, 16",
        "Linux ILP32,  4, 4, 4, 28,  8, 12, 4, 16, 20, 4, 24, 12,  8",
    })
    void naturalLayout(String platform, int pointer, int len, int align, int size, int iov, int iovlen,
            int iovlenSize, int control, int controllen, int controllenSize, int flags, int cmsghdr, int iovec) {
        NativeConstants c = new NativeConstants().naturalLayout(pointer, len, align);
        assertEquals(pointer, c.pointerSize);
        assertEquals(size, c.msghdrSize, "sizeof(struct msghdr)");
        assertEquals(iov, c.msgIovOffset, "msg_iov");
        assertEquals(iovlen, c.msgIovlenOffset, "msg_iovlen");
        assertEquals(iovlenSize, c.msgIovlenSize);
        assertEquals(control, c.msgControlOffset, "msg_control");
        assertEquals(controllen, c.msgControllenOffset, "msg_controllen");
        assertEquals(controllenSize, c.msgControllenSize);
        assertEquals(flags, c.msgFlagsOffset, "msg_flags");
        assertEquals(len, c.cmsgLenSize);
        assertEquals(align, c.cmsgAlign);
        assertEquals(cmsghdr, c.cmsgHeaderSize(), "sizeof(struct cmsghdr)");
        assertEquals(iovec, c.iovecSize(), "sizeof(struct iovec)");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        // platform, pointer, len, align; CMSG_LEN(4), CMSG_SPACE(4), CMSG_SPACE(8), CMSG_ALIGN(13)   (§8.2)
        "Linux LP64,      8, 8, 8, 20, 24, 24, 16",
        "FreeBSD amd64,   8, 4, 8, 20, 24, 24, 16",
        "macOS,           8, 4, 4, 16, 16, 20, 16",
        "Linux ILP32,     4, 4, 4, 16, 16, 20, 16",
        "DragonFly < 5.7, 8, 4, 4, 16, 16, 20, 16",
    })
    void cmsgMacros(String platform, int pointer, int len, int align, int len4, int space4, int space8, int align13) {
        NativeConstants c = new NativeConstants().naturalLayout(pointer, len, align);
        assertEquals(len4, c.cmsgLen(4), "CMSG_LEN(4)");
        assertEquals(space4, c.cmsgSpace(4), "CMSG_SPACE(4)");
        assertEquals(space8, c.cmsgSpace(8), "CMSG_SPACE(8)");
        assertEquals(align13, c.cmsgAlign(13), "CMSG_ALIGN(13)");
        assertEquals(c.cmsgAlign(c.cmsgHeaderSize()) + 4 * 253, c.cmsgLen(4 * 253));
    }
}
