package io.github.jsocketpair.linux;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import io.github.jsocketpair.SocketPairException;
import io.github.jsocketpair.internal.EventArea;
import io.github.jsocketpair.internal.NativeConstants;
import io.github.jsocketpair.internal.Readiness;
import io.github.jsocketpair.linux.jna.LinuxConstants;
import io.github.jsocketpair.linux.jna.LinuxLibc;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The epoll readiness queue against mocked bindings: the {@code struct epoll_event} each arm and disarm writes (golden
 * bytes per layout), and that the calls go through the lent area's binding, whose errno is the call's own, never
 * through the backend's shared one (which keeps a per-thread errno slot: one for every virtual thread that waited).
 */
class LinuxEpollTest {
    private static final int READERS = 40;
    private static final int WRITERS = 41;
    private static final int FD = 7;

    private final LinuxLibc shared = mock(LinuxLibc.class);
    private final LinuxLibc lent = mock(LinuxLibc.class);
    private final ByteBuffer scratch = ByteBuffer.allocateDirect(Readiness.SCRATCH_SIZE).order(ByteOrder.nativeOrder());
    private final long address = Pointer.nativeValue(Native.getDirectBufferPointer(scratch));
    private final EventArea area = new EventArea(scratch, address, lent);

    private LinuxEpoll epoll(LinuxArch arch) throws Exception {
        when(shared.address(org.mockito.ArgumentMatchers.any())).thenAnswer(
                inv -> Pointer.nativeValue(Native.getDirectBufferPointer(inv.getArgument(0))));
        when(shared.epoll_create1(anyInt())).thenReturn(READERS, WRITERS);
        NativeConstants c = LinuxConstants.forArch(arch);
        return new LinuxEpoll(shared, c, arch);
    }

    /** Records the event bytes of each epoll_ctl call made through {@code libc}, answering {@code result}. */
    private List<String> record(LinuxLibc libc, int size, int result) {
        List<String> calls = new ArrayList<>();
        doAnswer(i -> {
                    calls.add(i.getArgument(1) + ":" + i.getArgument(0) + ":"
                            + HexFormat.of().formatHex(new Pointer(i.getArgument(3)).getByteArray(0, size)));
                    return result;
                }).when(libc).epoll_ctl(anyInt(), anyInt(), anyInt(), anyLong());
        return calls;
    }

    @ParameterizedTest
    @EnumSource(value = LinuxArch.class, names = {"X86_64", "AARCH64"})
    void armReArmsTheOneShotRegistrationThroughTheLentBinding(LinuxArch arch) throws Exception {
        LinuxEpoll q = epoll(arch);
        int size = LinuxConstants.epollEventSize(arch);
        List<String> calls = record(lent, size, 0);
        scratch.put(0, new byte[Readiness.SCRATCH_SIZE]);
        q.arm(FD, false, area);
        q.arm(FD, true, area);
        // EPOLL_CTL_MOD (3) on the readers' and the writers' instance; events EPOLLIN|EPOLLRDHUP|EPOLLONESHOT
        // (0x40002001) and EPOLLOUT|EPOLLONESHOT (0x40000004), little-endian; data = fd as u64 at offset 4 (packed
        // on x86-64) or 8
        String pad = arch == LinuxArch.X86_64 ? "" : "00000000";
        assertEquals(List.of("3:" + READERS + ":01200040" + pad + "0700000000000000",
                "3:" + WRITERS + ":04000040" + pad + "0700000000000000"), calls);
        verify(shared, never()).epoll_ctl(anyInt(), anyInt(), eq(FD), anyLong());
        verify(shared, never()).errno();
    }

    @ParameterizedTest
    @EnumSource(value = LinuxArch.class, names = {"X86_64", "AARCH64"})
    void aFirstWaitAddsTheRegistrationAfterEnoentAndOtherErrorsAreReported(LinuxArch arch) throws Exception {
        LinuxEpoll q = epoll(arch);
        when(lent.epoll_ctl(READERS, LinuxConstants.EPOLL_CTL_MOD, FD, address)).thenReturn(-1);
        when(lent.epoll_ctl(READERS, LinuxConstants.EPOLL_CTL_ADD, FD, address)).thenReturn(0);
        when(lent.errno()).thenReturn(2); // ENOENT: no registration for this open file yet
        q.arm(FD, false, area);
        verify(lent).epoll_ctl(READERS, LinuxConstants.EPOLL_CTL_ADD, FD, address);

        when(lent.epoll_ctl(WRITERS, LinuxConstants.EPOLL_CTL_MOD, FD, address)).thenReturn(-1);
        when(lent.errno()).thenReturn(9); // EBADF
        SocketPairException e = assertThrows(SocketPairException.class, () -> q.arm(FD, true, area));
        assertEquals(9, e.nativeErrno());
        verify(lent, never()).epoll_ctl(WRITERS, LinuxConstants.EPOLL_CTL_ADD, FD, address);
        verify(shared, never()).errno();
    }

    @ParameterizedTest
    @EnumSource(value = LinuxArch.class, names = {"X86_64", "AARCH64"})
    void disarmDeletesThroughTheLentBinding(LinuxArch arch) throws Exception {
        LinuxEpoll q = epoll(arch);
        int size = LinuxConstants.epollEventSize(arch);
        List<String> calls = record(lent, size, -1);
        q.disarm(FD, true, area);
        q.disarm(FD, false, area);
        String pad = arch == LinuxArch.X86_64 ? "" : "00000000";
        assertArrayEquals(new String[] {"2:" + WRITERS + ":00000000" + pad + "0700000000000000",
                "2:" + READERS + ":00000000" + pad + "0700000000000000"}, calls.toArray(new String[0]));
        verify(shared, never()).epoll_ctl(anyInt(), eq(LinuxConstants.EPOLL_CTL_DEL), anyInt(), anyLong());
    }
}
