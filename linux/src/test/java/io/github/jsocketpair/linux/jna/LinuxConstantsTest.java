package io.github.jsocketpair.linux.jna;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.jsocketpair.Errno;
import io.github.jsocketpair.internal.NativeConstants;
import io.github.jsocketpair.linux.LinuxArch;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every number of the Linux tables against ../shared/reference/native-constants.md. The expected values are written
 * here from the reference (section in each comment), never read from the code under test.
 */
class LinuxConstantsTest {

    /** The reference's three Linux columns that JNA's architectures use. */
    enum Column {
        GENERIC, POWERPC, MIPS
    }

    /** §0.3: generic = x86, x86_64, arm, aarch64, riscv64, s390x, loongarch64; powerpc; mips for mips64el. */
    private static Column columnOf(LinuxArch arch) {
        return switch (arch) {
            case X86, X86_64, ARM, AARCH64, RISCV64, S390X, LOONGARCH64 -> Column.GENERIC;
            case PPC, PPC64LE -> Column.POWERPC;
            case MIPS64EL -> Column.MIPS;
        };
    }

    private static boolean lp64(LinuxArch arch) {
        return switch (arch) {
            case X86, ARM, PPC -> false;
            default -> true;
        };
    }

    private static Map<String, Integer> expected(LinuxArch arch) {
        Column col = columnOf(arch);
        boolean mips = col == Column.MIPS;
        Map<String, Integer> m = new LinkedHashMap<>();
        // §1 address families
        m.put("AF_UNIX", 1);
        m.put("AF_TIPC", 30);
        // §2.1 types (mips swaps STREAM and DGRAM), §2.2 atomic flags (Linux has no CLOFORK, no SOCK_NOSIGPIPE)
        m.put("SOCK_STREAM", mips ? 2 : 1);
        m.put("SOCK_DGRAM", mips ? 1 : 2);
        m.put("SOCK_SEQPACKET", 5);
        m.put("SOCK_NONBLOCK", mips ? 0x80 : 0x800);
        m.put("SOCK_CLOEXEC", 0x80000);
        m.put("SOCK_CLOFORK", 0);
        m.put("SOCK_NOSIGPIPE", 0);
        // §6 MSG_* (identical on every Linux arch)
        m.put("MSG_OOB", 0x1);
        m.put("MSG_PEEK", 0x2);
        m.put("MSG_DONTWAIT", 0x40);
        m.put("MSG_WAITALL", 0x100);
        m.put("MSG_TRUNC", 0x20);
        m.put("MSG_CTRUNC", 0x08);
        m.put("MSG_EOR", 0x80);
        m.put("MSG_NOSIGNAL", 0x4000);
        m.put("MSG_CMSG_CLOEXEC", 0x40000000);
        // §5.1 socket options (powerpc differs only in 16..21, none of these); no SO_NOSIGPIPE on Linux
        m.put("SOL_SOCKET", mips ? 0xffff : 1);
        m.put("SO_TYPE", mips ? 0x1008 : 3);
        m.put("SO_DOMAIN", mips ? 0x1029 : 39);
        m.put("SO_PROTOCOL", mips ? 0x1028 : 38);
        m.put("SO_ERROR", mips ? 0x1007 : 4);
        m.put("SO_SNDBUF", mips ? 0x1001 : 7);
        m.put("SO_RCVBUF", mips ? 0x1002 : 8);
        m.put("SO_NOSIGPIPE", NativeConstants.ABSENT);
        // §7
        m.put("SCM_RIGHTS", 1);
        m.put("SHUT_RD", 0);
        m.put("SHUT_WR", 1);
        m.put("SHUT_RDWR", 2);
        // §4 fcntl
        m.put("F_GETFD", 1);
        m.put("F_SETFD", 2);
        m.put("F_GETFL", 3);
        m.put("F_SETFL", 4);
        m.put("FD_CLOEXEC", 1);
        m.put("O_NONBLOCK", mips ? 0x80 : 0x800);
        m.put("F_DUPFD_CLOEXEC", 1030);
        // §8.6 poll (mips and generic agree on these)
        m.put("POLLIN", 0x001);
        m.put("POLLOUT", 0x004);
        m.put("POLLERR", 0x008);
        m.put("POLLHUP", 0x010);
        m.put("POLLNVAL", 0x020);
        m.put("POLLRDHUP", 0x2000); // <asm-generic/poll.h>; mips and powerpc keep it
        // §3 errno numbers the shared logic acts on
        m.put("EINTR", 4);
        m.put("EAGAIN", 11);
        m.put("EWOULDBLOCK", 11);
        // §8.1, §8.2, §8.3: Linux LP64 msghdr 56 bytes with size_t lengths, ILP32 28 bytes
        boolean lp = lp64(arch);
        m.put("pointerSize", lp ? 8 : 4);
        m.put("msghdrSize", lp ? 56 : 28);
        m.put("msgIovOffset", lp ? 16 : 8);
        m.put("msgIovlenOffset", lp ? 24 : 12);
        m.put("msgIovlenSize", lp ? 8 : 4);
        m.put("msgControlOffset", lp ? 32 : 16);
        m.put("msgControllenOffset", lp ? 40 : 20);
        m.put("msgControllenSize", lp ? 8 : 4);
        m.put("msgFlagsOffset", lp ? 48 : 24);
        m.put("cmsgLenSize", lp ? 8 : 4);
        m.put("cmsgAlign", lp ? 8 : 4);
        m.put("iovMax", 1024); // UIO_MAXIOV [K14]
        m.put("maxFdsPerMessage", 253); // SCM_MAX_FD (§8.2)
        return m;
    }

