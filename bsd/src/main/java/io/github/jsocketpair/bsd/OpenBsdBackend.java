package io.github.jsocketpair.bsd;

import io.github.jsocketpair.Domain;
import io.github.jsocketpair.Errno;
import io.github.jsocketpair.PeerCredentials;
import io.github.jsocketpair.SocketFlag;
import io.github.jsocketpair.SocketPairException;
import io.github.jsocketpair.SocketType;
import io.github.jsocketpair.bsd.jna.BsdLibc;
import io.github.jsocketpair.bsd.jna.OpenBsdConstants;
import io.github.jsocketpair.internal.NativeConstants;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.EnumSet;
import java.util.OptionalLong;
import java.util.Set;

/**
 * OpenBSD: atomic {@code SOCK_NONBLOCK}/{@code SOCK_CLOEXEC}, and {@code SOCK_CLOFORK} from 7.8; no
 * {@code SO_NOSIGPIPE}, so every send passes {@code MSG_NOSIGNAL}; peer credentials through {@code SO_PEERCRED}
 * ({@code struct sockpeercred}: uid, gid, pid), which {@code uipc_connect2} fills for every pair, DGRAM included
 * [OB-uipc].
 */
public final class OpenBsdBackend extends BsdBackend {

    /**
     * Creates the backend; the test seam.
     *
     * @param libc the binding
     * @param platform an OpenBSD platform
     */
    public OpenBsdBackend(BsdLibc libc, BsdPlatform platform) {
        this(libc, platform, OpenBsdConstants.create(platform));
    }

    private OpenBsdBackend(BsdLibc libc, BsdPlatform platform, NativeConstants c) {
        super(libc, platform, c, capabilities(c, EnumSet.allOf(SocketType.class), true, true),
                detail(platform, ""));
    }

    @Override
    SocketPairException refuseClofork(Domain domain, SocketType type, int protocol, Set<SocketFlag> flags) {
        // Before 7.8, sys_socketpair strips only SOCK_CLOEXEC/SOCK_NONBLOCK and socreate answers a type it has no
        // protocol for with EPROTONOSUPPORT (sys/kern/uipc_syscalls.c, uipc_socket.c)
        return refusal(Errno.EPROTONOSUPPORT, domain, type, protocol, flags, "SocketFlag.CLOFORK is not available on "
                + platform.describe() + ": SOCK_CLOFORK exists since OpenBSD 7.8");
    }

    @Override
    protected PeerCredentials peerCredentials(int fd, SocketType type) throws IOException {
        return withPeereidFallback(fd, () -> {
            ByteBuffer cred = getOption(fd, c.SOL_SOCKET, OpenBsdConstants.SO_PEERCRED,
                    OpenBsdConstants.SOCKPEERCRED_SIZE, "SO_PEERCRED");
            if (cred.capacity() < OpenBsdConstants.SOCKPEERCRED_SIZE) {
                throw new IllegalStateException("SO_PEERCRED returned " + cred.capacity() + " bytes");
            }
            int pid = cred.getInt(OpenBsdConstants.SOCKPEERCRED_PID);
            return new PeerCredentials(pid > 0 ? OptionalLong.of(pid) : OptionalLong.empty(),
                    Integer.toUnsignedLong(cred.getInt(OpenBsdConstants.SOCKPEERCRED_UID)),
                    Integer.toUnsignedLong(cred.getInt(OpenBsdConstants.SOCKPEERCRED_GID)));
        });
    }
}
