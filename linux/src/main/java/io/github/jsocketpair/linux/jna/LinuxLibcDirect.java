package io.github.jsocketpair.linux.jna;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import java.nio.ByteBuffer;

/**
 * LP64 binding (x86-64, aarch64, ppc64le, mips64el, s390x, riscv64, loongarch64): JNA direct mapping, every pointer
 * and size_t a Java {@code long}, so hot calls pass no objects and allocate nothing. JNA saves errno after each
 * direct call; {@link #errno()} reads it.
 */
final class LinuxLibcDirect implements LinuxLibc {
    static {
        Native.register(LinuxLibcDirect.class, NativeLibrary.getInstance(Platform.C_LIBRARY_NAME));
    }

    @Override
    public native int socketpair(int domain, int type, int protocol, long sv); // socketpair(2)

    @Override
    public native int close(int fd); // close(2)

    @Override
    public native long read(int fd, long buf, long count); // read(2)

    @Override
    public native long write(int fd, long buf, long count); // write(2)

    @Override
    public native long readv(int fd, long iov, int iovcnt); // readv(2)

    @Override
    public native long writev(int fd, long iov, int iovcnt); // writev(2)

    @Override
    public native long send(int fd, long buf, long len, int flags); // send(2)

    @Override
    public native long recv(int fd, long buf, long len, int flags); // recv(2)

    @Override
    public native long sendmsg(int fd, long msg, int flags); // sendmsg(2)

    @Override
    public native long recvmsg(int fd, long msg, int flags); // recvmsg(2)

    // sendmmsg(2)/recvmmsg(2), glibc 2.14+/2.12+; the batch calls of Endpoint.sendBatch/receiveBatch
    @Override
    public native int sendmmsg(int fd, long msgvec, int vlen, int flags);

    private native int recvmmsg(int fd, long msgvec, int vlen, int flags, long timeout);

    /** MSG_WAITFORONE from <bits/socket.h>: the same on every Linux architecture. */
    static final int MSG_WAITFORONE = 0x10000;

    @Override
    public boolean hasMmsg() {
        return true;
    }

    @Override
    public int recvmmsg(int fd, long msgvec, int vlen, int flags) {
        return recvmmsg(fd, msgvec, vlen, flags | MSG_WAITFORONE, 0L);
    }

    // poll(2): nfds_t is unsigned long in glibc's <sys/poll.h>
    private native int poll(long fds, long nfds, int timeout);

    @Override
    public int poll(long fds, int nfds, int timeout) {
        return poll(fds, (long) nfds, timeout);
    }

    // fcntl(2) is variadic; on every Linux ABI an int vararg travels like a fixed int argument
    @Override
    public native int fcntl(int fd, int cmd, int arg);

    @Override
    public native int shutdown(int fd, int how); // shutdown(2)

    @Override
    public native int getsockopt(int fd, int level, int optname, long optval, long optlen); // getsockopt(2)

    @Override
    public native int setsockopt(int fd, int level, int optname, long optval, int optlen); // setsockopt(2)

    @Override
    public native int epoll_create1(int flags); // epoll_create1(2), glibc 2.9+

    @Override
    public native int epoll_ctl(int epfd, int op, int fd, long event); // epoll_ctl(2)

    @Override
    public native int epoll_wait(int epfd, long events, int maxevents, int timeout); // epoll_wait(2)

    @Override
    public native int eventfd(int initval, int flags); // eventfd(2), glibc 2.8+

    @Override
    public boolean threadSignals() {
        return LinuxThreadSignals.AVAILABLE;
    }

    @Override
    public int gettid() {
        return LinuxThreadSignals.gettid();
    }

    @Override
    public int tgkill(int tgid, int tid, int sig) {
        return LinuxThreadSignals.tgkill(tgid, tid, sig);
    }

    @Override
    public long signalHandler(int sig) {
        return LinuxThreadSignals.handler(sig);
    }

    @Override
    public int errno() {
        return Native.getLastError();
    }

    @Override
    public long address(ByteBuffer direct) {
        return Pointer.nativeValue(Native.getDirectBufferPointer(direct));
    }
}
