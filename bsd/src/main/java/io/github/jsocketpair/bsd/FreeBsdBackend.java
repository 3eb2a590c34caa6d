package io.github.jsocketpair.bsd;

import io.github.jsocketpair.Domain;
import io.github.jsocketpair.Errno;
import io.github.jsocketpair.PeerCredentials;
import io.github.jsocketpair.SocketFlag;
import io.github.jsocketpair.SocketPairException;
import io.github.jsocketpair.SocketType;
import io.github.jsocketpair.bsd.jna.BsdLibc;
import io.github.jsocketpair.bsd.jna.FreeBsdConstants;
import io.github.jsocketpair.internal.NativeConstants;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.EnumSet;
import java.util.OptionalLong;
import java.util.Set;

/**
 * FreeBSD: atomic {@code SOCK_NONBLOCK}/{@code SOCK_CLOEXEC}, and from 15 {@code SOCK_CLOFORK} and
 * {@code MSG_CMSG_CLOFORK} once the kernel proves their numbers ({@link CloforkProof}); {@code SO_NOSIGPIPE} on both
 * ends and {@code MSG_NOSIGNAL} on every send, peer credentials through {@code LOCAL_PEERCRED} ({@code struct xucred},
 * with {@code cr_pid} since 13).
 */
public final class FreeBsdBackend extends BsdBackend {
    private final boolean peerPid;

    /**
     * Creates the backend; the test seam.
     *
     * @param libc the binding
     * @param platform a FreeBSD platform
     */
    public FreeBsdBackend(BsdLibc libc, BsdPlatform platform) {
        this(libc, platform, FreeBsdConstants.create(platform));
    }

    private FreeBsdBackend(BsdLibc libc, BsdPlatform platform, NativeConstants c) {
        this(libc, platform, c, proveClofork(libc, c, candidate(platform)),
                platform.version().atLeast(FreeBsdConstants.CR_PID_SINCE_MAJOR, 0));
    }

    private FreeBsdBackend(BsdLibc libc, BsdPlatform platform, NativeConstants c, CloforkProof.Outcome proof,
            boolean peerPid) {
        super(libc, platform, c, capabilities(c, EnumSet.allOf(SocketType.class), true, peerPid),
                detail(platform, cloforkDetail(proof)), proof);
        this.peerPid = peerPid;
    }

    /** FreeBSD 15's close-on-fork numbers, to be proven; none before 15. */
    static CloforkProof.Candidate candidate(BsdPlatform p) {
        if (!p.version().atLeast(FreeBsdConstants.CLOFORK_SINCE_MAJOR, 0)) {
            return null;
        }
        return new CloforkProof.Candidate(FreeBsdConstants.SOCK_CLOFORK, FreeBsdConstants.FD_CLOFORK,
                FreeBsdConstants.MSG_CMSG_CLOFORK, "from FreeBSD's close-on-fork change as proposed for 15.0");
    }

    @Override
    SocketPairException refuseClofork(Domain domain, SocketType type, int protocol, Set<SocketFlag> flags) {
        // From 15 on the proof decides (BsdBackend). Before 15, kern_socketpair strips only SOCK_CLOEXEC/SOCK_NONBLOCK;
        // socreate finds no protocol for the remaining bit and returns EPROTOTYPE with protocol 0, EPROTONOSUPPORT
        // otherwise (sys/kern/uipc_socket.c)
        return refusal(protocol == 0 ? Errno.EPROTOTYPE : Errno.EPROTONOSUPPORT, domain, type, protocol, flags,
                "SocketFlag.CLOFORK is not available on " + platform.describe()
                        + ": SOCK_CLOFORK exists since FreeBSD 15.0");
    }

    @Override
    protected PeerCredentials peerCredentials(int fd, SocketType type) throws IOException {
        if (type == SocketType.DGRAM) {
            // kern_socketpair copies credentials only for PR_CONNREQUIRED protocols [FB-sp]
            throw noCredentials(type, "FreeBSD records them for STREAM and SEQPACKET pairs only");
        }
        return withPeereidFallback(fd, () -> {
            ByteBuffer x = getOption(fd, FreeBsdConstants.SOL_LOCAL, FreeBsdConstants.LOCAL_PEERCRED,
                    FreeBsdConstants.XUCRED_SIZE, "LOCAL_PEERCRED");
            OptionalLong pid = OptionalLong.empty();
            if (peerPid && x.capacity() >= FreeBsdConstants.XUCRED_PID + 4) {
                int p = x.getInt(FreeBsdConstants.XUCRED_PID);
                pid = p > 0 ? OptionalLong.of(p) : OptionalLong.empty();
            }
            return xucred(x, FreeBsdConstants.XUCRED_UID, FreeBsdConstants.XUCRED_NGROUPS,
                    FreeBsdConstants.XUCRED_GROUPS, pid, "LOCAL_PEERCRED");
        });
    }

    /** The sockcred2 the receiver asked for with PASS_CREDENTIALS: pid, effective uid and gid. */
    @Override
    protected PeerCredentials messageCredentials(ByteBuffer control, int at, int length) {
        return sentBy(control, at, length, FreeBsdConstants.SOCKCRED2_PID, FreeBsdConstants.SOCKCRED2_EUID, FreeBsdConstants.SOCKCRED2_EGID);
    }

    @Override
    protected int messageCredentialsSize() {
        return c.passCredentialsName() == io.github.jsocketpair.internal.NativeConstants.ABSENT ? 0
                : FreeBsdConstants.SOCKCRED2_SIZE;
    }
}
