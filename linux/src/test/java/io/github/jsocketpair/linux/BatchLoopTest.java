package io.github.jsocketpair.linux;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import io.github.jsocketpair.Domain;
import io.github.jsocketpair.Endpoint;
import io.github.jsocketpair.SocketType;
import io.github.jsocketpair.linux.jna.LinuxLibc;
import io.github.jsocketpair.spi.EndpointPair;
import java.nio.ByteBuffer;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;

/**
 * The batch calls where the binding has no sendmmsg/recvmmsg (a mocked binding says so, as the BSD bindings do): the
 * loop of single calls in core, driven through errno sequences the kernel will not give on demand.
 */
class BatchLoopTest {
    private static final int EAGAIN = 11;
    private static final int MSG_DONTWAIT = 0x40;
    private static final int MSG_NOSIGNAL = 0x4000;

    private final LinuxLibc libc = mock(LinuxLibc.class);

    private Endpoint open() throws Exception {
        when(libc.address(any(ByteBuffer.class))).thenAnswer(
                i -> Pointer.nativeValue(Native.getDirectBufferPointer(i.getArgument(0))));
        when(libc.socketpair(anyInt(), anyInt(), anyInt(), anyLong())).thenAnswer(i -> {
            Pointer sv = new Pointer(i.getArgument(3));
            sv.setInt(0, 10);
            sv.setInt(4, 11);
            return 0;
        });
        LinuxBackend backend = new LinuxBackend(libc, LinuxArch.X86_64, "Linux test");
        EndpointPair p = backend.open(Domain.UNIX, SocketType.DGRAM, 0, EnumSet.noneOf(
                io.github.jsocketpair.SocketFlag.class));
        return p.first();
    }

    @Test
    void sendBatchSendsEachRecordOnceWithNoSignal() throws Exception {
        Endpoint e = open();
        when(libc.send(eq(10), anyLong(), anyLong(), anyInt())).thenAnswer(i -> i.getArgument(2));
        ByteBuffer[] records = {ByteBuffer.wrap(new byte[] {1, 2}), ByteBuffer.allocateDirect(3),
            ByteBuffer.wrap(new byte[] {4})};
        assertEquals(3, e.sendBatch(records));
        verify(libc, times(3)).send(eq(10), anyLong(), anyLong(), eq(MSG_NOSIGNAL | MSG_DONTWAIT));
        verify(libc, never()).sendmmsg(anyInt(), anyLong(), anyInt(), anyInt());
        for (ByteBuffer b : records) {
            assertEquals(b.limit(), b.position());
        }
    }

    @Test
    void sendBatchStopsWhereANonBlockingSendWouldBlock() throws Exception {
        Endpoint e = open();
        when(libc.fcntl(anyInt(), anyInt(), anyInt())).thenReturn(0);
        e.configureBlocking(false);
        when(libc.send(eq(10), anyLong(), anyLong(), anyInt())).thenReturn(2L).thenReturn(-1L);
        when(libc.errno()).thenReturn(EAGAIN);
        ByteBuffer[] records = {ByteBuffer.allocate(2), ByteBuffer.allocate(2), ByteBuffer.allocate(2)};
        assertEquals(1, e.sendBatch(records));
        assertEquals(2, records[0].position());
        assertEquals(0, records[1].position());
    }

    @Test
    void receiveBatchWaitsForTheFirstRecordThenTakesWhatIsQueued() throws Exception {
        Endpoint e = open();
        // Nothing queued at first (EAGAIN): the endpoint waits in poll(2) on the socket and its wake-up descriptor,
        // which says readable; then two records are there and a third call finds none.
        when(libc.recv(eq(10), anyLong(), anyLong(), eq(MSG_DONTWAIT))).thenReturn(-1L).thenAnswer(i -> {
            new Pointer(i.getArgument(1)).setByte(0, (byte) 7);
            return 1L;
        }).thenAnswer(i -> {
            new Pointer(i.getArgument(1)).write(0, new byte[] {8, 9}, 0, 2);
            return 2L;
        }).thenReturn(-1L);
        when(libc.errno()).thenReturn(EAGAIN);
        when(libc.poll(anyLong(), eq(2), eq(-1))).thenAnswer(i -> {
            Pointer fds = new Pointer(i.<Long>getArgument(0));
            assertEquals(10, fds.getInt(0), "the socket first");
            fds.setShort(6, (short) 1); // POLLIN
            return 1;
        });
        ByteBuffer[] in = {ByteBuffer.allocate(4), ByteBuffer.allocateDirect(4), ByteBuffer.allocate(4)};
        assertEquals(2, e.receiveBatch(in));
        assertEquals(1, in[0].position());
        assertEquals(7, in[0].get(0));
        assertEquals(2, in[1].position());
        byte[] second = new byte[2];
        in[1].get(0, second);
        assertArrayEquals(new byte[] {8, 9}, second);
        assertEquals(0, in[2].position());
        verify(libc, never()).recvmmsg(anyInt(), anyLong(), anyInt(), anyInt());
        verify(libc).poll(anyLong(), eq(2), eq(-1));
    }
}
