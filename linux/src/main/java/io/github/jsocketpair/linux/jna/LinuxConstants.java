package io.github.jsocketpair.linux.jna;

import io.github.jsocketpair.internal.NativeConstants;
import io.github.jsocketpair.linux.LinuxArch;

/**
 * Linux socket, fcntl and poll numbers and struct layouts per architecture family. Values and citations:
 * ../shared/reference/native-constants.md (keys K1-K14, GL-*, RT); each group names its header.
 */
public final class LinuxConstants {
    private LinuxConstants() {
    }

    /** {@code SO_PEERCRED}: generic 17 [K2], mips 18 [K4], powerpc 21 [K8]. */
    public static int soPeercred(LinuxArch arch) {
        return switch (arch.family()) {
            case GENERIC -> 17;
            case POWERPC -> 21;
            case MIPS -> 18;
        };
    }

    /** {@code SCM_CREDENTIALS} [K1]: a {@code struct ucred} (12 bytes) when the receiver has SO_PASSCRED set. */
    public static final int SCM_CREDENTIALS = 2;

    /** {@code sizeof(struct ucred)}: pid, uid, gid, 32 bits each, on every architecture [K1]. */
    public static final int UCRED_SIZE = 12;

    // <uapi/linux/eventpoll.h> [K1 tree]: the same on every architecture
    public static final int EPOLLIN = 0x001;
    public static final int EPOLLOUT = 0x004;
    public static final int EPOLLERR = 0x008;
    public static final int EPOLLHUP = 0x010;
    public static final int EPOLLRDHUP = 0x2000;
    public static final int EPOLLONESHOT = 1 << 30;
    public static final int EPOLL_CTL_ADD = 1;
    public static final int EPOLL_CTL_DEL = 2;
    public static final int EPOLL_CTL_MOD = 3;

    /**
     * sizeof(struct epoll_event) { __u32 events; __u64 data; }: 12 on x86-64, where the uapi header packs it
     * ({@code EPOLL_PACKED}), and on i386, whose ABI aligns a 64-bit member at 4; 16 elsewhere.
     */
    public static int epollEventSize(LinuxArch arch) {
        return arch == LinuxArch.X86_64 || arch == LinuxArch.X86 ? 12 : 16;
    }

    /** offsetof(struct epoll_event, data): 4 where the struct is 12 bytes, else 8. */
    public static int epollDataOffset(LinuxArch arch) {
        return epollEventSize(arch) - 8;
    }

