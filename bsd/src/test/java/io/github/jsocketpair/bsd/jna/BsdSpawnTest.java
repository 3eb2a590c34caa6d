package io.github.jsocketpair.bsd.jna;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.doReturn;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import io.github.jsocketpair.Descriptor;
import io.github.jsocketpair.bsd.BsdArch;
import io.github.jsocketpair.bsd.BsdBackend;
import io.github.jsocketpair.bsd.BsdFlavour;
import io.github.jsocketpair.bsd.BsdPlatform;
import io.github.jsocketpair.internal.SpawnConstants;
import io.github.jsocketpair.internal.Spawner;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.mockito.InOrder;

/**
 * The BSD spawn binding over a mocked C library: each flavour's numbers against its headers, and the calls
 * {@link io.github.jsocketpair.ChildProcess} makes through a BSD backend's {@link Spawner} (start, wait, reap,
 * signal). Only our control flow is mocked; whether a BSD kernel and libc do what the numbers say is for an IT on a
 * BSD host, which this build cannot run.
 */
class BsdSpawnTest {
    private static final int PID = 4242;

    /** Values typed from the headers, not from the constants classes. */
    private record Header(int setsigmask, int pPid, int wexited, int wnowait, int wnohang) {
    }

    private static Header header(BsdFlavour f) {
        return switch (f) {
            // include/spawn.h 0x20; sys/sys/wait.h WEXITED 16, WNOWAIT 8, WNOHANG 1, idtype_t { P_PID, ... }
            case FREEBSD -> new Header(0x20, 0, 16, 8, 1);
            // sys/sys/spawn.h 0x20; sys/sys/idtype.h { P_MYID = -1, P_ALL, P_PID }; sys/sys/wait.h 0x20, 0x10000, 1
            case NETBSD -> new Header(0x20, 1, 0x20, 0x00010000, 1);
            // include/spawn.h 0x20; sys/sys/wait.h 1.19+: WEXITED 4, WNOWAIT 16, WNOHANG 1, { P_ALL, P_PGID, P_PID }
            case OPENBSD -> new Header(0x20, 2, 4, 16, 1);
            // include/spawn.h 0x20; sys/sys/wait.h WEXITED 0x0010, WNOWAIT 0x0008, WNOHANG 0x0001, { P_PID, ... }
            case DRAGONFLY -> new Header(0x20, 0, 0x10, 0x08, 1);
            // xnu bsd/sys/spawn.h 0x0008; bsd/sys/wait.h { P_ALL, P_PID, P_PGID }, WEXITED 4, WNOWAIT 0x20, WNOHANG 1
            case MACOS -> new Header(0x0008, 1, 4, 0x20, 1);
        };
    }

    @ParameterizedTest
    @EnumSource(BsdFlavour.class)
    void constantsMatchTheHeaders(BsdFlavour f) {
        SpawnConstants k = BsdSpawn.constants(f);
        Header h = header(f);
        assertEquals(h.setsigmask(), k.POSIX_SPAWN_SETSIGMASK(), "POSIX_SPAWN_SETSIGMASK");
        assertEquals(h.pPid(), k.P_PID(), "P_PID");
        assertEquals(h.wexited(), k.WEXITED(), "WEXITED");
        assertEquals(h.wnowait(), k.WNOWAIT(), "WNOWAIT");
        assertEquals(h.wnohang(), k.WNOHANG(), "WNOHANG");
        assertEquals(15, k.SIGTERM(), "SIGTERM, sys/signal.h");
        assertEquals(9, k.SIGKILL(), "SIGKILL, sys/signal.h");
        // The largest object each C library writes: NetBSD's posix_spawnattr (48 bytes, a struct there), OpenBSD's
        // siginfo_t (136 on LP64), NetBSD's and FreeBSD's sigset_t (16).
        assertTrue(k.fileActionsSize() >= 16 && k.attrSize() >= 48, "opaque types");
        assertTrue(k.sigsetSize() >= 16 && k.siginfoSize() >= 136, "sigset_t and siginfo_t");
    }

    @Test
    void theNumbersDifferWhereTheHeadersDo() {
        // A shared table would have been wrong somewhere: P_PID is 0, 1 or 2, the mask flag 0x20 or 0x08.
        assertEquals(0, FreeBsdConstants.SPAWN.P_PID());
        assertEquals(1, MacOsConstants.SPAWN.P_PID());
        assertEquals(2, OpenBsdConstants.SPAWN.P_PID());
        assertEquals(0x08, MacOsConstants.SPAWN.POSIX_SPAWN_SETSIGMASK());
    }

