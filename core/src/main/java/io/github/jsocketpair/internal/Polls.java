package io.github.jsocketpair.internal;

import java.io.IOException;

/**
 * poll(2) on one descriptor without waiting: what readiness checks and the end-of-stream policy ask of the kernel
 * right now, outside the engine's wait path.
 */
final class Polls {
    private Polls() {
    }

    /**
     * The revents poll(2) gives {@code fd} for {@code events} now (0: none), EINTR retried; {@code -errno} if poll
     * fails.
     */
    static int revents(Scratch s, NativeConstants c, int fd, int events) {
        for (;;) {
            s.area.putInt(s.pollfd, fd);
            s.area.putShort(s.pollfd + 4, (short) events);
            s.area.putShort(s.pollfd + 6, (short) 0);
            int r = s.libc.poll(s.areaAddress + s.pollfd, 1, 0);
            if (r >= 0) {
                return r == 0 ? 0 : s.area.getShort(s.pollfd + 6) & 0xffff;
            }
            int e = s.libc.errno();
            if (e != c.EINTR) {
                return -e;
            }
        }
    }

    /** Does {@code fd} have any of {@code events} (or an error or hang-up) now? */
    static boolean ready(NativeEndpoint ep, int fd, int events) throws IOException {
        Scratch s = ep.backend.pool().take();
        try {
            int r = revents(s, ep.c, fd, events);
            if (r < 0) {
                throw ep.backend.error("poll", -r, "fd=" + fd + ", events=" + events);
            }
            return r != 0;
        } finally {
            ep.backend.pool().give(s);
        }
    }
}
