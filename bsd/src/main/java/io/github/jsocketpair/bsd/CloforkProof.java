package io.github.jsocketpair.bsd;

import io.github.jsocketpair.bsd.jna.BsdLibc;
import io.github.jsocketpair.internal.NativeConstants;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * The run-time proof that the running kernel knows close-on-fork numbers that were found for its release but never
 * read in that release's own headers (FreeBSD 15's from the change as proposed, NetBSD 11's inferred from its flag
 * layout: reference §12.1). It runs once, when the backend is created, in two steps:
 * <ol>
 * <li>{@code fcntl(F_SETFD, FD_CLOEXEC | FD_CLOFORK)} on a scratch descriptor, then {@code F_GETFD} must return
 * exactly those bits: a kernel that does not know {@code FD_CLOFORK} drops it (NetBSD 10 does);</li>
 * <li>{@code socketpair} with {@code SOCK_CLOFORK} must succeed and give both descriptors {@code FD_CLOFORK}.</li>
 * </ol>
 * {@code FD_CLOEXEC} stays on throughout, so no scratch descriptor can reach a child that the JVM starts meanwhile.
 * Only if both steps pass does the backend use {@code SOCK_CLOFORK} and {@code MSG_CMSG_CLOFORK}.
 */
final class CloforkProof {
    /**
     * The numbers on trial and where they come from.
     *
     * @param sockClofork the {@code SOCK_CLOFORK} type bit
     * @param fdClofork the {@code FD_CLOFORK} descriptor flag
     * @param msgCmsgClofork the {@code MSG_CMSG_CLOFORK} recvmsg flag, 0 if none was found
     * @param source where the numbers were found, for messages
     */
    record Candidate(int sockClofork, int fdClofork, int msgCmsgClofork, String source) {
        Candidate {
            Objects.requireNonNull(source, "source");
        }
    }

    /**
     * What the proof found.
     *
     * @param candidate the numbers tried
     * @param proven both steps passed
     * @param failure which step failed and how; empty if proven
     */
    record Outcome(Candidate candidate, boolean proven, String failure) {
        Outcome {
            Objects.requireNonNull(candidate, "candidate");
            Objects.requireNonNull(failure, "failure");
        }
    }

    private final BsdLibc libc;
    private final NativeConstants c;
    private final ByteBuffer sv = ByteBuffer.allocateDirect(8).order(ByteOrder.nativeOrder());

    private CloforkProof(BsdLibc libc, NativeConstants c) {
        this.libc = libc;
        this.c = c;
    }

    /**
     * Runs both steps with {@code candidate}'s numbers; every descriptor it opens is closed before it returns.
     *
     * @param libc the binding
     * @param c the release's table (for AF_UNIX, SOCK_STREAM, SOCK_CLOEXEC, F_GETFD, F_SETFD, FD_CLOEXEC, errno)
     * @param candidate the numbers on trial
     * @return the outcome; never throws for a failed step
     */
    static Outcome run(BsdLibc libc, NativeConstants c, Candidate candidate) {
        CloforkProof p = new CloforkProof(libc, c);
        String failure = p.fcntlKeepsTheBit(candidate);
        if (failure.isEmpty()) {
            failure = p.socketpairSetsTheBit(candidate);
        }
        return new Outcome(candidate, failure.isEmpty(), failure);
    }

    /** Step 1; returns the failure, empty if the kernel kept FD_CLOFORK. */
    private String fcntlKeepsTheBit(Candidate k) {
        int type = c.SOCK_STREAM | c.SOCK_CLOEXEC;
        if (!socketpair(type)) {
            return "step 1 could not run: the scratch socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC) failed with "
                    + errnoText();
        }
        int fd = sv.getInt(0);
        try {
            int want = c.FD_CLOEXEC | k.fdClofork();
            if (libc.fcntl(fd, c.F_SETFD, want) == -1) {
                return "step 1 failed: fcntl(F_SETFD, FD_CLOEXEC | FD_CLOFORK " + hex(k.fdClofork()) + ") failed with "
                        + errnoText();
            }
            int got = libc.fcntl(fd, c.F_GETFD, 0);
            if (got == -1) {
                return "step 1 failed: fcntl(F_GETFD) failed with " + errnoText();
            }
            if (got != want) {
                return "step 1 failed: after fcntl(F_SETFD, " + hex(want) + ") F_GETFD returned " + hex(got)
                        + ": the kernel does not keep FD_CLOFORK " + hex(k.fdClofork());
            }
            return "";
        } finally {
            closeBoth();
        }
    }

    /** Step 2; returns the failure, empty if both ends came with FD_CLOFORK. */
    private String socketpairSetsTheBit(Candidate k) {
        if (!socketpair(c.SOCK_STREAM | c.SOCK_CLOEXEC | k.sockClofork())) {
            return "step 2 failed: socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_CLOFORK "
                    + hex(k.sockClofork()) + ") failed with " + errnoText();
        }
        try {
            for (int end = 0; end < 2; end++) {
                int got = libc.fcntl(sv.getInt(4 * end), c.F_GETFD, 0);
                if (got == -1) {
                    return "step 2 failed: fcntl(F_GETFD) on sv[" + end + "] failed with " + errnoText();
                }
                if ((got & k.fdClofork()) == 0) {
                    return "step 2 failed: socketpair with SOCK_CLOFORK " + hex(k.sockClofork()) + " gave sv[" + end
                            + "] F_GETFD " + hex(got) + ", without FD_CLOFORK " + hex(k.fdClofork())
                            + " (the kernel ignored the type bit)";
                }
            }
            return "";
        } finally {
            closeBoth();
        }
    }

    private boolean socketpair(int type) {
        long at = libc.address(sv);
        for (;;) {
            if (libc.socketpair(c.AF_UNIX, type, 0, at) == 0) {
                return true;
            }
            if (libc.errno() != c.EINTR) {
                return false;
            }
        }
    }

    private void closeBoth() {
        // close(2) is never retried: after EINTR the number is gone already
        libc.close(sv.getInt(0));
        libc.close(sv.getInt(4));
    }

    private String errnoText() {
        int e = libc.errno();
        return "errno " + e + " (" + c.toErrno(e) + ")";
    }

    private static String hex(int v) {
        return "0x" + Integer.toHexString(v);
    }
}
