package io.github.jsocketpair.linux;

import io.github.jsocketpair.BackendInfo;
import io.github.jsocketpair.Capabilities;
import io.github.jsocketpair.Domain;
import io.github.jsocketpair.Errno;
import io.github.jsocketpair.PeerCredentials;
import io.github.jsocketpair.SocketFlag;
import io.github.jsocketpair.SocketType;
import io.github.jsocketpair.internal.PosixBackend;
import io.github.jsocketpair.internal.Readiness;
import io.github.jsocketpair.internal.spawn.SpawnLibc;
import io.github.jsocketpair.linux.jna.LinuxConstants;
import io.github.jsocketpair.linux.jna.LinuxLibc;
import io.github.jsocketpair.linux.jna.LinuxSpawn;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.EnumSet;
import java.util.OptionalLong;

/**
 * The Linux backend: the shared POSIX logic over glibc/musl with this architecture's constants. What is Linux's
 * own: {@code AF_TIPC}, {@code SO_PEERCRED} with {@code struct ucred}, and the explanation of a missing TIPC module.
 */
public final class LinuxBackend extends PosixBackend {
    private final int soPeercred;
    private final LinuxLibc linuxLibc;
    private final LinuxArch arch;

    /**
     * Creates the backend over a binding; the constructor is the test seam (unit tests pass a mock).
     *
     * @param libc the binding
     * @param arch the architecture whose constants apply
     * @param os the OS description, e.g. {@code "Linux 6.18"}
     */
    public LinuxBackend(LinuxLibc libc, LinuxArch arch, String os) {
        super(libc, LinuxConstants.forArch(arch), new BackendInfo("linux", os, arch.label(),
                libc.binding() + ", " + arch.family().name().toLowerCase(java.util.Locale.ROOT)
                        + " constants, " + (arch.pointerSize() * 8) + "-bit",
                "", capabilities()));
        this.soPeercred = LinuxConstants.soPeercred(arch);
        this.linuxLibc = libc;
        this.arch = arch;
    }

    @Override
    protected Readiness readiness() throws IOException {
        return new LinuxEpoll(linuxLibc, c, arch);
    }

    /** An eventfd: one number, both ends of the wake-up; EFD_CLOEXEC and EFD_NONBLOCK are O_CLOEXEC and O_NONBLOCK. */
    @Override
    protected int[] openWakeup() throws IOException {
        int fd = linuxLibc.eventfd(0, c.SOCK_CLOEXEC | c.O_NONBLOCK);
        if (fd < 0) {
            int e = linuxLibc.errno();
            throw new io.github.jsocketpair.SocketPairException("eventfd", c.toErrno(e), e,
                    "EFD_CLOEXEC | EFD_NONBLOCK");
        }
        return new int[] {fd, fd};
    }

    static Capabilities capabilities() {
        return new Capabilities(EnumSet.allOf(Domain.class), EnumSet.allOf(SocketType.class),
                EnumSet.of(SocketFlag.NONBLOCK, SocketFlag.CLOEXEC, SocketFlag.NOSIGPIPE),
                // NOSIGPIPE holds from the first send (every send passes MSG_NOSIGNAL)
                EnumSet.of(SocketFlag.NONBLOCK, SocketFlag.CLOEXEC, SocketFlag.NOSIGPIPE),
                true, 253, true, true);
    }

    @Override
    protected String explainOpenFailure(Domain domain, SocketType type, Errno errno) {
        if (domain == Domain.TIPC && errno == Errno.EAFNOSUPPORT) {
            return "AF_TIPC is not available: the tipc kernel module is not loaded (modprobe tipc)";
        }
        return null;
    }

    /** Binds posix_spawn on first use of {@link io.github.jsocketpair.ChildProcess}, not at backend selection. */
    @Override
    protected SpawnLibc spawnLibc() {
        return LinuxSpawn.load(arch);
    }

    @Override
    protected PeerCredentials peerCredentials(int fd, SocketType type) throws IOException {
        // SO_PEERCRED -> struct ucred { pid_t pid; uid_t uid; gid_t gid; } (12 bytes on every arch) [K1]
        ByteBuffer ucred = getOption(fd, c.SOL_SOCKET, soPeercred, LinuxConstants.UCRED_SIZE, "SO_PEERCRED");
        if (ucred.capacity() < LinuxConstants.UCRED_SIZE) {
            throw new UnsupportedOperationException("the kernel recorded no peer credentials for this " + type
                    + " socket");
        }
        PeerCredentials p = ucred(ucred, 0);
        if (p.pid().isEmpty() && p.uid() == p.gid() && (p.uid() == NO_ID || p.uid() == OVERFLOW_ID)) {
            // A socket with no recorded peer (e.g. AF_TIPC): cred_to_ucred gives pid 0 and uid = gid = -1 when there
            // is no cred (net/core/sock.c, Linux 6.1), the overflow ids where an id cannot be mapped: not credentials.
            throw new UnsupportedOperationException("the kernel recorded no peer credentials for this " + type
                    + " socket");
        }
        return p;
    }

    /** (uid_t) -1: what cred_to_ucred reports when the socket has no peer cred at all. */
    private static final long NO_ID = 0xFFFFFFFFL;
    /** overflowuid/overflowgid, what Linux reports for an id it cannot map (65534 by default). */
    private static final long OVERFLOW_ID = 65534;

    /**
     * Decodes a {@code struct ucred} at {@code at}. Pid 0 is a peer the kernel cannot name in this PID namespace
     * (a container's peer outside it): an empty pid, with its uid and gid.
     */
    static PeerCredentials ucred(ByteBuffer b, int at) {
        int pid = b.getInt(at);
        return new PeerCredentials(pid > 0 ? OptionalLong.of(pid) : OptionalLong.empty(),
                Integer.toUnsignedLong(b.getInt(at + 4)), Integer.toUnsignedLong(b.getInt(at + 8)));
    }

    @Override
    protected PeerCredentials messageCredentials(ByteBuffer control, int at, int length) {
        return length >= LinuxConstants.UCRED_SIZE ? ucred(control, at) : null;
    }

    @Override
    protected int messageCredentialsSize() {
        return LinuxConstants.UCRED_SIZE;
    }
}
