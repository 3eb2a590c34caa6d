package io.github.jsocketpair.bsd;

import io.github.jsocketpair.bsd.jna.BsdLibc;
import io.github.jsocketpair.bsd.jna.NetBsdConstants;
import io.github.jsocketpair.internal.NativeConstants;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Whether NetBSD records peer ids for socketpairs, decided by asking the kernel once, at backend creation. NetBSD
 * 7.99's kernel, run for real, answered {@code LOCAL_PEEREID} on both ends of STREAM and SEQPACKET pairs, while a
 * reading of 2025 sources suggests {@code socketpair} may not record the ids (reference §12.2): no constant can say,
 * so a fresh STREAM pair is asked.
 */
final class NetBsdCredentialProbe {
    private NetBsdCredentialProbe() {
    }

    /**
     * Opens a STREAM pair, asks {@code getsockopt(SOL_LOCAL, LOCAL_PEEREID)} on its first end and closes both.
     *
     * @param libc the binding
     * @param c NetBSD's table (AF_UNIX, SOCK_STREAM, SOCK_CLOEXEC, EINTR)
     * @return {@code true} if the kernel returned a whole {@code struct unpcbid}; {@code false} for any failure
     */
    static boolean answers(BsdLibc libc, NativeConstants c) {
        // sv[2] @0, optval (struct unpcbid) @8, optlen @24
        ByteBuffer m = ByteBuffer.allocateDirect(32).order(ByteOrder.nativeOrder());
        long at = libc.address(m);
        int r;
        do {
            r = libc.socketpair(c.AF_UNIX, c.SOCK_STREAM | c.SOCK_CLOEXEC, 0, at);
        } while (r != 0 && libc.errno() == c.EINTR);
        if (r != 0) {
            return false;
        }
        try {
            m.putInt(24, NetBsdConstants.UNPCBID_SIZE);
            return libc.getsockopt(m.getInt(0), NetBsdConstants.SOL_LOCAL, NetBsdConstants.LOCAL_PEEREID, at + 8,
                    at + 24) == 0 && m.getInt(24) >= NetBsdConstants.UNPCBID_SIZE;
        } finally {
            libc.close(m.getInt(0));
            libc.close(m.getInt(4));
        }
    }
}
