package io.github.jsocketpair.bsd.jna;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import io.github.jsocketpair.bsd.BsdFlavour;
import java.nio.ByteBuffer;

/**
 * The binding for every BSD flavour and macOS (all LP64 here): JNA direct mapping, every pointer and size_t a Java
 * {@code long}, so hot calls pass no objects and allocate nothing. JNA saves errno after each call; {@link #errno()}
 * reads it.
 *
 * <p>Symbols are looked up in the process ({@code dlopen(NULL)}), which has libc loaded because the JVM links it: on
 * FreeBSD {@code libc.so} is a linker script and on OpenBSD/NetBSD only versioned {@code libc.so.N} files exist, so
 * asking for "c" by name is not reliable there (OSHI loads OpenBSD's libc the same way). None of the functions bound
 * here is renamed by the BSD headers (NetBSD renames {@code socket} and {@code pollts}, which are not used;
 * reference §9), except {@code kevent}, which NetBSD's {@code <sys/event.h>} renames to {@code __kevent50}: it is
 * bound per flavour in {@link KeventBindings}.
 *
 * <p>{@code fcntl(2)} is variadic, so it is not declared here but delegated to a {@link Fcntl} chosen per platform.
 */
final class BsdLibcDirect implements BsdLibc {
    static {
        Native.register(BsdLibcDirect.class, NativeLibrary.getProcess());
    }

    /** How {@code fcntl} is called on this platform. */
    @FunctionalInterface
    interface Fcntl {
        int fcntl(int fd, int cmd, int arg);
    }

    /** How {@code kevent} is called on this platform: which symbol, and how wide the counts are. */
    @FunctionalInterface
    interface Kevent {
        int kevent(int kq, long changelist, int nchanges, long eventlist, int nevents, long timeout);
    }

    private final Fcntl fcntl;
    private final Kevent kevent;

    BsdLibcDirect(Fcntl fcntl, Kevent kevent) {
        this.fcntl = fcntl;
        this.kevent = kevent;
    }

    /**
     * The {@code kevent} binding of {@code flavour}. Its class registers its one native method only when first
     * called (at the first virtual thread that waits), so a symbol another flavour lacks is never looked up here.
     */
    static Kevent kevent(BsdFlavour flavour) {
        return flavour == BsdFlavour.NETBSD ? KeventBindings.NetBsd::kevent : KeventBindings.Plain::kevent;
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

    // poll(2): nfds_t is unsigned int on every BSD and macOS (FB-poll, NB-poll, OB-poll, DragonFly poll.h, XN-poll)
    @Override
    public native int poll(long fds, int nfds, int timeout);

    @Override
    public int fcntl(int fd, int cmd, int arg) {
        return fcntl.fcntl(fd, cmd, arg);
    }

    @Override
    public native int shutdown(int fd, int how); // shutdown(2)

    @Override
    public native int getsockopt(int fd, int level, int optname, long optval, long optlen); // getsockopt(2)

    @Override
    public native int setsockopt(int fd, int level, int optname, long optval, int optlen); // setsockopt(2)

    @Override
    public native int getpeereid(int fd, long euid, long egid); // getpeereid(3)

    @Override
    public native int kqueue(); // kqueue(2)

    @Override
    public int kevent(int kq, long changelist, int nchanges, long eventlist, int nevents, long timeout) {
        return kevent.kevent(kq, changelist, nchanges, eventlist, nevents, timeout);
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
