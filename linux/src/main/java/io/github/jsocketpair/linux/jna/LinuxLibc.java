package io.github.jsocketpair.linux.jna;

import io.github.jsocketpair.internal.Libc;

/**
 * The Linux C library as the backend uses it: the shared {@link Libc} calls, bound by {@link LinuxLibcDirect} with
 * JNA direct mapping, or on JDK 22 and later by {@code LinuxLibcForeign} with java.lang.foreign. Unit tests mock
 * this interface.
 */
public interface LinuxLibc extends Libc {
    /**
     * Loads glibc (or musl) with the binding that fits: java.lang.foreign on a 64-bit JDK 22+ (unless
     * {@code -Djsocketpair.foreign=false}), else JNA direct mapping for the pointer size.
     */
    static LinuxLibc load(int pointerSize) {
        if (!"false".equals(System.getProperty("jsocketpair.foreign"))) {
            LinuxLibc foreign = ForeignLibc.load(pointerSize);
            if (foreign != null) {
                return foreign;
            }
        }
        return pointerSize == 8 ? new LinuxLibcDirect() : new LinuxLibcDirect32();
    }

    // epoll_create1(2): flags EPOLL_CLOEXEC (= O_CLOEXEC)
    int epoll_create1(int flags);

    // epoll_ctl(2): event points at a struct epoll_event (LinuxEpoll has its per-arch layout)
    int epoll_ctl(int epfd, int op, int fd, long event);

    // epoll_wait(2)
    int epoll_wait(int epfd, long events, int maxevents, int timeout);

    // eventfd(2): unsigned int initval; flags EFD_CLOEXEC (= O_CLOEXEC), EFD_NONBLOCK (= O_NONBLOCK)
    int eventfd(int initval, int flags);

    /** Says how the calls are bound, for {@link io.github.jsocketpair.BackendInfo}. */
    default String binding() {
        return "libc through JNA direct mapping";
    }
}
