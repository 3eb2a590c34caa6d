package io.github.jsocketpair.bsd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.doReturn;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import com.sun.jna.Pointer;
import io.github.jsocketpair.Errno;
import io.github.jsocketpair.SocketPairException;
import io.github.jsocketpair.bsd.jna.BsdLibc;
import io.github.jsocketpair.bsd.jna.KeventLayout;
import io.github.jsocketpair.internal.EventArea;
import io.github.jsocketpair.internal.NativeConstants;
import io.github.jsocketpair.internal.Readiness;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.mockito.InOrder;

/**
 * {@link BsdKqueue} over a mocked libc, per flavour and architecture: the bytes of each {@code struct kevent} handed to
 * {@code kevent(2)} (golden bytes typed in from each header's field list, little-endian as amd64 and arm64 are, not
 * computed from {@link KeventLayout}), the flags, the timeout, how returned events are read, EINTR, and close-on-exec
 * of the queue. Only our side is checked: what a real kernel does with them is for an IT on a BSD host, which this
 * machine cannot run.
 */
class BsdKqueueTest {
    private static final int KQ = 42;
    private static final int FD = 10;

    /** One flavour on one architecture and the golden bytes of its kevents. */
    record Case(BsdPlatform platform, Golden golden) {
        @Override
        public String toString() {
            return platform.describe() + " " + platform.arch().label();
        }
    }

    /** Hand-written bytes: {@code %F} is the 2- or 4-byte filter, {@code %L} the flags. */
    enum Golden {
        // FreeBSD 12+: ident 8, short filter, u_short flags, u_int fflags, int64 data, void *udata, uint64 ext[4]
        FREEBSD_64("0a00000000000000 %F %L 00000000 0000000000000000 0a00000000000000"
                + " 0000000000000000 0000000000000000 0000000000000000 0000000000000000",
                "0700000000000000 ffff 0080 00000000 0000000000000000 0700000000000000" + " 00".repeat(32),
                "0800000000000000 feff 0040 00000000 2000000000000000 0800000000000000" + " 00".repeat(32),
                "0900000000000000 f9ff 0000 00000000 0000000000000000 0000000000000000" + " 00".repeat(32)),
        // NetBSD 10: ident 8, uint32 filter, uint32 flags, uint32 fflags, 4 padding, int64 data, void *udata
        NETBSD_40("0a00000000000000 %F %L 00000000 00000000 0000000000000000 0a00000000000000",
                "0700000000000000 00000000 00800000 00000000 00000000 0000000000000000 0700000000000000",
                "0800000000000000 01000000 00400000 00000000 00000000 2000000000000000 0800000000000000",
                "0900000000000000 06000000 00000000 00000000 00000000 0000000000000000 0000000000000000"),
        // OpenBSD, DragonFly, macOS: ident 8, short filter, u_short flags, u_int fflags, data 8, void *udata
        BSD_32("0a00000000000000 %F %L 00000000 0000000000000000 0a00000000000000",
                "0700000000000000 ffff 0080 00000000 0000000000000000 0700000000000000",
                "0800000000000000 feff 0040 00000000 2000000000000000 0800000000000000",
                "0900000000000000 f9ff 0000 00000000 0000000000000000 0000000000000000");

        final String change;
        /** fd 7 readable with EV_EOF; fd 8 writable with EV_ERROR, data 32; fd 9 an EVFILT_TIMER event. */
        final String readEof;
        final String writeError;
        final String timer;

        Golden(String change, String readEof, String writeError, String timer) {
            this.change = change;
            this.readEof = readEof;
            this.writeError = writeError;
            this.timer = timer;
        }

        byte[] change(boolean write, String flags) {
            boolean wide = this == NETBSD_40;
            String filter = wide ? (write ? "01000000" : "00000000") : (write ? "feff" : "ffff");
            String f = wide ? flags + "0000" : flags;
            return bytes(change.replace("%F", filter).replace("%L", f));
        }
    }

    static Stream<Case> cases() {
        List<Case> c = new ArrayList<>();
        for (BsdArch a : BsdArch.values()) {
            c.add(new Case(BsdPlatform.of(BsdFlavour.FREEBSD, "14.3-RELEASE", a), Golden.FREEBSD_64));
            c.add(new Case(BsdPlatform.of(BsdFlavour.FREEBSD, "12.0-RELEASE", a), Golden.FREEBSD_64));
            c.add(new Case(BsdPlatform.of(BsdFlavour.NETBSD, "10.1", a), Golden.NETBSD_40));
            // NetBSD 11: the same 40 bytes through __kevent50, its struct kevent100 (compat/sys/event.h 1.4)
            c.add(new Case(BsdPlatform.of(BsdFlavour.NETBSD, "11.0", a), Golden.NETBSD_40));
            c.add(new Case(BsdPlatform.of(BsdFlavour.OPENBSD, "7.8", a), Golden.BSD_32));
            c.add(new Case(BsdPlatform.of(BsdFlavour.MACOS, "15.5", a), Golden.BSD_32));
        }
        c.add(new Case(BsdPlatform.of(BsdFlavour.DRAGONFLY, "6.4-RELEASE", BsdArch.X86_64), Golden.BSD_32));
        return c.stream();
    }

