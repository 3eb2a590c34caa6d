package io.github.jsocketpair.internal;

import io.github.jsocketpair.Descriptor;
import java.util.ArrayList;
import java.util.List;

/**
 * What a {@code recvmsg} brought besides data: ownership of the {@code SCM_RIGHTS} descriptors it installed, and the
 * sender's credentials. (Descriptors are sent by {@link Vectors}, whose gathering {@code sendmsg} carries them.)
 */
final class DescriptorPassing {
    private DescriptorPassing() {
    }

    /**
     * Walks the control data recvmsg returned and takes ownership of every SCM_RIGHTS descriptor in it. After
     * {@code MSG_CTRUNC} the kernel has installed only the descriptors that fit and says so in {@code cmsg_len}
     * (Linux {@code scm_detach_fds}: the others are released in the kernel, never installed here), so walking the
     * messages as they are hands over every descriptor that did arrive. The numbers are collected first and wrapped
     * after, so that nothing between the kernel installing them and their owner existing can leak one. An
     * {@code SCM_PIDFD} nobody asked for (an adopted socket with {@code SO_PASSPIDFD} set) is closed.
     */
    static List<Descriptor> take(PosixBackend backend, Scratch s, int control) {
        NativeConstants c = backend.constants();
        long controlLen = Math.min(MessageCodec.controlLength(c, s.area, s.msg), control);
        if (controlLen == 0) {
            return List.of();
        }
        int[] numbers = new int[Math.max(1, (int) controlLen / 4)];
        int[] count = {0};
        MessageCodec.forEachControl(c, s.area, s.control, controlLen, (level, type, at, len) -> {
            if (level != c.SOL_SOCKET) {
                return;
            }
            if (type == c.SCM_RIGHTS) {
                for (int i = 0; i + 4 <= len; i += 4) {
                    numbers[count[0]++] = s.area.getInt(at + i);
                }
            } else if (c.scmPidfd() != NativeConstants.ABSENT && type == c.scmPidfd() && len >= 4) {
                backend.closeQuietly(s.area.getInt(at));
            }
        });
        if (count[0] == 0) {
            return List.of();
        }
        List<Descriptor> fds = new ArrayList<>(count[0]);
        for (int i = 0; i < count[0]; i++) {
            if (c.MSG_CMSG_CLOEXEC == 0) {
                // No atomic MSG_CMSG_CLOEXEC here (macOS): set it now, best effort.
                s.libc.fcntl(numbers[i], c.F_SETFD, c.FD_CLOEXEC);
            }
            fds.add(new OwnedDescriptor(backend, numbers[i]));
        }
        return fds;
    }

    /**
     * Finds the sender's credentials in the control data recvmsg returned ({@link NativeConstants#scmCredentials()},
     * decoded by the backend); empty when none came.
     */
    static java.util.Optional<io.github.jsocketpair.PeerCredentials> credentials(PosixBackend backend, Scratch s,
            int control) {
        NativeConstants c = backend.constants();
        if (c.scmCredentials() == NativeConstants.ABSENT) {
            return java.util.Optional.empty();
        }
        long controlLen = Math.min(MessageCodec.controlLength(c, s.area, s.msg), control);
        if (controlLen == 0) {
            return java.util.Optional.empty();
        }
        io.github.jsocketpair.PeerCredentials[] found = {null};
        MessageCodec.forEachControl(c, s.area, s.control, controlLen, (level, type, at, len) -> {
            if (level == c.SOL_SOCKET && type == c.scmCredentials() && found[0] == null) {
                found[0] = backend.messageCredentials(s.area, at, len);
            }
        });
        return java.util.Optional.ofNullable(found[0]);
    }
}
