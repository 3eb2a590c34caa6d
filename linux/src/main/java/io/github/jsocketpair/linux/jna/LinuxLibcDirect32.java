package io.github.jsocketpair.linux.jna;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import java.nio.ByteBuffer;

/**
 * ILP32 binding (x86, arm, armel, ppc): pointers and size_t are 32 bits there, so each call is bound with
 * {@code int}s and widened to the shared {@code long} interface. glibc's plain symbol names are the 32-bit-time ABI,
 * which matters only for timeval options; this library uses none (timeouts go through poll).
 */
final class LinuxLibcDirect32 implements LinuxLibc {
    static {
        Native.register(LinuxLibcDirect32.class, NativeLibrary.getInstance(Platform.C_LIBRARY_NAME));
    }

    private native int socketpair(int domain, int type, int protocol, int sv);

    private native int read(int fd, int buf, int count);

    private native int write(int fd, int buf, int count);

    private native int readv(int fd, int iov, int iovcnt);

    private native int writev(int fd, int iov, int iovcnt);

    private native int send(int fd, int buf, int len, int flags);

    private native int recv(int fd, int buf, int len, int flags);

    private native int sendmsg(int fd, int msg, int flags);

    private native int recvmsg(int fd, int msg, int flags);

    private native int poll(int fds, int nfds, int timeout);

    private native int epoll_ctl(int epfd, int op, int fd, int event);

    private native int epoll_wait(int epfd, int events, int maxevents, int timeout);

    @Override
    public native int epoll_create1(int flags); // epoll_create1(2)

    @Override
    public int epoll_ctl(int epfd, int op, int fd, long event) {
        return epoll_ctl(epfd, op, fd, (int) event);
    }

    @Override
    public int epoll_wait(int epfd, long events, int maxevents, int timeout) {
        return epoll_wait(epfd, (int) events, maxevents, timeout);
    }

    @Override
    public native int eventfd(int initval, int flags); // eventfd(2)

    private native int getsockopt(int fd, int level, int optname, int optval, int optlen);

    private native int setsockopt(int fd, int level, int optname, int optval, int optlen);

    @Override
    public native int close(int fd);

    @Override
    public native int fcntl(int fd, int cmd, int arg);

    @Override
    public native int shutdown(int fd, int how);

    @Override
    public int socketpair(int domain, int type, int protocol, long sv) {
        return socketpair(domain, type, protocol, (int) sv);
    }

    @Override
    public long read(int fd, long buf, long count) {
        return read(fd, (int) buf, (int) count);
    }

    @Override
    public long write(int fd, long buf, long count) {
        return write(fd, (int) buf, (int) count);
    }

    @Override
    public long readv(int fd, long iov, int iovcnt) {
        return readv(fd, (int) iov, iovcnt);
    }

    @Override
    public long writev(int fd, long iov, int iovcnt) {
        return writev(fd, (int) iov, iovcnt);
    }

    @Override
    public long send(int fd, long buf, long len, int flags) {
        return send(fd, (int) buf, (int) len, flags);
    }

    @Override
    public long recv(int fd, long buf, long len, int flags) {
        return recv(fd, (int) buf, (int) len, flags);
    }

    @Override
    public long sendmsg(int fd, long msg, int flags) {
        return sendmsg(fd, (int) msg, flags);
    }

    @Override
    public long recvmsg(int fd, long msg, int flags) {
        return recvmsg(fd, (int) msg, flags);
    }

    @Override
    public int poll(long fds, int nfds, int timeout) {
        return poll((int) fds, nfds, timeout);
    }

    @Override
    public int getsockopt(int fd, int level, int optname, long optval, long optlen) {
        return getsockopt(fd, level, optname, (int) optval, (int) optlen);
    }

    @Override
    public int setsockopt(int fd, int level, int optname, long optval, int optlen) {
        return setsockopt(fd, level, optname, (int) optval, optlen);
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
