package io.github.jsocketpair.bsd;

import io.github.jsocketpair.Domain;
import io.github.jsocketpair.Errno;
import io.github.jsocketpair.PeerCredentials;
import io.github.jsocketpair.SocketFlag;
import io.github.jsocketpair.SocketPairException;
import io.github.jsocketpair.SocketType;
import io.github.jsocketpair.bsd.jna.BsdLibc;
import io.github.jsocketpair.bsd.jna.NetBsdConstants;
import io.github.jsocketpair.internal.NativeConstants;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.EnumSet;
import java.util.OptionalLong;
import java.util.Set;

/**
 * NetBSD: atomic {@code SOCK_NONBLOCK}/{@code SOCK_CLOEXEC} and {@code SOCK_NOSIGPIPE} on every pair; peer
 * credentials through {@code LOCAL_PEEREID} ({@code struct unpcbid}). NetBSD fills {@code unp_connid} only in
 * {@code connect(2)} ({@code UNP_EIDSVALID}); nothing shows {@code socketpair} filling it, so the capability is not
 * claimed, though the call is made and its answer reported.
 */
public final class NetBsdBackend extends BsdBackend {

    /**
     * Creates the backend; the test seam.
     *
     * @param libc the binding
     * @param platform a NetBSD platform
     */
    public NetBsdBackend(BsdLibc libc, BsdPlatform platform) {
        this(libc, platform, NetBsdConstants.create(platform));
    }

    private NetBsdBackend(BsdLibc libc, BsdPlatform platform, NativeConstants c) {
        super(libc, platform, c, capabilities(c, EnumSet.allOf(SocketType.class), false, false), detail(platform, ""));
    }

    @Override
    SocketPairException refuseClofork(Domain domain, SocketType type, int protocol, Set<SocketFlag> flags) {
        if (platform.version().atLeast(NetBsdConstants.CLOFORK_SINCE_MAJOR, 0)) {
            return unverifiedClofork(domain, type, protocol, flags, "NetBSD 11");
        }
        // Without the value of the bit, what NetBSD 10 does with it cannot be told (inside SOCK_FLAGS_MASK or not):
        // EINVAL, as for any type bit the library cannot pass.
        return refusal(Errno.EINVAL, domain, type, protocol, flags, "SocketFlag.CLOFORK is not available on "
                + platform.describe() + ": close-on-fork arrives with NetBSD 11 (NetBSD-current since July 2025)");
    }

    @Override
    protected PeerCredentials peerCredentials(int fd, SocketType type) throws IOException {
        return withPeereidFallback(fd, () -> {
            ByteBuffer id;
            try {
                id = getOption(fd, NetBsdConstants.SOL_LOCAL, NetBsdConstants.LOCAL_PEEREID,
                        NetBsdConstants.UNPCBID_SIZE, "LOCAL_PEEREID");
            } catch (SocketPairException e) {
                if (e.errno() == Errno.EINVAL) {
                    // uipc_ctloutput: EINVAL unless UNP_EIDSVALID, which only connect(2) sets
                    throw noCredentials(type, "NetBSD records LOCAL_PEEREID only for sockets connected with "
                            + "connect(2)");
                }
                throw e;
            }
            if (id.capacity() < NetBsdConstants.UNPCBID_SIZE) {
                throw new IllegalStateException("LOCAL_PEEREID returned " + id.capacity() + " bytes");
            }
            int pid = id.getInt(NetBsdConstants.UNPCBID_PID);
            return new PeerCredentials(pid > 0 ? OptionalLong.of(pid) : OptionalLong.empty(),
                    Integer.toUnsignedLong(id.getInt(NetBsdConstants.UNPCBID_EUID)),
                    Integer.toUnsignedLong(id.getInt(NetBsdConstants.UNPCBID_EGID)));
        });
    }
}
