package io.github.jsocketpair.bsd.jna;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;

/**
 * {@code kevent(2)} by direct mapping, one class per symbol, each registered on first use: the Java method name is
 * the symbol ({@link KeventLayout#symbol()}), and registering a class whose symbol the running libc lacks would fail.
 */
final class KeventBindings {
    private KeventBindings() {
    }

    /** FreeBSD, OpenBSD, DragonFly, macOS: {@code int kevent(int, const struct kevent *, int, ...)}. */
    static final class Plain {
        static {
            Native.register(Plain.class, NativeLibrary.getProcess());
        }

        private Plain() {
        }

        static native int kevent(int kq, long changelist, int nchanges, long eventlist, int nevents, long timeout);
    }

    /**
     * NetBSD: {@code <sys/event.h>} declares {@code kevent(int, const struct kevent *, size_t, struct kevent *,
     * size_t, const struct timespec *) __RENAME(__kevent50)}; the counts are {@code size_t}, so they are widened
     * here rather than passed as {@code int} with undefined upper register halves.
     */
    static final class NetBsd {
        static {
            Native.register(NetBsd.class, NativeLibrary.getProcess());
        }

        private NetBsd() {
        }

        static native int __kevent50(int kq, long changelist, long nchanges, long eventlist, long nevents,
                long timeout);

        static int kevent(int kq, long changelist, int nchanges, long eventlist, int nevents, long timeout) {
            return __kevent50(kq, changelist, nchanges, eventlist, nevents, timeout);
        }
    }
}