    @Test
    @EnabledOnOs(OS.LINUX) // glibc: only loading and the symbol probes run, none of the BSD numbers is used
    void loadsFromTheProcessAndProbesSymbols() {
        BsdSpawn b = BsdSpawn.load(BsdFlavour.FREEBSD);
        assertTrue(b.hasWaitid(), "glibc has waitid");
        assertTrue(b.hasAddchdir(), "glibc 2.29+ has posix_spawn_file_actions_addchdir_np");
        assertSame(FreeBsdConstants.SPAWN, b.constants());
        assertEquals(0, b.kill((int) ProcessHandle.current().pid(), 0), "kill(self, 0) through the binding");
    }

    // ---- the calls through a mocked backend ---------------------------------------------------------------------

    /** A binding that accepts everything; posix_spawnp writes {@link #PID}, waitpid reports an exit with 3. */
    private static BsdSpawn.Binding binding() {
        BsdSpawn.Binding c = mock(BsdSpawn.Binding.class);
        doAnswer(i -> {
            ((Pointer) i.getArgument(0)).setInt(0, PID);
            return 0;
        }).when(c).posix_spawnp(any(), anyString(), any(), any(), any(), any());
        doAnswer(i -> {
            ((Pointer) i.getArgument(1)).setInt(0, 3 << 8);
            return PID;
        }).when(c).waitpid(anyInt(), any(), anyInt());
        return c;
    }

    /** A BSD backend over a mocked libc whose spawn binding is {@code spawn}. */
    private static BsdBackend backend(BsdFlavour f, BsdSpawn spawn) {
        BsdLibc libc = mock(BsdLibc.class);
        when(libc.address(any())).thenAnswer(i -> Pointer.nativeValue(Native.getDirectBufferPointer(
                (ByteBuffer) i.getArgument(0))));
        when(libc.spawnLibc(f)).thenReturn(spawn);
        String version = switch (f) {
            case FREEBSD -> "14.1-RELEASE";
            case NETBSD -> "10.0";
            case OPENBSD -> "7.6";
            case DRAGONFLY -> "6.4-RELEASE";
            case MACOS -> "14.5";
        };
        return BsdBackend.create(libc, BsdPlatform.of(f, version, BsdArch.X86_64));
    }

    private static SortedMap<Integer, Descriptor> stdinAndStdout(int fd) {
        SortedMap<Integer, Descriptor> fds = new TreeMap<>();
        fds.put(0, Descriptor.borrow(fd));
        fds.put(1, Descriptor.borrow(fd));
        return fds;
    }

    @Test
    void freeBsdStartsWithDup2ClosefromChdirAndAnEmptyMask() throws Exception {
        BsdSpawn.Binding c = binding();
        BsdBackend backend = backend(BsdFlavour.FREEBSD,
                new BsdSpawn(BsdFlavour.FREEBSD, c, true, BsdSpawn.Chdir.NP, true));
        Spawner s = backend.spawner();
        assertSame(s, backend.spawner(), "bound once");
        int pid = s.spawn(List.of("cat", "-u"), List.of("A=1"), Path.of("/tmp"), stdinAndStdout(5));
        assertEquals(PID, pid);

        InOrder o = inOrder(c);
        o.verify(c).posix_spawn_file_actions_init(any());
        // through temporaries above every number involved (6, 7), then onto 0 and 1
        o.verify(c).posix_spawn_file_actions_adddup2(any(), eq(5), eq(6));
        o.verify(c).posix_spawn_file_actions_adddup2(any(), eq(5), eq(7));
        o.verify(c).posix_spawn_file_actions_adddup2(any(), eq(6), eq(0));
        o.verify(c).posix_spawn_file_actions_adddup2(any(), eq(7), eq(1));
        o.verify(c).posix_spawn_file_actions_addclosefrom_np(any(), eq(3));
        o.verify(c).posix_spawn_file_actions_addchdir_np(any(), eq("/tmp"));
        o.verify(c).posix_spawnattr_init(any());
        o.verify(c).sigemptyset(any());
        o.verify(c).posix_spawnattr_setsigmask(any(), any());
        o.verify(c).posix_spawnattr_setflags(any(), eq((short) 0x20));
        o.verify(c).posix_spawnp(any(), eq("cat"), any(), any(), any(), any());
        o.verify(c).posix_spawnattr_destroy(any());
        o.verify(c).posix_spawn_file_actions_destroy(any());
        verify(c, never()).posix_spawn_file_actions_addclose(any(), anyInt()); // closefrom took the temporaries
        verify(c, never()).__sigemptyset14(any());
    }

