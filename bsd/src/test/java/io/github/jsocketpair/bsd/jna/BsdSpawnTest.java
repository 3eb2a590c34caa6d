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
import io.github.jsocketpair.internal.spawn.Reaper;
import io.github.jsocketpair.internal.spawn.SpawnConstants;
import io.github.jsocketpair.internal.spawn.Spawner;
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
    private record Header(int setpgroup, int setsigdef, int setsigmask, int setsid, int cloexecDefault, int pAll,
            int wexited, int wnowait, int wnohang, int sigstop) {
    }

    private static Header header(BsdFlavour f) {
        return switch (f) {
            // include/spawn.h 0x02/0x10/0x20, no SETSID; sys/sys/wait.h WEXITED 16, WNOWAIT 8, WNOHANG 1,
            // idtype_t { P_PID, P_PPID, P_PGID, P_SID, P_CID, P_UID, P_GID, P_ALL }; SIGSTOP 17
            case FREEBSD -> new Header(0x02, 0x10, 0x20, 0, 0, 7, 16, 8, 1, 17);
            // sys/sys/spawn.h 0x02/0x10/0x20 (0x40 is RETURNERROR); sys/sys/idtype.h { P_MYID = -1, P_ALL, P_PID };
            // sys/sys/wait.h 0x20, 0x10000, 1
            case NETBSD -> new Header(0x02, 0x10, 0x20, 0, 0, 0, 0x20, 0x00010000, 1, 17);
            // include/spawn.h 0x02/0x10/0x20; sys/sys/wait.h 1.19+: WEXITED 4, WNOWAIT 16, WNOHANG 1,
            // { P_ALL, P_PGID, P_PID }
            case OPENBSD -> new Header(0x02, 0x10, 0x20, 0, 0, 0, 4, 16, 1, 17);
            // include/spawn.h 0x02/0x10/0x20; sys/sys/wait.h WEXITED 0x0010, WNOWAIT 0x0008, WNOHANG 0x0001,
            // FreeBSD's idtype_t order
            case DRAGONFLY -> new Header(0x02, 0x10, 0x20, 0, 0, 7, 0x10, 0x08, 1, 17);
            // xnu bsd/sys/spawn.h 0x0002/0x0004/0x0008, SETSID 0x0400, CLOEXEC_DEFAULT 0x4000; bsd/sys/wait.h
            // { P_ALL, P_PID, P_PGID }, WEXITED 4, WNOWAIT 0x20, WNOHANG 1
            case MACOS -> new Header(0x0002, 0x0004, 0x0008, 0x0400, 0x4000, 0, 4, 0x20, 1, 17);
        };
    }

    @ParameterizedTest
    @EnumSource(BsdFlavour.class)
    void constantsMatchTheHeaders(BsdFlavour f) {
        SpawnConstants k = BsdSpawn.constants(f);
        Header h = header(f);
        assertEquals(h.setpgroup(), k.POSIX_SPAWN_SETPGROUP(), "POSIX_SPAWN_SETPGROUP");
        assertEquals(h.setsigdef(), k.POSIX_SPAWN_SETSIGDEF(), "POSIX_SPAWN_SETSIGDEF");
        assertEquals(h.setsigmask(), k.POSIX_SPAWN_SETSIGMASK(), "POSIX_SPAWN_SETSIGMASK");
        assertEquals(h.setsid(), k.POSIX_SPAWN_SETSID(), "POSIX_SPAWN_SETSID");
        assertEquals(h.cloexecDefault(), k.POSIX_SPAWN_CLOEXEC_DEFAULT(), "POSIX_SPAWN_CLOEXEC_DEFAULT");
        assertEquals(h.pAll(), k.P_ALL(), "P_ALL");
        assertEquals(h.wexited(), k.WEXITED(), "WEXITED");
        assertEquals(h.wnowait(), k.WNOWAIT(), "WNOWAIT");
        assertEquals(h.wnohang(), k.WNOHANG(), "WNOHANG");
        assertEquals(15, k.SIGTERM(), "SIGTERM, sys/signal.h");
        assertEquals(9, k.SIGKILL(), "SIGKILL, sys/signal.h");
        assertEquals(h.sigstop(), k.SIGSTOP(), "SIGSTOP, sys/signal.h");
        // The largest object each C library writes: NetBSD's posix_spawnattr (48 bytes, a struct there), OpenBSD's
        // siginfo_t (136 on LP64), NetBSD's and FreeBSD's sigset_t (16).
        assertTrue(k.fileActionsSize() >= 16 && k.attrSize() >= 48, "opaque types");
        assertTrue(k.sigsetSize() >= 16 && k.siginfoSize() >= 136, "sigset_t and siginfo_t");
        // posix_spawnattr_setflags takes a short: every flag must fit
        assertTrue((h.setpgroup() | h.setsigdef() | h.setsigmask() | h.setsid() | h.cloexecDefault()) <= Short.MAX_VALUE);
    }

    @Test
    void theNumbersDifferWhereTheHeadersDo() {
        // A shared table would have been wrong somewhere: P_ALL is 7 or 0, the mask flag 0x20 or 0x08, and only
        // macOS has SETSID and CLOEXEC_DEFAULT among them.
        assertEquals(7, FreeBsdConstants.SPAWN.P_ALL());
        assertEquals(0, MacOsConstants.SPAWN.P_ALL());
        assertEquals(0x08, MacOsConstants.SPAWN.POSIX_SPAWN_SETSIGMASK());
        assertEquals(0x20, OpenBsdConstants.SPAWN.POSIX_SPAWN_SETSIGMASK());
        assertEquals(0, FreeBsdConstants.SPAWN.POSIX_SPAWN_SETSID());
        assertEquals(0x4000, MacOsConstants.SPAWN.POSIX_SPAWN_CLOEXEC_DEFAULT());
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
        when(c.getdtablesize()).thenReturn(1024);
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

    private static int spawn(Spawner s, List<String> argv, Path dir, SortedMap<Integer, Descriptor> fds)
            throws Exception {
        return spawn(s, argv, dir, fds, new Spawner.Options(argv.get(0), null, false, false, false));
    }

    private static int spawn(Spawner s, List<String> argv, Path dir, SortedMap<Integer, Descriptor> fds,
            Spawner.Options o) throws Exception {
        return s.spawn(argv, List.of(), dir, fds, o);
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
        int pid = s.start(List.of("cat", "-u"), List.of("A=1"), Path.of("/tmp"), stdinAndStdout(5),
                new Spawner.Options("cat", null, true, false, false), p -> p, p -> new Reaper.Watched() {
                    @Override
                    public int pid() {
                        return p;
                    }

                    @Override
                    public boolean reap() {
                        return true;
                    }
                });
        assertEquals(PID, pid);

        InOrder o = inOrder(c);
        o.verify(c).posix_spawn_file_actions_init(any());
        // through the lowest free temporaries (3, 4), then onto 0 and 1
        o.verify(c).posix_spawn_file_actions_adddup2(any(), eq(5), eq(3));
        o.verify(c).posix_spawn_file_actions_adddup2(any(), eq(5), eq(4));
        o.verify(c).posix_spawn_file_actions_adddup2(any(), eq(3), eq(0));
        o.verify(c).posix_spawn_file_actions_adddup2(any(), eq(4), eq(1));
        o.verify(c).posix_spawn_file_actions_addclosefrom_np(any(), eq(3));
        o.verify(c).posix_spawn_file_actions_addchdir_np(any(), eq("/tmp"));
        o.verify(c).posix_spawnattr_init(any());
        o.verify(c).sigemptyset(any());
        o.verify(c).posix_spawnattr_setsigmask(any(), any());
        o.verify(c).sigfillset(any());
        o.verify(c).sigdelset(any(), eq(9));
        o.verify(c).sigdelset(any(), eq(17));
        o.verify(c).posix_spawnattr_setsigdefault(any(), any());
        o.verify(c).posix_spawnattr_setpgroup(any(), eq(0));
        o.verify(c).posix_spawnattr_setflags(any(), eq((short) (0x02 | 0x10 | 0x20)));
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
        assertEquals(PID, spawn(s, List.of("cat"), null, stdinAndStdout(5)));
        verify(c, never()).posix_spawn_file_actions_addclosefrom_np(any(), anyInt());
        verify(c).posix_spawn_file_actions_addclose(any(), eq(3));
        verify(c).posix_spawn_file_actions_addclose(any(), eq(4));
        Header h = header(f);
        verify(c).posix_spawnattr_setflags(any(), eq((short) (h.setsigmask() | h.setsigdef() | h.cloexecDefault())));
        if (f == BsdFlavour.MACOS) {
            // CLOEXEC_DEFAULT closes what no action names: 2 is kept by name, 0 and 1 are dup2 targets
            verify(c).posix_spawn_file_actions_addinherit_np(any(), eq(2));
            verify(c, never()).posix_spawn_file_actions_addinherit_np(any(), eq(0));
        } else {
            verify(c, never()).posix_spawn_file_actions_addinherit_np(any(), anyInt());
        }
        if (f == BsdFlavour.NETBSD) {
            // <signal.h> renames them; the plain symbols are the 4-byte compat ones
            verify(c).__sigemptyset14(any());
            verify(c).__sigfillset14(any());
            verify(c).__sigdelset14(any(), eq(17));
            verify(c, never()).sigemptyset(any());
            verify(c, never()).sigfillset(any());
            verify(c, never()).sigdelset(any(), anyInt());
        } else {
            verify(c).sigemptyset(any());
            verify(c).sigfillset(any());
            verify(c).sigdelset(any(), eq(17));
            verify(c, never()).__sigemptyset14(any());
            verify(c, never()).__sigfillset14(any());
        }
    }

    @Test
    void thePosixChdirNameIsUsedWhereItIsTheOneFound() throws Exception {
        BsdSpawn.Binding c = binding();
        Spawner s = backend(BsdFlavour.OPENBSD,
                new BsdSpawn(BsdFlavour.OPENBSD, c, true, BsdSpawn.Chdir.POSIX, false)).spawner();
        spawn(s, List.of("pwd"), Path.of("/var"), new TreeMap<>());
        verify(c).posix_spawn_file_actions_addchdir(any(), eq("/var"));
        verify(c, never()).posix_spawn_file_actions_addchdir_np(any(), anyString());
    }

    @Test
    void noChdirMeansDirectoryIsRefusedBeforeAnyCall() {
        BsdSpawn.Binding c = binding();
        Spawner s = backend(BsdFlavour.DRAGONFLY,
                new BsdSpawn(BsdFlavour.DRAGONFLY, c, true, BsdSpawn.Chdir.NONE, false)).spawner();
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                () -> spawn(s, List.of("pwd"), Path.of("/"), new TreeMap<>()));
        assertTrue(e.getMessage().contains("posix_spawn_file_actions_addchdir"), e.getMessage());
        verifyNoInteractions(c);
    }

    @ParameterizedTest
    @EnumSource(BsdFlavour.class)
    void aNewSessionIsRefusedBeforeAnyCallWhereSpawnHasNoSetsid(BsdFlavour f) throws Exception {
        BsdSpawn.Binding c = binding();
        Spawner s = backend(f, new BsdSpawn(f, c, true, BsdSpawn.Chdir.NONE, false)).spawner();
        Spawner.Options session = new Spawner.Options("sh", null, false, true, false);
        if (f == BsdFlavour.MACOS) {
            spawn(s, List.of("sh"), null, new TreeMap<>(), session);
            verify(c).posix_spawnattr_setflags(any(), eq((short) (0x0400 | 0x4000 | 0x04 | 0x08)));
            verify(c, never()).posix_spawnattr_setpgroup(any(), anyInt());
        } else {
            UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                    () -> spawn(s, List.of("sh"), null, new TreeMap<>(), session));
            assertTrue(e.getMessage().contains("POSIX_SPAWN_SETSID"), e.getMessage());
            verifyNoInteractions(c);
        }
    }

    @ParameterizedTest
    @EnumSource(BsdFlavour.class)
    void reapsAndSignalsWithTheFlavoursNumbers(BsdFlavour f) throws Exception {
        BsdSpawn.Binding c = binding();
        Spawner s = backend(f, new BsdSpawn(f, c, true, BsdSpawn.Chdir.NONE, false)).spawner();
        Header h = header(f);
        int status = s.reapNow(PID);
        assertEquals(3, Spawner.exitCode(status));
        verify(c).waitpid(eq(PID), any(), eq(h.wnohang()));
        assertEquals(0, s.kill(PID, s.sigterm()));
        verify(c).kill(PID, 15);
        assertEquals(0, s.kill(-PID, s.sigkill()), "a negative pid is the group");
        verify(c).kill(-PID, 9);
    }

    @Test
    void withoutWaitidTheCallReportsEnosysAndNeverReachesLibc() throws Exception {
        // OpenBSD before 7.3: the reaper then polls reapNow (waitpid WNOHANG) under each child's lock.
        BsdSpawn.Binding c = binding();
        BsdSpawn spawn = new BsdSpawn(BsdFlavour.OPENBSD, c, false, BsdSpawn.Chdir.NONE, false);
        assertEquals(-1, spawn.waitid(0, 0, 0, 4 | 16));
        assertEquals(BsdSpawn.ENOSYS, spawn.errno());
        verify(c, never()).waitid(anyInt(), anyLong(), any(), anyInt());
    }

    @Test
    void aFailedSpawnStillDestroysBothObjects() {
        BsdSpawn.Binding c = binding();
        doReturn(2).when(c).posix_spawnp(any(), anyString(), any(), any(), any(), any()); // ENOENT
        Spawner s = backend(BsdFlavour.MACOS, new BsdSpawn(BsdFlavour.MACOS, c, true, BsdSpawn.Chdir.NP, false))
                .spawner();
        Exception e = assertThrows(Exception.class, () -> spawn(s, List.of("no-such-command"), null,
                new TreeMap<>()));
        assertTrue(e.getMessage().contains("no-such-command"), e.getMessage());
        verify(c, times(1)).posix_spawnattr_destroy(any());
        verify(c, times(1)).posix_spawn_file_actions_destroy(any());
    }
}
