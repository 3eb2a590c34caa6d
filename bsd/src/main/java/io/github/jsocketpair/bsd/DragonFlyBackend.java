package io.github.jsocketpair.bsd;

import io.github.jsocketpair.Domain;
import io.github.jsocketpair.Errno;
import io.github.jsocketpair.PeerCredentials;
import io.github.jsocketpair.SocketFlag;
import io.github.jsocketpair.SocketPairException;
import io.github.jsocketpair.SocketType;
import io.github.jsocketpair.bsd.jna.BsdLibc;
import io.github.jsocketpair.bsd.jna.DragonFlyConstants;
import io.github.jsocketpair.internal.NativeConstants;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.EnumSet;
import java.util.OptionalLong;
import java.util.Set;

/**
 * DragonFly: atomic {@code SOCK_NONBLOCK}/{@code SOCK_CLOEXEC} and {@code MSG_CMSG_CLOEXEC} from 4.4 ({@code fcntl}
 * after creation before it), {@code SO_NOSIGPIPE} on both ends and {@code MSG_NOSIGNAL} on every send; descriptor
 * passing with the release's CMSG alignment (4 before 5.7, 8 from 5.8); peer credentials through
 * {@code LOCAL_PEERCRED}.
 * The readable {@code kern_socketpair} does not copy credentials into the pair, so the capability is not claimed;
 * the call is made and its answer reported.
 */
public final class DragonFlyBackend extends BsdBackend {

    /**
     * Creates the backend; the test seam.
     *
     * @param libc the binding
     * @param platform a DragonFly platform
     */
    public DragonFlyBackend(BsdLibc libc, BsdPlatform platform) {
        this(libc, platform, DragonFlyConstants.create(platform));
    }

    private DragonFlyBackend(BsdLibc libc, BsdPlatform platform, NativeConstants c) {
        super(libc, platform, c, capabilities(c, EnumSet.allOf(SocketType.class), false, false), detail(platform, ""));
    }

    @Override
    SocketPairException refuseClofork(Domain domain, SocketType type, int protocol, Set<SocketFlag> flags) {
        if (platform.version().atLeast(DragonFlyConstants.CLOFORK_SINCE_MAJOR, DragonFlyConstants.CLOFORK_SINCE_MINOR)) {
            return unverifiedClofork(domain, type, protocol, flags, "DragonFly 6.5");
        }
        return refusal(Errno.EINVAL, domain, type, protocol, flags, "SocketFlag.CLOFORK is not available on "
                + platform.describe() + ": close-on-fork arrives after DragonFly 6.4 (6.5)");
    }

    @Override
    protected PeerCredentials peerCredentials(int fd, SocketType type) throws IOException {
        if (type == SocketType.DGRAM) {
            // the local domain's SOCK_DGRAM protosw has no pr_ctloutput (sys/kern/uipc_proto.c @002c1265)
            throw noCredentials(type, "DragonFly has no local-domain options on DGRAM sockets");
        }
        return withPeereidFallback(fd, () -> {
            ByteBuffer x;
            try {
                x = getOption(fd, DragonFlyConstants.SOL_LOCAL, DragonFlyConstants.LOCAL_PEERCRED,
                        DragonFlyConstants.XUCRED_SIZE, "LOCAL_PEERCRED");
            } catch (SocketPairException e) {
                if (e.errno() == Errno.ENOTCONN || e.errno() == Errno.EINVAL) {
                    throw noCredentials(type, "the kernel recorded none for this socketpair (" + e.errno() + ")");
                }
                throw e;
            }
            return xucred(x, DragonFlyConstants.XUCRED_UID, DragonFlyConstants.XUCRED_NGROUPS,
                    DragonFlyConstants.XUCRED_GROUPS, OptionalLong.empty(), "LOCAL_PEERCRED");
        });
    }
}