    /** The complete, frozen-ready table for {@code arch}. */
    public static NativeConstants forArch(LinuxArch arch) {
        NativeConstants c = new NativeConstants();
        // <linux/socket.h> [K1]: the same on every architecture
        c.AF_UNIX = 1;
        c.AF_TIPC = 30;
        c.MSG_OOB = 0x1;
        c.MSG_PEEK = 0x2;
        c.MSG_CTRUNC = 0x8;
        c.MSG_TRUNC = 0x20;
        c.MSG_DONTWAIT = 0x40;
        c.MSG_EOR = 0x80;
        c.MSG_WAITALL = 0x100;
        c.MSG_NOSIGNAL = 0x4000;
        c.MSG_CMSG_CLOEXEC = 0x40000000;
        c.SCM_RIGHTS = 1;
        c.scmPidfd(4); // SCM_PIDFD, Linux 6.5+, only with SO_PASSPIDFD
        // <linux/net.h> enum sock_shutdown_cmd [K3]
        c.SHUT_RD = 0;
        c.SHUT_WR = 1;
        c.SHUT_RDWR = 2;
        // <asm-generic/fcntl.h>, <linux/fcntl.h> [K9]; mips overrides O_NONBLOCK only [K10]
        c.F_GETFD = 1;
        c.F_SETFD = 2;
        c.F_GETFL = 3;
        c.F_SETFL = 4;
        c.FD_CLOEXEC = 1;
        c.F_DUPFD_CLOEXEC = 1030; // F_LINUX_SPECIFIC_BASE (1024) + 6
        // <asm-generic/poll.h> [K13]; mips' poll.h differs only in POLLWRNORM and friends
        c.POLLIN = 0x1;
        c.POLLOUT = 0x4;
        c.POLLERR = 0x8;
        c.POLLHUP = 0x10;
        c.POLLNVAL = 0x20;
        c.POLLRDHUP = 0x2000; // the same on every architecture here; only sparc differs (0x800)
        // Linux has neither SOCK_CLOFORK (an unmerged patch series only) nor SOCK_NOSIGPIPE/SO_NOSIGPIPE:
        // every send passes MSG_NOSIGNAL instead.
        c.SOCK_CLOFORK = 0;
        c.SOCK_NOSIGPIPE = 0;
        c.SO_NOSIGPIPE = NativeConstants.ABSENT;
        switch (arch.family()) {
            case GENERIC, POWERPC -> generic(c);
            case MIPS -> mips(c);
            default -> throw new AssertionError(arch);
        }
        // Optional options. SO_PASSCRED/SO_RCVLOWAT are among powerpc's renumbered 16..21 [K2, K4, K8];
        // SO_PEEK_OFF 42 (3.4+) and SO_PEERPIDFD 77 (6.5+) are the same in asm-generic and mips' own socket.h.
        // SCM_CREDENTIALS 2 [K1] carries struct ucred.
        switch (arch.family()) {
            case GENERIC -> c.passCredentials(c.SOL_SOCKET, 16, SCM_CREDENTIALS).soRcvlowat(18);
            case POWERPC -> c.passCredentials(c.SOL_SOCKET, 20, SCM_CREDENTIALS).soRcvlowat(16);
            case MIPS -> c.passCredentials(c.SOL_SOCKET, 17, SCM_CREDENTIALS).soRcvlowat(0x1004);
            default -> throw new AssertionError(arch);
        }
        c.soPeekOff(42).soPeerPidfd(77);
        // The JDK's INTERRUPT_SIGNAL, __SIGRTMAX - 2 (its NativeThread.c): glibc's __SIGRTMAX is 64 where the kernel
        // has 64 signals (bits/signum-generic.h), and glibc's struct sigaction starts with the handler there. mips
        // has 128 signals and puts sa_flags first (its bits/sigaction.h): left out, those threads wait in poll(2).
        if (arch.family() != LinuxArch.Family.MIPS) {
            c.interruptSignal(64 - 2);
        }
        // struct msghdr/cmsghdr use size_t lengths on Linux (kernel struct user_msghdr, glibc bits/socket.h; musl's
        // int + padding is byte-identical on both endiannesses); CMSG_ALIGN is sizeof(size_t) [K1, GL-sock, MU-sock].
        int p = arch.pointerSize();
        c.naturalLayout(p, p, p);
        c.iovMax = 1024; // UIO_MAXIOV [K14]
        c.maxFdsPerMessage = 253; // SCM_MAX_FD, include/net/scm.h
        LinuxErrno.fill(c, arch);
        return c;
    }

    // asm-generic (x86, arm, arm64, riscv, s390, loongarch) and powerpc, whose SO_* differ only in 16..21 [K2, K3, K8]
    private static void generic(NativeConstants c) {
        c.SOCK_STREAM = 1;
        c.SOCK_DGRAM = 2;
        c.SOCK_SEQPACKET = 5;
        c.SOCK_NONBLOCK = 0x800; // O_NONBLOCK, 04000
        c.SOCK_CLOEXEC = 0x80000; // O_CLOEXEC, 02000000
        c.O_NONBLOCK = 0x800;
        c.SOL_SOCKET = 1;
        c.SO_TYPE = 3;
        c.SO_ERROR = 4;
        c.SO_SNDBUF = 7;
        c.SO_RCVBUF = 8;
        c.SO_PROTOCOL = 38;
        c.SO_DOMAIN = 39;
    }

    // arch/mips/include/uapi/asm/socket.h + asm/socket.h (ARCH_HAS_SOCKET_TYPES) [K4], asm/fcntl.h [K10]
    private static void mips(NativeConstants c) {
        c.SOCK_DGRAM = 1; // mips swaps STREAM and DGRAM
        c.SOCK_STREAM = 2;
        c.SOCK_SEQPACKET = 5;
        c.SOCK_NONBLOCK = 0x80; // O_NONBLOCK, 0200 on mips
        c.SOCK_CLOEXEC = 0x80000;
        c.O_NONBLOCK = 0x80;
        c.SOL_SOCKET = 0xffff;
        c.SO_SNDBUF = 0x1001;
        c.SO_RCVBUF = 0x1002;
        c.SO_ERROR = 0x1007;
        c.SO_TYPE = 0x1008;
        c.SO_PROTOCOL = 0x1028;
        c.SO_DOMAIN = 0x1029;
    }
}