    @ParameterizedTest
    @EnumSource(value = BsdFlavour.class, names = {"NETBSD", "OPENBSD", "DRAGONFLY", "MACOS"})
    void elsewhereTheTemporariesAreClosedOneByOne(BsdFlavour f) throws Exception {
        BsdSpawn.Binding c = binding();
        // closefrom found: still not used off FreeBSD (close of a closed descriptor not verified to be ignored)
        Spawner s = backend(f, new BsdSpawn(f, c, true, BsdSpawn.Chdir.NONE, true)).spawner();
        assertEquals(PID, s.spawn(List.of("cat"), List.of(), null, stdinAndStdout(5)));
        verify(c, never()).posix_spawn_file_actions_addclosefrom_np(any(), anyInt());
        verify(c).posix_spawn_file_actions_addclose(any(), eq(6));
        verify(c).posix_spawn_file_actions_addclose(any(), eq(7));
        verify(c).posix_spawnattr_setflags(any(), eq((short) header(f).setsigmask()));
        if (f == BsdFlavour.NETBSD) {
            verify(c).__sigemptyset14(any()); // <signal.h> renames it; the plain symbol is the 4-byte compat one
            verify(c, never()).sigemptyset(any());
        } else {
            verify(c).sigemptyset(any());
            verify(c, never()).__sigemptyset14(any());
        }
    }

    @Test
    void thePosixChdirNameIsUsedWhereItIsTheOneFound() throws Exception {
        BsdSpawn.Binding c = binding();
        Spawner s = backend(BsdFlavour.OPENBSD,
                new BsdSpawn(BsdFlavour.OPENBSD, c, true, BsdSpawn.Chdir.POSIX, false)).spawner();
        s.spawn(List.of("pwd"), List.of(), Path.of("/var"), new TreeMap<>());
        verify(c).posix_spawn_file_actions_addchdir(any(), eq("/var"));
        verify(c, never()).posix_spawn_file_actions_addchdir_np(any(), anyString());
    }

    @Test
    void noChdirMeansDirectoryIsRefusedBeforeAnyCall() {
        BsdSpawn.Binding c = binding();
        Spawner s = backend(BsdFlavour.DRAGONFLY,
                new BsdSpawn(BsdFlavour.DRAGONFLY, c, true, BsdSpawn.Chdir.NONE, false)).spawner();
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                () -> s.spawn(List.of("pwd"), List.of(), Path.of("/"), new TreeMap<>()));
        assertTrue(e.getMessage().contains("posix_spawn_file_actions_addchdir"), e.getMessage());
        verifyNoInteractions(c);
    }

    @ParameterizedTest
    @EnumSource(BsdFlavour.class)
    void waitsWithoutReapingThenReapsAndSignalsWithTheFlavoursNumbers(BsdFlavour f) throws Exception {
        BsdSpawn.Binding c = binding();
        Spawner s = backend(f, new BsdSpawn(f, c, true, BsdSpawn.Chdir.NONE, false)).spawner();
        Header h = header(f);
        assertEquals(0, s.awaitExit(PID));
        verify(c).waitid(eq(h.pPid()), eq((long) PID), any(), eq(h.wexited() | h.wnowait()));
        int status = s.reapNow(PID);
        assertEquals(3, Spawner.exitCode(status));
        verify(c).waitpid(eq(PID), any(), eq(h.wnohang()));
        assertEquals(0, s.kill(PID, s.sigterm()));
        verify(c).kill(PID, 15);
    }

    @Test
    void withoutWaitidTheWaitReportsEnosysAndNeverCallsIt() throws Exception {
        // OpenBSD before 7.3: ChildProcess's reaper then polls reapNow (waitpid WNOHANG) under its lock.
        BsdSpawn.Binding c = binding();
        Spawner s = backend(BsdFlavour.OPENBSD,
                new BsdSpawn(BsdFlavour.OPENBSD, c, false, BsdSpawn.Chdir.NONE, false)).spawner();
        assertEquals(BsdSpawn.ENOSYS, s.awaitExit(PID));
        verify(c, never()).waitid(anyInt(), anyLong(), any(), anyInt());
        assertEquals(3, Spawner.exitCode(s.reapNow(PID)));
    }

    @Test
    void aFailedSpawnStillDestroysBothObjects() {
        BsdSpawn.Binding c = binding();
        doReturn(2).when(c).posix_spawnp(any(), anyString(), any(), any(), any(), any()); // ENOENT
        Spawner s = backend(BsdFlavour.MACOS, new BsdSpawn(BsdFlavour.MACOS, c, true, BsdSpawn.Chdir.NP, false))
                .spawner();
        Exception e = assertThrows(Exception.class, () -> s.spawn(List.of("no-such-command"), List.of(), null,
                new TreeMap<>()));
        assertTrue(e.getMessage().contains("no-such-command"), e.getMessage());
        verify(c, times(1)).posix_spawnattr_destroy(any());
        verify(c, times(1)).posix_spawn_file_actions_destroy(any());
    }
}
