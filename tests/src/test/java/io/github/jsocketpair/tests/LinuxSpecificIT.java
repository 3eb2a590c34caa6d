package io.github.jsocketpair.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.jsocketpair.BackendInfo;
import io.github.jsocketpair.Descriptor;
import io.github.jsocketpair.Domain;
import io.github.jsocketpair.Endpoint;
import io.github.jsocketpair.Errno;
import io.github.jsocketpair.SocketFlag;
import io.github.jsocketpair.SocketPair;
import io.github.jsocketpair.SocketPairException;
import io.github.jsocketpair.SocketType;
import io.github.jsocketpair.linux.LinuxArch;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIf;

/** What only the Linux backend promises, on the real kernel. */
@EnabledIf("io.github.jsocketpair.tests.LinuxTarget#supported")
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class LinuxSpecificIT {
    private final NativeNumbers n = LinuxTarget.numbers();

    @Test
    void backendDescribesThisMachine() {
        BackendInfo info = SocketPair.platform();
        assertEquals("linux", info.name());
        assertTrue(info.os().startsWith("Linux "), info.os());
        assertEquals(LinuxArch.fromOsArch(System.getProperty("os.arch")).orElseThrow().label(), info.arch());
        assertEquals(EnumSet.of(SocketFlag.NONBLOCK, SocketFlag.CLOEXEC, SocketFlag.NOSIGPIPE),
                info.capabilities().flags());
        assertTrue(info.capabilities().atomicFlags().containsAll(EnumSet.of(SocketFlag.NONBLOCK, SocketFlag.CLOEXEC)));
        assertFalse(info.capabilities().cloFork());
        assertEquals(EnumSet.allOf(Domain.class), info.capabilities().domains());
        assertEquals(EnumSet.allOf(SocketType.class), info.capabilities().types());
    }

    @Test
    void cloForkIsEinvalNamingLinuxAndWhereItExists() {
        Fds.Mark before = Fds.mark();
        for (SocketType t : SocketType.values()) {
            SocketPairException e = assertThrows(SocketPairException.class,
                    () -> SocketPair.open(Domain.UNIX, t, SocketFlag.CLOEXEC, SocketFlag.CLOFORK).close());
            assertEquals(Errno.EINVAL, e.errno());
            assertEquals(22, e.nativeErrno());
            assertEquals("socketpair", e.call());
            String m = e.getMessage();
            assertTrue(m.contains("CLOFORK") && m.contains("Linux"), m);
            assertTrue(m.contains("FreeBSD") && m.contains("NetBSD") && m.contains("OpenBSD"), m);
        }
        before.assertUnchanged("CLOFORK refusals");
    }

    /** Linux turns AF_UNIX SOCK_RAW into SOCK_DGRAM (reference §1, pitfall 15); the endpoint reads the truth back. */
    @Test
    void rawBecomesDatagram() throws IOException {
        try (SocketPair p = SocketPair.openNative(n.afUnix(), 3, 0)) {
            assertEquals(SocketType.DGRAM, p.first().type());
            assertEquals(Domain.UNIX, p.second().domain());
        }
    }

    @Test
    void protocolPfUnixIsAccepted() throws IOException {
        try (SocketPair p = SocketPair.open(Domain.UNIX, SocketType.SEQPACKET, 1)) {
            p.first().write(ByteBuffer.wrap(new byte[] {42}));
            assertEquals(1, p.second().read(ByteBuffer.allocate(4)));
        }
    }

    @Test
    void rdmIsEsocktnosupport() {
        SocketPairException e = assertThrows(SocketPairException.class,
                () -> SocketPair.openNative(n.afUnix(), 4, 0).close());
        assertEquals(Errno.ESOCKTNOSUPPORT, e.errno(), e.getMessage());
        assertEquals(n.errno(Errno.ESOCKTNOSUPPORT), e.nativeErrno());
    }

    /** Without the tipc module the error says so; with it, the pair opens. Either way the answer is clear. */
    @Test
    void tipcOpensOrSaysTheModuleIsMissing() throws IOException {
        try (SocketPair p = SocketPair.open(Domain.TIPC, SocketType.SEQPACKET)) {
            assertEquals(Domain.TIPC, p.first().domain());
        } catch (SocketPairException e) {
            assertEquals(Errno.EAFNOSUPPORT, e.errno(), e.getMessage());
            assertEquals(n.errno(Errno.EAFNOSUPPORT), e.nativeErrno());
            assertTrue(e.getMessage().contains("tipc kernel module is not loaded"), e.getMessage());
        }
    }

    /**
     * NOSIGPIPE for real: the JVM ignores SIGPIPE, so only a tracer shows whether a write raised it. A child JVM runs
     * under {@code strace}; a write to a closed JDK pipe (which does raise it) proves the tracer sees the signal.
     */
    @Test
    void writesToAClosedPeerRaiseNoSigpipe() throws IOException {
        assumeFalse(TestEnv.emulated(), "under qemu-user the signal would be the emulator's");
        assumeTrue(TestEnv.run(List.of("sh", "-c", "command -v strace"), Duration.ofSeconds(30)).exitCode() == 0,
                "strace is not installed");
        Path dir = Files.createDirectories(TestEnv.buildDir().resolve("sigpipe"));
        String library = traceSigpipes(dir, "library");
        String control = traceSigpipes(dir, "control");
        assumeTrue(control.contains("SIGPIPE"), "strace shows no SIGPIPE even for the control: " + control);
        assertFalse(library.contains("SIGPIPE"), "a library write raised SIGPIPE:\n" + library);
    }

    private static String traceSigpipes(Path dir, String mode) throws IOException {
        Path log = dir.resolve(mode + ".strace");
        Files.deleteIfExists(log);
        TestEnv.Result r = TestEnv.run(List.of("strace", "-f", "-qq", "-e", "trace=none", "-e", "signal=SIGPIPE",
                "-o", log.toString(), TestEnv.javaCommand(), "-Xmx64m", "-XX:TieredStopAtLevel=1",
                "-XX:+IgnoreUnrecognizedVMOptions", "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), SigpipeProbe.class.getName(), mode),
                Duration.ofSeconds(120));
        assumeTrue(Files.exists(log), () -> "strace could not trace: " + r.output());
        assertEquals(0, r.exitCode(), r.output());
        assertTrue(r.output().contains("OK " + mode), r.output());
        return Files.readString(log);
    }
    /** The syscall a thread of this process is in (the first field of /proc/self/task/TID/syscall), or -1. */
    private static int syscallOf(int tid) {
        try {
            String s = Files.readString(Path.of("/proc/self/task/" + tid + "/syscall")).trim();
            return s.equals("running") ? -1 : Integer.parseInt(s.split(" ")[0]);
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }

    /** Waits (at most 20 s) until thread {@code tid} is in syscall {@code nr}. */
    private static void awaitSyscall(int tid, int nr, String what) throws InterruptedException {
        long end = System.nanoTime() + TestEnv.scaled(Duration.ofSeconds(20)).toNanos();
        int now;
        while ((now = syscallOf(tid)) != nr) {
            assertTrue(System.nanoTime() - end < 0, what + ": the thread is in syscall " + now + ", not " + nr);
            Thread.sleep(1);
        }
    }

    /** Runs {@code call} on a new platform thread; returns its kernel id once known, and its outcome in {@code out}. */
    private static int onPlatformThread(CompletableFuture<Object> out,
            Callable<Object> call) throws Exception {
        CompletableFuture<Integer> tid = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                tid.complete(Integer.parseInt(Files.readSymbolicLink(Path.of("/proc/thread-self")).getFileName()
                        .toString()));
                out.complete(call.call());
            } catch (Throwable e) {
                tid.completeExceptionally(e);
                out.complete(e);
            }
        });
        t.setDaemon(true);
        t.start();
        return tid.get(20, TimeUnit.SECONDS);
    }

    /**
     * A blocking read or write on a platform thread blocks in the call itself, as C's does (recvfrom or sendto, not
     * poll(2)), and close still ends it, without shutdown(2): a duplicate of the socket keeps working both ways.
     * Seen through /proc/self/task/TID/syscall, with x86-64's numbers (recvfrom 45, sendto 44), natively only.
     */
    @Test
    void aBlockedPlatformCallWaitsInTheCallItselfAndCloseStillEndsIt() throws Exception {
        assumeTrue(System.getProperty("os.arch").equals("amd64") && !TestEnv.emulated(), "x86-64 syscall numbers");
        try (SocketPair p = SocketPair.open(); SocketPair q = SocketPair.open()) {
            Endpoint dup = Endpoint.adopt(Descriptor.duplicate(p.second().fd()));
            CompletableFuture<Object> read = new CompletableFuture<>();
            int reader = onPlatformThread(read, () -> p.second().read(ByteBuffer.allocateDirect(8)));
            awaitSyscall(reader, 45, "a blocked read");
            p.second().close();
            assertTrue(read.get(20, TimeUnit.SECONDS) instanceof AsynchronousCloseException,
                    String.valueOf(read.getNow(null)));
            p.first().write(ByteBuffer.wrap(new byte[] {7}));
            ByteBuffer b = ByteBuffer.allocate(4);
            assertEquals(1, dup.read(b), "the duplicate still reads");
            dup.write(ByteBuffer.wrap(new byte[] {8}));
            assertEquals(1, p.first().read(ByteBuffer.allocate(4)), "and writes");
            dup.close();

            q.second().setSendBufferSize(4096);
            CompletableFuture<Object> write = new CompletableFuture<>();
            int writer = onPlatformThread(write, () -> q.second().write(ByteBuffer.allocateDirect(4 << 20)));
            awaitSyscall(writer, 44, "a blocked write");
            q.second().close();
            assertTrue(write.get(20, TimeUnit.SECONDS) instanceof AsynchronousCloseException,
                    String.valueOf(write.getNow(null)));
        }
    }
}