    static byte[] bytes(String hex) {
        return HexFormat.of().parseHex(hex.replace(" ", ""));
    }

    private final MockLibc mock = new MockLibc();
    private final BsdLibc libc = mock.libc;
    private final ByteBuffer scratch = ByteBuffer.allocateDirect(Readiness.SCRATCH_SIZE)
            .order(ByteOrder.nativeOrder());
    private final long scratchAddress = libc.address(scratch);
    private final EventArea event = new EventArea(scratch, scratchAddress, libc);

    private BsdKqueue kqueue(BsdPlatform p) throws Exception {
        when(libc.kqueue()).thenReturn(KQ);
        NativeConstants c = mock.backend(p).table();
        return new BsdKqueue(libc, c, KeventLayout.of(p).orElseThrow());
    }

    /** Records the kevent bytes of each change-only call (no event list). */
    private List<byte[]> recordChanges(int size) {
        List<byte[]> changes = new ArrayList<>();
        doAnswer(i -> {
                    changes.add(new Pointer(i.getArgument(1)).getByteArray(0, size));
                    return 0;
                }).when(libc).kevent(eq(KQ), anyLong(), eq(1), eq(0L), eq(0), eq(0L));
        return changes;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void armWritesOneOneShotAddPerDirection(Case t) throws Exception {
        BsdKqueue q = kqueue(t.platform());
        int size = KeventLayout.of(t.platform()).orElseThrow().size();
        List<byte[]> changes = recordChanges(size);
        scratch.put(0, bytes("ff".repeat(Readiness.SCRATCH_SIZE))); // garbage: arm must overwrite all of it
        q.arm(FD, false, event);
        q.arm(FD, true, event);
        // EV_ADD 0x0001 | EV_ONESHOT 0x0010
        assertArrayEquals(t.golden().change(false, "1100"), changes.get(0), "EVFILT_READ, EV_ADD|EV_ONESHOT");
        assertArrayEquals(t.golden().change(true, "1100"), changes.get(1), "EVFILT_WRITE, EV_ADD|EV_ONESHOT");
        verify(libc, times(2)).kevent(eq(KQ), eq(scratchAddress), eq(1), eq(0L), eq(0), eq(0L));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void disarmDeletesAndIgnoresEnoent(Case t) throws Exception {
        BsdKqueue q = kqueue(t.platform());
        int size = KeventLayout.of(t.platform()).orElseThrow().size();
        List<byte[]> changes = new ArrayList<>();
        doAnswer(i -> {
                    changes.add(new Pointer(i.getArgument(1)).getByteArray(0, size));
                    return -1;
                }).when(libc).kevent(eq(KQ), anyLong(), eq(1), eq(0L), eq(0), eq(0L));
        doReturn(2).when(libc).errno(); // ENOENT: the one-shot fired and was deleted meanwhile
        q.disarm(FD, true, event);
        q.disarm(FD, false, event);
        assertArrayEquals(t.golden().change(true, "0200"), changes.get(0), "EVFILT_WRITE, EV_DELETE");
        assertArrayEquals(t.golden().change(false, "0200"), changes.get(1), "EVFILT_READ, EV_DELETE");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void awaitReportsReadWriteEofAndErrorAndSkipsOtherFilters(Case t) throws Exception {
        BsdKqueue q = kqueue(t.platform());
        Golden g = t.golden();
        byte[] out = concat(bytes(g.readEof), bytes(g.writeError), bytes(g.timer));
        doAnswer(i -> {
                    assertTrue((int) i.getArgument(4) > 0, "room for events");
                    new Pointer(i.getArgument(3)).write(0, out, 0, out.length);
                    return 3;
                }).when(libc).kevent(eq(KQ), eq(0L), eq(0), anyLong(), anyInt(), anyLong());
        List<String> seen = new ArrayList<>();
        assertEquals(2, q.await((fd, write) -> seen.add(fd + (write ? "w" : "r")), -1));
        assertEquals(List.of("7r", "8w"), seen, "EV_EOF and EV_ERROR are ready; the timer event is none of ours");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void awaitPassesNullForEverAndATimespecOtherwise(Case t) throws Exception {
        BsdKqueue q = kqueue(t.platform());
        List<Object> timeouts = new ArrayList<>();
        doAnswer(i -> {
                    long ts = i.getArgument(5);
                    timeouts.add(ts == 0 ? "NULL" : HexFormat.of().formatHex(new Pointer(ts).getByteArray(0, 16)));
                    return 0;
                }).when(libc).kevent(eq(KQ), eq(0L), eq(0), anyLong(), anyInt(), anyLong());
        q.await((fd, write) -> { }, -1);
        q.await((fd, write) -> { }, 1500);
        q.await((fd, write) -> { }, 0);
        // struct timespec { time_t tv_sec; long tv_nsec; }: 1 s + 500,000,000 ns, then zero (poll and return)
        assertEquals(List.of("NULL", "0100000000000000" + "0065cd1d00000000", "0".repeat(32)), timeouts);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void eintrInTheWaitReportsNothingAndOtherErrorsThrow(Case t) throws Exception {
        BsdKqueue q = kqueue(t.platform());
        NativeConstants c = mock.backend(t.platform()).table();
        doReturn(-1).when(libc).kevent(eq(KQ), eq(0L), eq(0), anyLong(), anyInt(), anyLong());
        doReturn(c.EINTR).when(libc).errno();
        assertEquals(0, q.await((fd, write) -> {
            throw new AssertionError("nothing is ready");
        }, -1));
        doReturn(c.nativeErrno(Errno.EBADF)).when(libc).errno();
        SocketPairException e = assertThrows(SocketPairException.class, () -> q.await((fd, write) -> { }, -1));
        assertEquals(Errno.EBADF, e.errno());
        assertEquals("kevent", e.call());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void armRetriesEintrAndThrowsOtherErrors(Case t) throws Exception {
        BsdKqueue q = kqueue(t.platform());
        NativeConstants c = mock.backend(t.platform()).table();
        when(libc.kevent(eq(KQ), anyLong(), eq(1), eq(0L), eq(0), eq(0L))).thenReturn(-1, 0);
        doReturn(c.EINTR).when(libc).errno();
        q.arm(FD, false, event);
        verify(libc, times(2)).kevent(eq(KQ), anyLong(), eq(1), eq(0L), eq(0), eq(0L));
        when(libc.kevent(eq(KQ), anyLong(), eq(1), eq(0L), eq(0), eq(0L))).thenReturn(-1);
        doReturn(c.nativeErrno(Errno.ENOMEM)).when(libc).errno();
        SocketPairException e = assertThrows(SocketPairException.class, 
                () -> q.arm(FD, true, event));
        assertEquals(Errno.ENOMEM, e.errno());
        assertTrue(e.getMessage().contains("EVFILT_WRITE"), e.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void theQueueIsCloseOnExecFromTheStart(Case t) throws Exception {
        BsdKqueue q = kqueue(t.platform());
        assertEquals(KQ, q.descriptor());
        InOrder o = inOrder(libc);
        o.verify(libc).kqueue();
        o.verify(libc).fcntl(KQ, 2, 1); // F_SETFD 2, FD_CLOEXEC 1 on every BSD and macOS
        verify(libc, never()).close(anyInt());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void aFailedCloseOnExecClosesTheQueue(Case t) throws Exception {
        NativeConstants c = mock.backend(t.platform()).table();
        when(libc.kqueue()).thenReturn(KQ);
        when(libc.fcntl(KQ, 2, 1)).thenReturn(-1);
        doReturn(c.nativeErrno(Errno.EBADF)).when(libc).errno();
        KeventLayout k = KeventLayout.of(t.platform()).orElseThrow();
        SocketPairException e = assertThrows(SocketPairException.class, () -> new BsdKqueue(libc, c, k));
        assertEquals("fcntl", e.call());
        verify(libc).close(KQ);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void aRefusedKqueueThrows(Case t) throws Exception {
        NativeConstants c = mock.backend(t.platform()).table();
        when(libc.kqueue()).thenReturn(-1);
        doReturn(c.nativeErrno(Errno.EMFILE)).when(libc).errno();
        KeventLayout k = KeventLayout.of(t.platform()).orElseThrow();
        SocketPairException e = assertThrows(SocketPairException.class, () -> new BsdKqueue(libc, c, k));
        assertEquals(Errno.EMFILE, e.errno());
        verify(libc, never()).fcntl(anyInt(), anyInt(), anyInt());
    }

    /** The symbol each flavour binds, as its header names it. */
    @Test
    void symbolPerFlavour() {
        assertEquals("kevent", KeventLayout.newestKnown(BsdFlavour.FREEBSD).symbol());
        assertEquals("__kevent50", KeventLayout.newestKnown(BsdFlavour.NETBSD).symbol()); // __RENAME in event.h
        assertEquals("kevent", KeventLayout.newestKnown(BsdFlavour.OPENBSD).symbol());
        assertEquals("kevent", KeventLayout.newestKnown(BsdFlavour.DRAGONFLY).symbol());
        assertEquals("kevent", KeventLayout.newestKnown(BsdFlavour.MACOS).symbol());
        assertTrue(KeventLayout.newestKnown(BsdFlavour.NETBSD).sizeTCounts(), "NetBSD's counts are size_t");
    }

    /** FreeBSD 11 (a 32-byte kevent, not read) keeps poll(2); NetBSD 11 binds __kevent50 as NetBSD 10 does. */
    @Test
    void onlyFreeBsdBefore12HasNoLayout() {
        assertTrue(KeventLayout.of(BsdPlatform.of(BsdFlavour.FREEBSD, "11.4-RELEASE", BsdArch.X86_64)).isEmpty());
        for (String release : List.of("10.1", "11.0")) {
            KeventLayout k = KeventLayout.of(BsdPlatform.of(BsdFlavour.NETBSD, release, BsdArch.AARCH64)).orElseThrow();
            assertEquals("__kevent50", k.symbol(), release);
            assertEquals(40, k.size(), release);
        }
    }

    /** The backend's readiness queue is the kqueue wherever a layout is known, and poll(2) elsewhere. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void theBackendWaitsOnAKqueue(Case t) throws Exception {
        BsdBackend b = mock.backend(t.platform());
        when(libc.kqueue()).thenReturn(KQ);
        Readiness r = b.readiness();
        assertTrue(r instanceof BsdKqueue, r.getClass().getName());
        verify(libc).fcntl(KQ, 2, 1);
    }

    @Test
    void releasesWithoutALayoutKeepPoll() throws Exception {
        BsdPlatform p = BsdPlatform.of(BsdFlavour.FREEBSD, "11.4-RELEASE", BsdArch.X86_64);
        Readiness r = mock.backend(p).readiness();
        assertEquals("PollReadiness", r.getClass().getSimpleName(), p.describe());
        verify(libc, never()).kqueue();
    }

    /** Before any waiter relies on it, the queue makes one kevent call: no changes, room for events, zero timeout. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void theQueueChecksItsEntryPointAtStart(Case t) throws Exception {
        List<String> timeouts = new ArrayList<>();
        doAnswer(i -> {
                    assertTrue((int) i.getArgument(4) > 0, "room for events");
                    timeouts.add(HexFormat.of().formatHex(new Pointer(i.getArgument(5)).getByteArray(0, 16)));
                    return 0;
                }).when(libc).kevent(eq(KQ), eq(0L), eq(0), anyLong(), anyInt(), anyLong());
        kqueue(t.platform());
        assertEquals(List.of("0".repeat(32)), timeouts, "one call, timeout { 0, 0 }");
    }

    /** A kernel without the entry point (ENOSYS) or a libc without the symbol: poll(2), and the kqueue is closed. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void aQueueThatFailsItsCheckFallsBackToPoll(Case t) throws Exception {
        BsdBackend b = mock.backend(t.platform());
        NativeConstants c = b.table();
        when(libc.kqueue()).thenReturn(KQ);
        doReturn(-1).when(libc).kevent(eq(KQ), eq(0L), eq(0), anyLong(), anyInt(), anyLong());
        doReturn(c.nativeErrno(Errno.ENOSYS)).when(libc).errno();
        assertEquals("PollReadiness", b.readiness().getClass().getSimpleName());
        verify(libc).close(KQ);

        doThrow(new UnsatisfiedLinkError("__kevent50")).when(libc)
                .kevent(eq(KQ), eq(0L), eq(0), anyLong(), anyInt(), anyLong());
        assertEquals("PollReadiness", b.readiness().getClass().getSimpleName());
        verify(libc, times(2)).close(KQ);
    }

    /** Any other failure of the check is the caller's (out of descriptors, memory): thrown, the kqueue closed. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void otherCheckFailuresThrowAndCloseTheQueue(Case t) throws Exception {
        BsdBackend b = mock.backend(t.platform());
        NativeConstants c = b.table();
        when(libc.kqueue()).thenReturn(KQ);
        doReturn(-1).when(libc).kevent(eq(KQ), eq(0L), eq(0), anyLong(), anyInt(), anyLong());
        doReturn(c.nativeErrno(Errno.ENOMEM)).when(libc).errno();
        SocketPairException e = assertThrows(SocketPairException.class, b::readiness);
        assertEquals(Errno.ENOMEM, e.errno());
        assertEquals(KeventLayout.of(t.platform()).orElseThrow().symbol(), e.call());
        verify(libc).close(KQ);
    }

    private static byte[] concat(byte[]... parts) {
        ByteBuffer b = ByteBuffer.allocate(Stream.of(parts).mapToInt(p -> p.length).sum());
        for (byte[] p : parts) {
            b.put(p);
        }
        return b.array();
    }
}
