package io.github.jsocketpair.bsd;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.doReturn;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import io.github.jsocketpair.bsd.jna.BsdLibc;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * A Mockito-mocked {@link BsdLibc} that behaves like a kernel just enough for the shared logic to run: real native
 * memory (so structs written by core can be read back with JNA), {@code socketpair} that writes two descriptor
 * numbers, {@code fcntl} that reads back plausible flags, and records of what {@code setsockopt} and {@code sendmsg}
 * were given. Only our control flow is mocked; what a real kernel answers is for the ITs on a BSD host.
 */
final class MockLibc {
    static final int FD0 = 10;
    static final int FD1 = 11;
    /** What F_GETFL answers: O_RDWR (2 on every BSD and macOS). */
    static final int FL = 2;

    final BsdLibc libc = mock(BsdLibc.class);
    /** Every setsockopt as {fd, level, name, int value at optval, optlen}. */
    final List<int[]> setsockopts = new ArrayList<>();
    /** Every sendmsg: the msghdr bytes, the control bytes, the flags. */
    final List<SentMessage> sent = new ArrayList<>();

    /** One sendmsg call as the kernel would have seen it. */
    record SentMessage(byte[] msghdr, byte[] control, int flags, long iovBase, long iovLen) {
    }

    /** The msghdr size every BSD and macOS uses on LP64 (reference §8.1), read whatever the table says. */
    static final int MSGHDR = 48;

    MockLibc() {
        when(libc.address(any())).thenAnswer(i -> Pointer.nativeValue(Native.getDirectBufferPointer(
                (ByteBuffer) i.getArgument(0))));
        doAnswer(MockLibc::pair).when(libc).socketpair(anyInt(), anyInt(), anyInt(), anyLong());
        when(libc.fcntl(anyInt(), anyInt(), anyInt())).thenAnswer(i -> {
            int cmd = i.getArgument(1);
            return cmd == 3 ? FL : 0; // F_GETFL: O_RDWR; F_GETFD: no flags; setters: 0
        });
        when(libc.setsockopt(anyInt(), anyInt(), anyInt(), anyLong(), anyInt())).thenAnswer(i -> {
            long optval = i.getArgument(3);
            int optlen = i.getArgument(4);
            setsockopts.add(new int[] {i.getArgument(0), i.getArgument(1), i.getArgument(2),
                    optlen >= 4 ? new Pointer(optval).getInt(0) : -1, optlen});
            return 0;
        });
        when(libc.sendmsg(anyInt(), anyLong(), anyInt())).thenAnswer(i -> {
            Pointer msg = new Pointer(i.getArgument(1));
            byte[] hdr = msg.getByteArray(0, MSGHDR);
            long control = msg.getLong(32);
            int controlLen = msg.getInt(40);
            byte[] ctl = control == 0 ? new byte[0] : new Pointer(control).getByteArray(0, controlLen);
            Pointer iov = new Pointer(msg.getLong(16));
            sent.add(new SentMessage(hdr, ctl, i.getArgument(2), iov.getLong(0), iov.getLong(8)));
            return iov.getLong(8);
        });
    }

    /**
     * Creates the backend for {@code p} over this mock, then forgets what creation called (NetBSD's credential probe,
     * the close-on-fork proof), so that tests see only the calls of what they do next.
     */
    BsdBackend backend(BsdPlatform p) {
        BsdBackend b = BsdBackend.create(libc, p);
        org.mockito.Mockito.clearInvocations(libc);
        setsockopts.clear();
        sent.clear();
        return b;
    }

    private static int pair(org.mockito.invocation.InvocationOnMock i) {
        Pointer sv = new Pointer(i.getArgument(3));
        sv.setInt(0, FD0);
        sv.setInt(4, FD1);
        return 0;
    }

    /** Makes the next {@code socketpair} fail with {@code errno}, and the one after succeed. */
    void socketpairFailsOnce(int errno) {
        doReturn(-1).doAnswer(MockLibc::pair).when(libc).socketpair(anyInt(), anyInt(), anyInt(), anyLong());
        doReturn(errno).when(libc).errno();
    }

    /** Makes {@code socketpair} fail with {@code errno} (stubbed without calling the mock: its answer writes memory). */
    void failSocketpair(int errno) {
        doReturn(-1).when(libc).socketpair(anyInt(), anyInt(), anyInt(), anyLong());
        doReturn(errno).when(libc).errno();
    }

    /** Makes {@code getsockopt(level, name)} write {@code value} and its length, as the kernel does. */
    void answerOption(int level, int name, byte[] value) {
        doAnswer(i -> {
                    long optval = i.getArgument(3);
                    Pointer optlen = new Pointer(i.getArgument(4));
                    int room = optlen.getInt(0);
                    int n = Math.min(room, value.length);
                    new Pointer(optval).write(0, value, 0, n);
                    optlen.setInt(0, n);
                    return 0;
                }).when(libc).getsockopt(anyInt(), eq(level), eq(name), anyLong(), anyLong());
    }
}