    @ParameterizedTest
    @EnumSource(LinuxArch.class)
    void everyFieldMatchesTheReference(LinuxArch arch) throws ReflectiveOperationException {
        NativeConstants c = LinuxConstants.forArch(arch).freeze();
        Map<String, Integer> want = expected(arch);
        List<Executable> checks = new ArrayList<>();
        for (var e : want.entrySet()) {
            int actual = NativeConstants.class.getField(e.getKey()).getInt(c);
            checks.add(() -> assertEquals(e.getValue(), actual, arch + " " + e.getKey()));
        }
        // Every public int field of the table is checked here: a new one must get its reference value too.
        for (var f : NativeConstants.class.getFields()) {
            if (f.getType() == int.class && !java.lang.reflect.Modifier.isStatic(f.getModifiers())) {
                checks.add(() -> assertEquals(true, want.containsKey(f.getName()), "no expected value for "
                        + f.getName()));
            }
        }
        assertAll(checks);
    }

    @ParameterizedTest
    @EnumSource(LinuxArch.class)
    void derivedSizes(LinuxArch arch) {
        NativeConstants c = LinuxConstants.forArch(arch);
        boolean lp = lp64(arch);
        // §8.2: LP64 cmsghdr 16, CMSG_LEN(4) 20, CMSG_SPACE(4) 24, CMSG_SPACE(8) 24; ILP32 12 / 16 / 16 / 20
        assertEquals(lp ? 16 : 12, c.cmsgHeaderSize());
        assertEquals(lp ? 20 : 16, c.cmsgLen(4));
        assertEquals(lp ? 24 : 16, c.cmsgSpace(4));
        assertEquals(lp ? 24 : 20, c.cmsgSpace(8));
        assertEquals(lp ? 16 : 8, c.iovecSize()); // §8.3
    }

    @ParameterizedTest
    @EnumSource(LinuxArch.class)
    void soPeercred(LinuxArch arch) {
        // §5.1: generic 17, mips 18, powerpc 21
        int want = switch (columnOf(arch)) {
            case GENERIC -> 17;
            case POWERPC -> 21;
            case MIPS -> 18;
        };
        assertEquals(want, LinuxConstants.soPeercred(arch));
    }

    /** §3, Linux generic and Linux mips columns (powerpc uses the generic numbers for all of these). */
    private static Map<Errno, Integer> expectedErrno(boolean mips) {
        Map<Errno, Integer> m = new LinkedHashMap<>();
        m.put(Errno.EAFNOSUPPORT, mips ? 124 : 97);
        m.put(Errno.EFAULT, 14);
        m.put(Errno.EMFILE, 24);
        m.put(Errno.ENFILE, 23);
        m.put(Errno.EOPNOTSUPP, mips ? 122 : 95);
        m.put(Errno.EPROTONOSUPPORT, mips ? 120 : 93);
        m.put(Errno.EPROTOTYPE, mips ? 98 : 91);
        m.put(Errno.EACCES, 13);
        m.put(Errno.ENOBUFS, mips ? 132 : 105);
        m.put(Errno.ENOMEM, 12);
        m.put(Errno.EINVAL, 22);
        m.put(Errno.EAGAIN, 11);
        m.put(Errno.EINTR, 4);
        m.put(Errno.EPIPE, 32);
        m.put(Errno.ECONNRESET, mips ? 131 : 104);
        m.put(Errno.EBADF, 9);
        m.put(Errno.EMSGSIZE, mips ? 97 : 90);
        m.put(Errno.ENOTCONN, mips ? 134 : 107);
        m.put(Errno.ESOCKTNOSUPPORT, mips ? 121 : 94);
        return m;
    }

    @ParameterizedTest
    @EnumSource(LinuxArch.class)
    void errnoTableMatchesTheReference(LinuxArch arch) {
        NativeConstants c = LinuxConstants.forArch(arch);
        List<Executable> checks = new ArrayList<>();
        for (var e : expectedErrno(columnOf(arch) == Column.MIPS).entrySet()) {
            checks.add(() -> assertEquals(e.getValue(), c.nativeErrno(e.getKey()), arch + " " + e.getKey()));
            checks.add(() -> assertEquals(e.getKey(), c.toErrno(e.getValue()), arch + " errno " + e.getValue()));
        }
        assertAll(checks);
    }

    @ParameterizedTest
    @EnumSource(value = LinuxArch.class, names = {"X86_64", "PPC64LE"})
    void mipsNumbersAreNotUsedElsewhere(LinuxArch arch) {
        NativeConstants c = LinuxConstants.forArch(arch);
        // 122 and 124 are mips' EOPNOTSUPP and EAFNOSUPPORT; on generic Linux they are other errors (EDQUOT 122,
        // EPFNOSUPPORT 124 in asm-generic/errno.h) that this library has no name for.
        assertEquals(Errno.UNKNOWN, c.toErrno(122));
        assertEquals(Errno.UNKNOWN, c.toErrno(124));
    }
}
