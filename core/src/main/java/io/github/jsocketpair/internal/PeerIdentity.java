package io.github.jsocketpair.internal;

import io.github.jsocketpair.Descriptor;
import io.github.jsocketpair.Domain;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.util.Optional;

/**
 * Who the peer is, race-free: a pidfd of the peer process ({@code SO_PEERPIDFD}, Linux 6.5+), owned and
 * close-on-exec, or nothing where the kernel or OS has none.
 */
final class PeerIdentity {
    private PeerIdentity() {
    }

    static Optional<Descriptor> peerPidfd(NativeEndpoint ep) throws IOException {
        if (!ep.isOpen()) {
            throw new ClosedChannelException();
        }
        if (ep.c.soPeerPidfd() == NativeConstants.ABSENT || ep.domain() != Domain.UNIX) {
            return Optional.empty();
        }
        int fd = ep.acquire();
        try {
            int pidfd;
            try {
                pidfd = ep.backend.getIntOption(fd, ep.c.SOL_SOCKET, ep.c.soPeerPidfd(), "SO_PEERPIDFD");
            } catch (io.github.jsocketpair.SocketPairException e) {
                if (e.errno() == io.github.jsocketpair.Errno.ENOPROTOOPT) {
                    return Optional.empty(); // a kernel before 6.5
                }
                throw e;
            }
            try {
                // The kernel installs it close-on-exec (pidfd_prepare); make sure, as early as we can.
                int fl = ep.backend.fcntl(pidfd, ep.c.F_GETFD, 0);
                if ((fl & ep.c.FD_CLOEXEC) == 0) {
                    ep.backend.fcntl(pidfd, ep.c.F_SETFD, fl | ep.c.FD_CLOEXEC);
                }
            } catch (IOException | RuntimeException e) {
                ep.backend.closeQuietly(pidfd);
                throw e;
            }
            return Optional.of(new OwnedDescriptor(ep.backend, pidfd));
        } finally {
            ep.releaseUse();
        }
    }
}
