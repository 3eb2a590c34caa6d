package io.github.jsocketpair.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jsocketpair.Descriptor;
import io.github.jsocketpair.Errno;
import io.github.jsocketpair.SocketPairException;
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

    private static void check(SortedMap<Integer, Integer> mapping, boolean closeRest) {
        Map<Integer, Entry> parent = table();
        Map<Integer, Entry> child = runInChild(parent, Spawner.plan(mapping, closeRest));
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
        }
    }

    @Test
    void closeRestClosesStraysButKeepsUnmappedStandardDescriptors() {
        Map<Integer, Entry> child = runInChild(table(), Spawner.plan(map(5, 4), true));
        assertEquals(Map.of(0, new Entry("tty-in", false), 1, new Entry("tty-out", false), 2,
                new Entry("tty-err", false), 5, new Entry("ours-4", false)), child);
        Map<Integer, Entry> without = runInChild(table(), Spawner.plan(map(5, 4), false));
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

    /** Records calls; posix_spawnp answers {@code spawnResult}. */
    private static final class FakeSpawnLibc implements SpawnLibc {
        final List<String> calls = new ArrayList<>();
        int spawnResult;
        boolean chdir = true;
        String[] argv;
        String[] envp;

        @Override
        public SpawnConstants constants() {
            return new SpawnConstants(1024, 1024, 256, 256, 0x08, 1, 4, 0x01000000, 1, 15, 9);
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
        public int sigemptyset(long set) {
            return 0;
        }

        @Override
        public int posix_spawnp(long pid, String file, long actions, long attr, String[] argv, String[] envp) {
            calls.add("spawnp " + file);
            this.argv = argv;
            this.envp = envp;
            return spawnResult;
        }

        @Override
        public int waitpid(int pid, long status, int options) {
            throw new AssertionError();
        }

        @Override
        public int waitid(int idtype, int id, long infop, int options) {
            throw new AssertionError();
        }

        @Override
        public int kill(int pid, int sig) {
            throw new AssertionError();
        }

        @Override
        public int errno() {
            return 0;
        }

        @Override
        public long address(ByteBuffer direct) {
            return 4096; // never dereferenced by the fake
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
                () -> s.spawn(List.of("no-such-cmd", "a"), List.of("A=1"), null, fds));
        assertEquals(Errno.ENOENT, e.errno());
        assertEquals("posix_spawnp", e.call());
        assertTrue(e.getMessage().contains("no-such-cmd") && e.getMessage().contains("not found"), e.getMessage());
        assertEquals(List.of("init", "dup2 5 6", "dup2 6 0", "close 6", "attr init", "sigmask", "flags 8",
                "spawnp no-such-cmd", "attr destroy", "destroy"), libc.calls);
        assertEquals(3, libc.argv.length);
        assertEquals(null, libc.argv[2], "argv ends with a null element");
        assertEquals(null, libc.envp[1], "envp ends with a null element");
    }

    @Test
    void aBadDirectoryIsNamed() {
        FakeSpawnLibc libc = new FakeSpawnLibc();
        libc.spawnResult = 2;
        Path dir = Path.of("/no/such/directory/for/jsocketpair");
        SocketPairException e = assertThrows(SocketPairException.class,
                () -> new Spawner(errnos(), libc).spawn(List.of("true"), List.of(), dir, new TreeMap<>()));
        assertTrue(e.getMessage().contains("working directory " + dir), e.getMessage());
        assertTrue(libc.calls.contains("chdir " + dir));
        assertTrue(libc.calls.contains("destroy"));
    }

    @Test
    void noChdirSupportIsAClearRefusalBeforeAnyCall() {
        FakeSpawnLibc libc = new FakeSpawnLibc();
        libc.chdir = false;
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                () -> new Spawner(errnos(), libc).spawn(List.of("true"), List.of(), Path.of("/"), new TreeMap<>()));
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
        assertThrows(ClosedChannelException.class,
                () -> new Spawner(errnos(), libc).spawn(List.of("true"), List.of(), null, fds));
        assertEquals(List.of(), libc.calls);
    }
}
