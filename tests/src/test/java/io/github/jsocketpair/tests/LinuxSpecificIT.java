package io.github.jsocketpair.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.jsocketpair.BackendInfo;
import io.github.jsocketpair.Domain;
import io.github.jsocketpair.Errno;
import io.github.jsocketpair.SocketFlag;
import io.github.jsocketpair.SocketPair;
import io.github.jsocketpair.SocketPairException;
import io.github.jsocketpair.SocketType;
import io.github.jsocketpair.linux.LinuxArch;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
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
}
