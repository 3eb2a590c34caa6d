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
 * NetBSD: atomic {@code SOCK_NONBLOCK}/{@code SOCK_CLOEXEC} and {@code SOCK_NOSIGPIPE} on every pair, and from 11
 * {@code SOCK_CLOFORK} once the kernel proves the inferred numbers ({@link CloforkProof}); peer credentials through
 * {@code LOCAL_PEEREID} ({@code struct unpcbid}), claimed as the kernel answers a probe at creation
 * ({@link NetBsdCredentialProbe}).
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
        this(libc, platform, c, proveClofork(libc, c, candidate(platform)));
    }

    private NetBsdBackend(BsdLibc libc, BsdPlatform platform, NativeConstants c, CloforkProof.Outcome proof) {
        this(libc, platform, c, proof, NetBsdCredentialProbe.answers(libc, c));
    }

    private NetBsdBackend(BsdLibc libc, BsdPlatform platform, NativeConstants c, CloforkProof.Outcome proof,
            boolean credentials) {
        super(libc, platform, c, capabilities(c, EnumSet.allOf(SocketType.class), credentials, false),
                detail(platform, (credentials ? "LOCAL_PEEREID answered" : "LOCAL_PEEREID not answered")
                        + " on a socketpair at creation" + (proof == null ? "" : "; " + cloforkDetail(proof))),
                proof);
    }

    /** NetBSD 11's close-on-fork numbers, inferred and to be proven; none before 11. */
    static CloforkProof.Candidate candidate(BsdPlatform p) {
        if (!p.version().atLeast(NetBsdConstants.CLOFORK_SINCE_MAJOR, 0)) {
            return null;
        }
        return new CloforkProof.Candidate(NetBsdConstants.SOCK_CLOFORK, NetBsdConstants.FD_CLOFORK, 0,
                "inferred from NetBSD's SOCK_FLAGS_MASK and its close-on-fork test output");
    }

    @Override
    SocketPairException refuseClofork(Domain domain, SocketType type, int protocol, Set<SocketFlag> flags) {
        // From 11 on the proof decides (BsdBackend). Before 11 there is no close-on-fork to pass, and NetBSD 10 drops
        // unknown bits inside SOCK_FLAGS_MASK silently (sys/kern/uipc_socket.c): EINVAL, as for any bit it cannot pass.
        return refusal(Errno.EINVAL, domain, type, protocol, flags, "SocketFlag.CLOFORK is not available on "
                + platform.describe() + ": close-on-fork arrives with NetBSD 11 (NetBSD-current since July 2025)");
    }

    @Override
    protected PeerCredentials peerCredentials(int fd, SocketType type) throws IOException {
        if (type == SocketType.DGRAM) {
            // NetBSD 7.99's kernel, run for real, answered LOCAL_PEEREID with EINVAL on DGRAM pairs (§12.2)
            throw noCredentials(type, "NetBSD answers LOCAL_PEEREID on STREAM and SEQPACKET pairs only");
        }
        return withPeereidFallback(fd, () -> {
            ByteBuffer id;
            try {
                id = getOption(fd, NetBsdConstants.SOL_LOCAL, NetBsdConstants.LOCAL_PEEREID,
                        NetBsdConstants.UNPCBID_SIZE, "LOCAL_PEEREID");
            } catch (SocketPairException e) {
                if (e.errno() == Errno.EINVAL) {
                    // uipc_ctloutput: EINVAL unless UNP_EIDSVALID is set on this socket
                    throw noCredentials(type, "the kernel recorded no LOCAL_PEEREID ids for this socketpair");
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

    /** The sockcred the receiver asked for with PASS_CREDENTIALS: pid, effective uid and gid. */
    @Override
    protected PeerCredentials messageCredentials(ByteBuffer control, int at, int length) {
        return sentBy(control, at, length, NetBsdConstants.SOCKCRED_PID, NetBsdConstants.SOCKCRED_EUID, NetBsdConstants.SOCKCRED_EGID);
    }

    @Override
    protected int messageCredentialsSize() {
        return c.passCredentialsName() == io.github.jsocketpair.internal.NativeConstants.ABSENT ? 0
                : NetBsdConstants.SOCKCRED_SIZE;
    }
}
