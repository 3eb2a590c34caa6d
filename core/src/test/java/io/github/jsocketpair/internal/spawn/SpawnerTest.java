package io.github.jsocketpair.internal.spawn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jsocketpair.Descriptor;
import io.github.jsocketpair.Errno;
import io.github.jsocketpair.SocketPairException;
import io.github.jsocketpair.internal.NativeConstants;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class SpawnerTest {

    /** One open descriptor in the simulated table: which file, and whether exec closes it. */
    private record Entry(String file, boolean cloexec) {
    }

    /**
     * Runs the plan on a simulated descriptor table the way a C library without the Austin Group 411 fix does
     * (dup2(fd, fd) changes nothing), then exec: close-on-exec entries go.
     */
    private static Map<Integer, Entry> runInChild(Map<Integer, Entry> parent, List<Spawner.Action> plan) {
        Map<Integer, Entry> t = new HashMap<>(parent);
        for (Spawner.Action a : plan) {
            switch (a.kind()) {
                case DUP2 -> {
                    Entry from = t.get(a.fd());
                    if (from == null) {
                        throw new AssertionError("dup2 from a closed descriptor " + a.fd());
                    }
                    if (a.fd() != a.newFd()) {
                        t.put(a.newFd(), new Entry(from.file(), false));
                    }
                }
                case CLOSE -> t.remove(a.fd());
                case CLOSEFROM -> t.keySet().removeIf(fd -> fd >= a.fd());
                case INHERIT -> t.computeIfPresent(a.fd(), (fd, e) -> new Entry(e.file(), false));
                default -> throw new AssertionError(a);
            }
        }
        t.values().removeIf(Entry::cloexec);
        return t;
    }

    private static Map<Integer, Entry> table() {
        Map<Integer, Entry> t = new HashMap<>();
        t.put(0, new Entry("tty-in", false));
        t.put(1, new Entry("tty-out", false));
        t.put(2, new Entry("tty-err", false));
        for (int fd = 3; fd < 12; fd++) {
            t.put(fd, new Entry("ours-" + fd, true)); // everything this library opens is close-on-exec
        }
        t.put(12, new Entry("someone-elses-" + 12, false)); // a stray inheritable descriptor
        return t;
    }

    /** macOS's POSIX_SPAWN_CLOEXEC_DEFAULT: at exec, everything no action named is closed too. */
    private static Map<Integer, Entry> runInChildCloexecDefault(Map<Integer, Entry> parent,
            List<Spawner.Action> plan) {
        Map<Integer, Entry> t = new HashMap<>();
        for (Map.Entry<Integer, Entry> e : parent.entrySet()) {
            t.put(e.getKey(), new Entry(e.getValue().file(), true));
        }
        return runInChild(t, plan);
    }

    private static void check(SortedMap<Integer, Integer> mapping, boolean closeRest) {
        Map<Integer, Entry> parent = table();
        Map<Integer, Entry> child = runInChild(parent, Spawner.plan(mapping, closeRest, false));
        for (Map.Entry<Integer, Integer> m : mapping.entrySet()) {
            assertEquals(parent.get(m.getValue()).file(), child.get(m.getKey()).file(), "child fd " + m.getKey());
        }
        for (int fd = 0; fd <= 2; fd++) {
            if (!mapping.containsKey(fd)) {
                assertEquals(parent.get(fd), child.get(fd), "unmapped standard descriptor " + fd);
            }
        }
        for (Map.Entry<Integer, Entry> e : child.entrySet()) {
            if (e.getKey() > 2 && !mapping.containsKey(e.getKey())) {
                assertFalse(closeRest, "left open: " + e);
                assertTrue(e.getValue().file().startsWith("someone-elses"), "leaked into the child: " + e);
            }
        }
    }

    private static SortedMap<Integer, Integer> map(int... childThenParent) {
        SortedMap<Integer, Integer> m = new TreeMap<>();
        for (int i = 0; i < childThenParent.length; i += 2) {
            m.put(childThenParent[i], childThenParent[i + 1]);
        }
        return m;
    }

    @Test
    void descriptorsLandWhereAskedWithCloseOnExecCleared() {
        for (boolean closeRest : new boolean[] {false, true}) {
            check(map(0, 5, 1, 5), closeRest);                // one socket as stdin and stdout
            check(map(3, 7), closeRest);                      // inherit(3, ...)
            check(map(7, 7), closeRest);                      // its own number: dup2(7, 7) would keep FD_CLOEXEC
            check(map(4, 5, 5, 4), closeRest);                // swapped
            check(map(3, 4, 4, 5, 5, 3), closeRest);          // a cycle
            check(map(0, 1, 1, 0), closeRest);                // standard descriptors swapped
            check(map(9, 3, 2, 9, 0, 9), closeRest);          // gaps, stderr replaced
            check(map(), closeRest);
            check(map(3, 3, 4, 4), closeRest);                // low numbers in use: temporaries skip them
        }
    }

    @Test
    void temporariesAreTheLowestFreeNumbersNotTheHighest() {
        // one socket at 5 as stdin and stdout: temporaries 3 and 4, not 6 and 7
        assertEquals(List.of(new Spawner.Action(Spawner.Action.Kind.DUP2, 5, 3),
                new Spawner.Action(Spawner.Action.Kind.DUP2, 5, 4),
                new Spawner.Action(Spawner.Action.Kind.DUP2, 3, 0),
                new Spawner.Action(Spawner.Action.Kind.DUP2, 4, 1),
                new Spawner.Action(Spawner.Action.Kind.CLOSE, 3, -1),
                new Spawner.Action(Spawner.Action.Kind.CLOSE, 4, -1)), Spawner.plan(map(0, 5, 1, 5), false, false));
        // a descriptor near a limit of 1024 going to 3: the temporary is 4, far below the limit
        List<Spawner.Action> plan = Spawner.plan(map(3, 1020), false, false);
        assertEquals(new Spawner.Action(Spawner.Action.Kind.DUP2, 1020, 4), plan.get(0));
    }

    @Test
    void aPlanThatDoesNotFitUnderTheLimitFailsBeforeAnyCallAndSaysWhy() throws Exception {
        FakeSpawnLibc libc = new FakeSpawnLibc();
        Spawner s = new Spawner(errnos(), libc);
        libc.dtablesize = 64;
        SortedMap<Integer, Descriptor> fds = new TreeMap<>();
        fds.put(100, Descriptor.borrow(5));
        SocketPairException e = assertThrows(SocketPairException.class, () -> s.spawn(List.of("true"), List.of(),
                null, fds, options("true")));
        assertEquals(Errno.EBADF, e.errno());
        assertTrue(e.getMessage().contains("the child's descriptor 100") && e.getMessage().contains("RLIMIT_NOFILE")
                && e.getMessage().contains("64"), e.getMessage());
        assertEquals(List.of(), libc.calls);

        libc.dtablesize = 6; // 5 goes to 0 and 1: temporaries 3 and 4 fit under 6, but not under 5
        SortedMap<Integer, Descriptor> two = new TreeMap<>();
        two.put(0, Descriptor.borrow(4));
        two.put(1, Descriptor.borrow(4));
        assertEquals(4242, s.spawn(List.of("true"), List.of(), null, two, options("true")));
        libc.calls.clear();
        libc.dtablesize = 4;
        e = assertThrows(SocketPairException.class, () -> s.spawn(List.of("true"), List.of(), null, two,
                options("true")));
        assertTrue(e.getMessage().contains("this process's descriptor 4"), e.getMessage());
        assertEquals(List.of(), libc.calls);
    }

    @Test
    void closefromAtTheLimitIsLeftOut() throws Exception {
        Spawner s = new Spawner(errnos(), new FakeSpawnLibc());
        List<Spawner.Action> plan = s.fit(Spawner.plan(map(63, 5), true, false), 64, map(63, 5), "x");
        assertFalse(plan.stream().anyMatch(a -> a.kind() == Spawner.Action.Kind.CLOSEFROM), plan.toString());
        plan = s.fit(Spawner.plan(map(62, 5), true, false), 64, map(62, 5), "x");
        assertTrue(plan.contains(new Spawner.Action(Spawner.Action.Kind.CLOSEFROM, 63, -1)), plan.toString());
    }

    @Test
    void cloexecDefaultKeepsExactlyWhatWasGivenAndTheUnmappedStandardDescriptors() {
        for (SortedMap<Integer, Integer> m : List.of(map(0, 5, 1, 5), map(3, 7), map(7, 7), map(4, 5, 5, 4),
                map(2, 9), map())) {
            List<Spawner.Action> plan = Spawner.plan(m, false, true);
            Map<Integer, Entry> child = runInChildCloexecDefault(table(), plan);
            Map<Integer, Entry> expected = new HashMap<>();
            for (int fd = 0; fd <= 2; fd++) {
                expected.put(fd, new Entry(table().get(fd).file(), false));
            }
            for (Map.Entry<Integer, Integer> e : m.entrySet()) {
                expected.put(e.getKey(), new Entry(table().get(e.getValue()).file(), false));
            }
            assertEquals(expected, child, m + " -> " + plan);
            assertFalse(plan.stream().anyMatch(a -> a.kind() == Spawner.Action.Kind.CLOSEFROM));
        }
    }

    @Test
    void closeRestClosesStraysButKeepsUnmappedStandardDescriptors() {
        Map<Integer, Entry> child = runInChild(table(), Spawner.plan(map(5, 4), true, false));
        assertEquals(Map.of(0, new Entry("tty-in", false), 1, new Entry("tty-out", false), 2,
                new Entry("tty-err", false), 5, new Entry("ours-4", false)), child);
        Map<Integer, Entry> without = runInChild(table(), Spawner.plan(map(5, 4), false, false));
        assertTrue(without.containsKey(12), "without closefrom the stray stays: nothing we can do there");
    }

    @Test
    void waitStatusDecoding() {
        int exited3 = 3 << 8;
        assertTrue(Spawner.exited(exited3));
        assertFalse(Spawner.signaled(exited3));
        assertEquals(3, Spawner.exitCode(exited3));
        int killed = 9;
        assertTrue(Spawner.signaled(killed));
        assertFalse(Spawner.exited(killed));
        assertEquals(9, Spawner.termSignal(killed));
        int abortedWithCore = 6 | 0x80;
        assertTrue(Spawner.signaled(abortedWithCore));
        assertTrue(Spawner.coreDumped(abortedWithCore));
        assertEquals(6, Spawner.termSignal(abortedWithCore));
        int stopped = 0x7f | (19 << 8);
        assertFalse(Spawner.signaled(stopped));
        assertFalse(Spawner.exited(stopped));
        assertEquals("SIGKILL", Spawner.signalName(9));
        assertEquals(null, Spawner.signalName(10)); // SIGUSR1 on Linux, SIGBUS on the BSDs: no name
    }

    // ---- the spawn sequence over a fake binding -----------------------------------------------------------------

    /** glibc's numbers. */
    static final SpawnConstants LINUX = new SpawnConstants(1024, 1024, 256, 256, 0x02, 0x04, 0x08, 0x80, 0, 0, 4,
            0x01000000, 1, 15, 9, 19);

    static Spawner.Options options(String file) {
        return new Spawner.Options(file, "/usr/bin:/bin", false, false, false);
    }

    /** Records calls; posix_spawnp answers {@code spawnResult} and writes pid 4242. */
    static class FakeSpawnLibc implements SpawnLibc {
        final List<String> calls = java.util.Collections.synchronizedList(new ArrayList<>());
        SpawnConstants constants = LINUX;
        int spawnResult;
        int dtablesize = 1024;
        boolean chdir = true;
        String[] argv;
        String[] envp;

        @Override
        public SpawnConstants constants() {
            return constants;
        }

        @Override
        public int posix_spawn_file_actions_init(long actions) {
            calls.add("init");
            return 0;
        }

        @Override
        public int posix_spawn_file_actions_destroy(long actions) {
            calls.add("destroy");
            return 0;
        }

        @Override
        public int posix_spawn_file_actions_adddup2(long actions, int fd, int newfd) {
            calls.add("dup2 " + fd + " " + newfd);
            return 0;
        }

        @Override
        public int posix_spawn_file_actions_addclose(long actions, int fd) {
            calls.add("close " + fd);
            return 0;
        }

        @Override
        public boolean hasAddchdir() {
            return chdir;
        }

        @Override
        public int posix_spawn_file_actions_addchdir_np(long actions, String path) {
            calls.add("chdir " + path);
            return 0;
        }

        @Override
        public boolean hasAddclosefrom() {
            return false;
        }

        @Override
        public int posix_spawn_file_actions_addclosefrom_np(long actions, int from) {
            throw new AssertionError("not available");
        }

        @Override
        public int posix_spawnattr_init(long attr) {
            calls.add("attr init");
            return 0;
        }

        @Override
        public int posix_spawnattr_destroy(long attr) {
            calls.add("attr destroy");
            return 0;
        }

        @Override
        public int posix_spawnattr_setflags(long attr, short flags) {
            calls.add("flags " + flags);
            return 0;
        }

        @Override
        public int posix_spawnattr_setsigmask(long attr, long sigset) {
            calls.add("sigmask");
            return 0;
        }

        @Override
        public int posix_spawnattr_setsigdefault(long attr, long sigset) {
            calls.add("sigdefault");
            return 0;
        }

        @Override
        public int posix_spawnattr_setpgroup(long attr, int pgroup) {
            calls.add("pgroup " + pgroup);
            return 0;
        }

        @Override
        public int posix_spawn_file_actions_addinherit_np(long actions, int fd) {
            calls.add("inherit " + fd);
            return 0;
        }

        @Override
        public int sigemptyset(long set) {
            return 0;
        }

        @Override
        public int sigfillset(long set) {
            calls.add("sigfillset");
            return 0;
        }

        @Override
        public int sigdelset(long set, int signal) {
            calls.add("sigdelset " + signal);
            return 0;
        }

        @Override
        public int getdtablesize() {
            return dtablesize;
        }

        @Override
        public int posix_spawnp(long pid, String file, long actions, long attr, String[] argv, String[] envp) {
            calls.add("spawnp " + file);
            this.argv = argv;
            this.envp = envp;
            if (spawnResult == 0) {
                memory(pid).putInt(offset(pid), 4242);
            }
            return spawnResult;
        }

        @Override
        public int waitpid(int pid, long status, int options) {
            calls.add("waitpid " + pid + " " + options);
            return pid;
        }

        @Override
        public int waitid(int idtype, int id, long infop, int options) {
            throw new AssertionError();
        }

        @Override
        public int kill(int pid, int sig) {
            calls.add("kill " + pid + " " + sig);
            return 0;
        }

        @Override
        public int errno() {
            return 0;
        }

        /** Fake addresses: buffer number in the high half, offset in the low half. */
        private final List<ByteBuffer> buffers = java.util.Collections.synchronizedList(new ArrayList<>());

        @Override
        public long address(ByteBuffer direct) {
            buffers.add(direct.order(java.nio.ByteOrder.nativeOrder()));
            return (long) buffers.size() << 32;
        }

        ByteBuffer memory(long address) {
            return buffers.get((int) (address >>> 32) - 1);
        }

        static int offset(long address) {
            return (int) address;
        }
    }

    private static NativeConstants errnos() {
        return new NativeConstants().errno(Errno.ENOENT, 2).errno(Errno.EACCES, 13).errno(Errno.EINTR, 4);
    }

    @Test
    void aFailedSpawnCleansUpAndNamesTheCommandAndErrno() {
        FakeSpawnLibc libc = new FakeSpawnLibc();
        libc.spawnResult = 2;
        Spawner s = new Spawner(errnos(), libc);
        SortedMap<Integer, Descriptor> fds = new TreeMap<>();
        fds.put(0, Descriptor.borrow(5));
        SocketPairException e = assertThrows(SocketPairException.class,
                () -> s.spawn(List.of("no-such-cmd", "a"), List.of("A=1"), null, fds, options("no-such-cmd")));
        assertEquals(Errno.ENOENT, e.errno());
        assertEquals("posix_spawnp", e.call());
        assertTrue(e.getMessage().contains("no-such-cmd") && e.getMessage().contains("not found")
                && e.getMessage().contains("PATH=/usr/bin:/bin"), e.getMessage());
        // every signal back to its default but the two that have none, nothing blocked: 0x04 | 0x08
        assertEquals(List.of("init", "dup2 5 3", "dup2 3 0", "close 3", "attr init", "sigmask", "sigfillset",
                "sigdelset 9", "sigdelset 19", "sigdefault", "flags 12", "spawnp no-such-cmd", "attr destroy",
                "destroy"), libc.calls);
        assertEquals(3, libc.argv.length);
        assertEquals(null, libc.argv[2], "argv ends with a null element");
        assertEquals(null, libc.envp[1], "envp ends with a null element");
    }

    @Test
    void groupsSessionsAndInheritedSignalsSetTheirAttributes() throws Exception {
        FakeSpawnLibc libc = new FakeSpawnLibc();
        Spawner s = new Spawner(errnos(), libc);
        assertEquals(4242, s.spawn(List.of("sh"), List.of(), null, new TreeMap<>(),
                new Spawner.Options("sh", null, true, false, false)));
        assertTrue(libc.calls.contains("pgroup 0"), libc.calls.toString());
        assertTrue(libc.calls.contains("flags 14"), libc.calls.toString()); // SETPGROUP | SETSIGDEF | SETSIGMASK

        libc.calls.clear();
        s.spawn(List.of("sh"), List.of(), null, new TreeMap<>(), new Spawner.Options("sh", null, true, true, false));
        assertFalse(libc.calls.contains("pgroup 0"), "setsid already makes a group; setpgid after it fails");
        assertTrue(libc.calls.contains("flags " + (0x80 | 12)), libc.calls.toString());

        libc.calls.clear();
        s.spawn(List.of("sh"), List.of(), null, new TreeMap<>(), new Spawner.Options("sh", null, false, false, true));
        assertTrue(libc.calls.contains("flags 0"), libc.calls.toString());
        assertFalse(libc.calls.contains("sigmask") || libc.calls.contains("sigdefault"), libc.calls.toString());

        libc.calls.clear();
        libc.constants = new SpawnConstants(1024, 1024, 256, 256, 0x02, 0x10, 0x20, 0, 0, 7, 16, 8, 1, 15, 9, 17);
        Spawner bsd = new Spawner(errnos(), libc);
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, () -> bsd.spawn(
                List.of("sh"), List.of(), null, new TreeMap<>(), new Spawner.Options("sh", null, false, true, false)));
        assertTrue(e.getMessage().contains("POSIX_SPAWN_SETSID"), e.getMessage());
        assertEquals(List.of(), libc.calls);
        bsd.spawn(List.of("sh"), List.of(), null, new TreeMap<>(), options("sh"));
        assertTrue(libc.calls.contains("sigdelset 17") && libc.calls.contains("flags 48"), libc.calls.toString());
    }

    @Test
    void cloexecDefaultIsSetWhereTheLibraryHasIt() throws Exception {
        FakeSpawnLibc libc = new FakeSpawnLibc();
        libc.constants = new SpawnConstants(1024, 1024, 256, 256, 0x02, 0x04, 0x08, 0x400, 0x4000, 0, 4, 0x20, 1, 15,
                9, 17); // macOS
        SortedMap<Integer, Descriptor> fds = new TreeMap<>();
        fds.put(1, Descriptor.borrow(5));
        new Spawner(errnos(), libc).spawn(List.of("cat"), List.of(), null, fds, options("cat"));
        assertEquals(List.of("init", "dup2 5 3", "dup2 3 1", "inherit 0", "inherit 2", "close 3", "attr init",
                "sigmask", "sigfillset", "sigdelset 9", "sigdelset 17", "sigdefault", "flags " + (0x4000 | 12),
                "spawnp cat", "attr destroy", "destroy"), libc.calls);
    }

    @Test
    void aBadDirectoryIsNamed() {
        FakeSpawnLibc libc = new FakeSpawnLibc();
        libc.spawnResult = 2;
        Path dir = Path.of("/no/such/directory/for/jsocketpair");
        SocketPairException e = assertThrows(SocketPairException.class, () -> new Spawner(errnos(), libc)
                .spawn(List.of("true"), List.of(), dir, new TreeMap<>(), options("true")));
        assertTrue(e.getMessage().contains("working directory " + dir), e.getMessage());
        assertTrue(libc.calls.contains("chdir " + dir));
        assertTrue(libc.calls.contains("destroy"));
    }

    @Test
    void noChdirSupportIsAClearRefusalBeforeAnyCall() {
        FakeSpawnLibc libc = new FakeSpawnLibc();
        libc.chdir = false;
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, () -> new Spawner(
                errnos(), libc).spawn(List.of("true"), List.of(), Path.of("/"), new TreeMap<>(), options("true")));
        assertTrue(e.getMessage().contains("addchdir_np"), e.getMessage());
        assertEquals(List.of(), libc.calls);
    }

    @Test
    void aClosedDescriptorIsRefusedBeforeAnyCall() throws Exception {
        FakeSpawnLibc libc = new FakeSpawnLibc();
        Descriptor closed = Descriptor.borrow(5);
        closed.close();
        SortedMap<Integer, Descriptor> fds = new TreeMap<>();
        fds.put(0, closed);
        assertThrows(ClosedChannelException.class, () -> new Spawner(errnos(), libc).spawn(List.of("true"),
                List.of(), null, fds, options("true")));
        assertEquals(List.of(), libc.calls);
    }

    // ---- the reaper ---------------------------------------------------------------------------------------------

    /** A child for the reaper: reaps through the spawner, counts down when done. */
    private static final class Child implements Reaper.Watched {
        final Spawner spawner;
        final int pid;
        final java.util.concurrent.CountDownLatch reaped = new java.util.concurrent.CountDownLatch(1);
        volatile int status = -1;

        Child(Spawner spawner, int pid) {
            this.spawner = spawner;
            this.pid = pid;
        }

        @Override
        public int pid() {
            return pid;
        }

        @Override
        public boolean reap() {
            try {
                int s = spawner.reapNow(pid);
                if (s < 0) {
                    return false;
                }
                status = s;
            } catch (SocketPairException e) {
                status = -2;
            }
            reaped.countDown();
            return true;
        }
    }

    @Test
    void whenNoReaperThreadCanStartTheChildIsKilledAndReapedAndStartThrows() {
        FakeSpawnLibc libc = new FakeSpawnLibc();
        java.util.concurrent.ThreadFactory none = r -> {
            throw new OutOfMemoryError("unable to create native thread: possibly out of memory");
        };
        Spawner s = new Spawner(errnos(), libc, none);
        java.io.IOException e = assertThrows(java.io.IOException.class, () -> s.start(List.of("sleep", "60"),
                List.of(), null, new TreeMap<>(), options("sleep"), pid -> new Child(s, pid), c -> c));
        assertTrue(e.getMessage().contains("reaper") && e.getCause() instanceof OutOfMemoryError, e.toString());
        int spawned = libc.calls.indexOf("spawnp sleep");
        // SIGKILL, then a blocking waitpid (options 0): no zombie, nothing running
        assertEquals(List.of("kill 4242 9", "waitpid 4242 0"), libc.calls.subList(spawned + 3, libc.calls.size()));
    }

    /**
     * waitid(P_ALL) as the kernel gives it: the first blocking call reports a foreign child (the JDK's) that has
     * exited and is reaped only later by its owner; then our child 4242 exits.
     */
    private static class WaitidLibc extends FakeSpawnLibc {
        final java.util.concurrent.Semaphore oursExits = new java.util.concurrent.Semaphore(0);
        final java.util.concurrent.atomic.AtomicInteger foreignPolls = new java.util.concurrent.atomic.AtomicInteger();
        volatile boolean oursExited;
        final List<Integer> waitpidPids = java.util.Collections.synchronizedList(new ArrayList<>());
        int blocking;

        @Override
        public int waitid(int idtype, int id, long infop, int options) {
            assertEquals(0, idtype, "P_ALL");
            assertTrue((options & 0x01000000) != 0, "always WNOWAIT: the reaper itself never reaps through waitid");
            ByteBuffer info = memory(infop);
            if ((options & 1) != 0) { // WNOHANG: the foreign zombie stays for three polls, then its owner reaps it
                if (foreignPolls.incrementAndGet() <= 3) {
                    info.putInt(0, 17); // SIGCHLD
                }
                return 0;
            }
            if (blocking++ == 0) {
                info.putInt(0, 17);
                return 0; // the foreign child exited
            }
            oursExits.acquireUninterruptibly(); // blocks until the test lets ours exit
            oursExited = true;
            info.putInt(0, 17);
            return 0;
        }

        @Override
        public int waitpid(int pid, long status, int options) {
            waitpidPids.add(pid);
            assertEquals(1, options, "WNOHANG only");
            if (!oursExited) {
                return 0;
            }
            memory(status).putInt(offset(status), 3 << 8);
            return pid;
        }
    }

    @Test
    void theWaitidReaperWaitsOutAForeignZombieWithoutReapingIt() throws Exception {
        WaitidLibc libc = new WaitidLibc();
        Spawner s = new Spawner(errnos(), libc);
        Child ours = s.start(List.of("sh"), List.of(), null, new TreeMap<>(), options("sh"),
                pid -> new Child(s, pid), c -> c);
        // the foreign exit woke the reaper; it polls until its owner has reaped it, and blocks again
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (libc.foreignPolls.get() < 4 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertEquals(4, libc.foreignPolls.get(), "polled the foreign zombie until it was gone, then blocked");
        assertEquals(1, ours.reaped.getCount());
        libc.oursExits.release();
        assertTrue(ours.reaped.await(10, java.util.concurrent.TimeUnit.SECONDS));
        assertEquals(3, Spawner.exitCode(ours.status));
        assertTrue(libc.waitpidPids.stream().allMatch(p -> p == 4242), "only our pid: " + libc.waitpidPids);
    }

    /** A Linux binding whose kernel has no pidfd_open (before 5.3): ENOSYS. */
    private static final class NoPidfdLibc extends WaitidLibc implements PidfdLibc {
        final java.util.concurrent.atomic.AtomicInteger pidfdOpens = new java.util.concurrent.atomic.AtomicInteger();

        @Override
        public int pidfd_open(int pid) {
            pidfdOpens.incrementAndGet();
            return -1;
        }

        @Override
        public int errno() {
            return 38; // ENOSYS
        }

        @Override
        public int pipe_cloexec(long fds) {
            throw new AssertionError("no pipe without a pidfd");
        }

        @Override
        public int poll(long fds, int nfds, int timeout) {
            throw new AssertionError();
        }

        @Override
        public int read(int fd, long buf, int count) {
            throw new AssertionError();
        }

        @Override
        public int write(int fd, long buf, int count) {
            throw new AssertionError();
        }

        @Override
        public int close(int fd) {
            throw new AssertionError();
        }

        @Override
        public short POLLIN() {
            return 1;
        }
    }

    @Test
    void withoutPidfdTheWaitidReaperTakesOverForEveryChild() throws Exception {
        NoPidfdLibc libc = new NoPidfdLibc();
        Spawner s = new Spawner(errnos().errno(Errno.ENOSYS, 38), libc);
        Child ours = s.start(List.of("sh"), List.of(), null, new TreeMap<>(), options("sh"),
                pid -> new Child(s, pid), c -> c);
        libc.oursExits.release();
        assertTrue(ours.reaped.await(10, java.util.concurrent.TimeUnit.SECONDS), "reaped through waitid");
        assertEquals(3, Spawner.exitCode(ours.status));
        Child second = s.start(List.of("sh"), List.of(), null, new TreeMap<>(), options("sh"),
                pid -> new Child(s, pid), c -> c);
        assertTrue(second.reaped.await(10, java.util.concurrent.TimeUnit.SECONDS));
        assertEquals(1, libc.pidfdOpens.get(), "pidfd_open is not tried again after ENOSYS");
    }

    /** A Linux binding whose pidfd_open works but whose wake-up pipe cannot be had (EMFILE). */
    private static final class NoPipeLibc extends FakeSpawnLibc implements PidfdLibc {
        final java.util.Set<Integer> open = java.util.Collections.synchronizedSet(new java.util.HashSet<>());

        @Override
        public int pidfd_open(int pid) {
            open.add(50);
            return 50;
        }

        @Override
        public int errno() {
            return 24; // EMFILE
        }

        @Override
        public int pipe_cloexec(long fds) {
            return -1;
        }

        @Override
        public int poll(long fds, int nfds, int timeout) {
            throw new AssertionError();
        }

        @Override
        public int read(int fd, long buf, int count) {
            throw new AssertionError();
        }

        @Override
        public int write(int fd, long buf, int count) {
            throw new AssertionError();
        }

        @Override
        public int close(int fd) {
            calls.add("close fd " + fd);
            open.remove(fd);
            return 0;
        }

        @Override
        public short POLLIN() {
            return 1;
        }
    }

    @Test
    void noWakeUpPipeMeansNoPidfdLeftOpenAndTheChildKilledAndReaped() {
        NoPipeLibc libc = new NoPipeLibc();
        Spawner s = new Spawner(errnos().errno(Errno.EMFILE, 24), libc);
        SocketPairException e = assertThrows(SocketPairException.class, () -> s.start(List.of("sh"), List.of(),
                null, new TreeMap<>(), options("sh"), pid -> new Child(s, pid), c -> c));
        assertEquals("pipe2", e.call());
        assertEquals(Errno.EMFILE, e.errno());
        assertEquals(java.util.Set.of(), libc.open, "the child's pidfd was closed");
        int spawned = libc.calls.indexOf("spawnp sh");
        assertEquals(List.of("close fd 50", "kill 4242 9", "waitpid 4242 0"),
                libc.calls.subList(spawned + 3, libc.calls.size()));
    }
}
