package io.github.jsocketpair.bsd;

import io.github.jsocketpair.Capabilities;
import io.github.jsocketpair.Domain;
import io.github.jsocketpair.Errno;
import io.github.jsocketpair.PeerCredentials;
import io.github.jsocketpair.SocketFlag;
import io.github.jsocketpair.SocketPairException;
import io.github.jsocketpair.SocketType;
import io.github.jsocketpair.bsd.jna.BsdLibc;
import io.github.jsocketpair.bsd.jna.MacOsConstants;
import io.github.jsocketpair.internal.NativeConstants;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.EnumSet;
import java.util.OptionalLong;
import java.util.Set;

/**
 * macOS: no atomic flags (create, then {@code fcntl}; both ends closed if a step fails), {@code SO_NOSIGPIPE} on both
 * ends (and {@code MSG_NOSIGNAL} on sends from macOS 11), no {@code SEQPACKET} pairs, and peer credentials through
 * {@code LOCAL_PEERCRED} plus {@code LOCAL_PEERPID}, for STREAM pairs only.
 */
public final class MacOsBackend extends BsdBackend {

    /**
     * Creates the backend; the test seam.
     *
     * @param libc the binding
     * @param platform a macOS platform
     */
    public MacOsBackend(BsdLibc libc, BsdPlatform platform) {
        this(libc, platform, MacOsConstants.create(platform));
    }

    private MacOsBackend(BsdLibc libc, BsdPlatform platform, NativeConstants c) {
        super(libc, platform, c, macCapabilities(c), detail(platform, "fcntl through JNA varargs"));
    }

    private static Capabilities macCapabilities(NativeConstants constants) {
        Capabilities c = capabilities(constants, EnumSet.of(SocketType.STREAM, SocketType.DGRAM), true, true);
        // Nothing is atomic on macOS: every flag is set after creation (SO_NOSIGPIPE by setsockopt, since
        // MSG_NOSIGNAL is honoured only from macOS 11)
        return new Capabilities(c.domains(), c.types(), c.flags(), EnumSet.noneOf(SocketFlag.class),
                c.descriptorPassing(), c.maxDescriptorsPerMessage(), c.peerCredentials(), c.peerPid());
    }

    @Override
    SocketPairException refuseType(Domain domain, SocketType type, int protocol, Set<SocketFlag> flags) {
        if (type == SocketType.SEQPACKET) {
            // The local domain has no SOCK_SEQPACKET protosw; socreate would answer EPROTONOSUPPORT [XN-kern]
            return refusal(Errno.EPROTONOSUPPORT, domain, type, protocol, flags, "macOS has no SEQPACKET pairs: "
                    + "its local domain offers SOCK_STREAM and SOCK_DGRAM only (SEQPACKET pairs exist on Linux, "
                    + "FreeBSD, NetBSD, OpenBSD and DragonFly)");
        }
        return null;
    }

    @Override
    SocketPairException refuseClofork(Domain domain, SocketType type, int protocol, Set<SocketFlag> flags) {
        // No SOCK_CLOFORK in bsd/sys/socket.h (O_CLOFORK is KERNEL-only); an unknown type bit finds no protosw,
        // which socreate answers with EPROTONOSUPPORT [XN-kern socreate_internal]
        return refusal(Errno.EPROTONOSUPPORT, domain, type, protocol, flags, "SocketFlag.CLOFORK is not available on "
                + platform.describe() + ": macOS has no SOCK_CLOFORK; it exists on FreeBSD 15+, NetBSD 11+, "
                + "OpenBSD 7.8+ and DragonFly 6.5+");
    }

    @Override
    protected PeerCredentials peerCredentials(int fd, SocketType type) throws IOException {
        if (type != SocketType.STREAM) {
            // unp_connect2 fills unp_peercred for SOCK_STREAM socketpairs only [XN-kern l.1563-1572]
            throw noCredentials(type, "macOS records them for STREAM pairs only");
        }
        return withPeereidFallback(fd, () -> {
            ByteBuffer x = getOption(fd, MacOsConstants.SOL_LOCAL, MacOsConstants.LOCAL_PEERCRED,
                    MacOsConstants.XUCRED_SIZE, "LOCAL_PEERCRED");
            ByteBuffer p = getOption(fd, MacOsConstants.SOL_LOCAL, MacOsConstants.LOCAL_PEERPID, 4, "LOCAL_PEERPID");
            int pid = p.capacity() >= 4 ? p.getInt(0) : 0;
            return xucred(x, MacOsConstants.XUCRED_UID, MacOsConstants.XUCRED_NGROUPS, MacOsConstants.XUCRED_GROUPS,
                    pid > 0 ? OptionalLong.of(pid) : OptionalLong.empty(), "LOCAL_PEERCRED");
        });
    }
}
