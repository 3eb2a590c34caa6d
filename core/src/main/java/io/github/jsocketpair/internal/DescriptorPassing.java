package io.github.jsocketpair.internal;

import io.github.jsocketpair.Descriptor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code SCM_RIGHTS}: sending descriptors with data in one non-blocking {@code sendmsg}, and taking ownership of the
 * descriptors a {@code recvmsg} installed.
 */
final class DescriptorPassing {
    private DescriptorPassing() {
    }

    /**
     * One sendmsg of {@code data} (from its position) with {@code fds} as SCM_RIGHTS; advances the position. The
     * caller holds every descriptor open for the call. Returns bytes sent or {@link Transfers#WOULD_BLOCK}.
     */
    static long sendOnce(NativeEndpoint ep, int fd, ByteBuffer data, int[] fds) throws IOException {
        NativeConstants c = ep.c;
        Scratch s = ep.backend.pool().take();
        try {
            int space = MessageCodec.putRights(c, s.area, s.control, fds, fds.length);
            int pos = data.position();
            int len = data.remaining();
            long address = Staging.address(s, data, pos, len, true);
            MessageCodec.putIovec(c, s.area, s.iov, 0, address, len);
            MessageCodec.putMsghdr(c, s.area, s.msg, s.areaAddress + s.iov, 1, s.areaAddress + s.control, space);
            for (;;) {
                long n = s.libc.sendmsg(fd, s.areaAddress + s.msg, c.MSG_NOSIGNAL | c.MSG_DONTWAIT);
                if (n >= 0) {
                    data.position(pos + (int) n);
                    return n;
                }
                n = Transfers.writeFailed(ep, s.libc.errno(), "sendmsg", fd, len);
                if (!Transfers.again(n)) {
                    return n;
                }
            }
        } finally {
            ep.backend.pool().give(s);
        }
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
}
