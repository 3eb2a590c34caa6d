package io.github.jsocketpair.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.jsocketpair.Domain;
import io.github.jsocketpair.Errno;
import io.github.jsocketpair.SocketFlag;
import io.github.jsocketpair.SocketPair;
import io.github.jsocketpair.SocketPairException;
import io.github.jsocketpair.SocketType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Nothing leaks: the descriptor count ({@code /proc/self/fd}) is the same after many open/close cycles and many
 * failed opens, and {@code EMFILE} under a lowered {@code RLIMIT_NOFILE} (in a child JVM, so this JVM keeps its
 * limit) leaves no descriptor behind.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
public abstract class LeakContract extends ContractBase {

    /** Skips where descriptors cannot be counted. */
    @BeforeEach
    protected void needFdCount() {
        assumeTrue(Fds.available(), "open descriptors cannot be counted here (no /proc/self/fd, and /dev/fd does not "
                + "list them; on FreeBSD mount fdescfs on /dev/fd)");
    }

    @Test
    void openCloseCycles() throws IOException {
        cycles(100);
    }

    @Tag("heavy")
    @Test
    void thousandsOfOpenCloseCycles() throws IOException {
        cycles(3000);
    }

    private void cycles(int n) throws IOException {
        warmUp();
        Fds.Mark before = Fds.mark();
        List<SocketFlag> offered = new ArrayList<>(caps().flags());
        List<SocketType> types = new ArrayList<>(caps().types());
        Random rnd = new Random(n);
        ByteBuffer b = ByteBuffer.allocateDirect(16);
        for (int i = 0; i < n; i++) {
            Set<SocketFlag> flags = EnumSet.noneOf(SocketFlag.class);
            for (SocketFlag f : offered) {
                if (rnd.nextBoolean()) {
                    flags.add(f);
                }
            }
            SocketType type = types.get(i % types.size());
            SocketPair p = SocketPair.open(Domain.UNIX, type, flags.toArray(SocketFlag[]::new));
            if (i % 10 == 0) {
                p.first().write(utf8("x"));
                b.clear();
                assertTrue(p.second().awaitReadable(scaled(Duration.ofSeconds(5))));
                assertEquals(1, p.second().read(b));
            }
            if (i % 3 == 0) {
                p.second().close(); // one end first, then the pair
            }
            p.close();
        }
        for (int i = 0; i < n; i++) {
            SocketPair p = SocketPair.openNative(numbers().afUnix(), numbers().sockStream(), 0);
            p.close();
        }
        before.assertUnchanged(n + " open/close cycles");
    }

    @Test
    void failureCycles() throws IOException {
        failures(100);
    }

    @Tag("heavy")
    @Test
    void thousandsOfFailureCycles() throws IOException {
        failures(3000);
    }

    private void failures(int n) throws IOException {
        warmUp();
        NativeNumbers nn = numbers();
        Set<SocketFlag> missing = EnumSet.complementOf(EnumSet.copyOf(caps().flags()));
        Fds.Mark before = Fds.mark();
        for (int i = 0; i < n; i++) {
            int k = i;
            SocketPairException e = assertThrows(SocketPairException.class, () -> {
                switch (k % 5) {
                    case 0 -> SocketPair.openNative(nn.afInet(), nn.sockStream(), 0).close();
                    case 1 -> SocketPair.openNative(0, nn.sockDgram(), 0).close();
                    case 2 -> SocketPair.openNative(nn.afUnix(), nn.sockSeqpacket(), nn.invalidProtocol()).close();
                    case 3 -> SocketPair.open(Domain.UNIX, SocketType.STREAM, nn.invalidProtocol()).close();
                    default -> {
                        if (missing.isEmpty()) {
                            SocketPair.openNative(nn.afInet(), nn.sockDgram(), 0).close();
                        } else {
                            SocketPair.open(Domain.UNIX, SocketType.STREAM, missing.iterator().next()).close();
                        }
                    }
                }
            });
            assertTrue(e.errno() != Errno.UNKNOWN, e.getMessage());
        }
        before.assertUnchanged(n + " failed opens");
    }

    private static void warmUp() throws IOException {
        for (int i = 0; i < 3; i++) {
            SocketPair.open().close();
            try {
                SocketPair.openNative(-1, 1, 0).close();
            } catch (SocketPairException e) {
                e.getMessage();
            }
        }
        Fds.snapshot();
    }

    /** The descriptor limit of the child JVM: room for the JVM itself and a few dozen pairs. */
    private static final int CHILD_LIMIT = 128;

    @Test
    void emfileUnderALoweredLimitLeaksNothing() {
        NativeNumbers nn = numbers();
        List<String> cmd = new ArrayList<>(List.of("sh", "-c", "ulimit -n $0 && exec \"$@\"",
                String.valueOf(CHILD_LIMIT), TestEnv.javaCommand(), "-Xmx64m", "-XX:TieredStopAtLevel=1",
                "-XX:+IgnoreUnrecognizedVMOptions", "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), EmfileProbe.class.getName(),
                String.valueOf(nn.errno(Errno.EMFILE)), String.valueOf(nn.afUnix()), String.valueOf(nn.sockStream())));
        TestEnv.Result r = TestEnv.run(cmd, scaled(Duration.ofSeconds(60)));
        assertEquals(0, r.exitCode(), r.output());
        Matcher m = Pattern.compile("OK pairs=(\\d+)").matcher(r.output());
        assertTrue(m.find(), r.output());
        int pairs = Integer.parseInt(m.group(1));
        assertTrue(pairs > 0 && pairs < CHILD_LIMIT / 2, "the child opened " + pairs + " pairs under a limit of "
                + CHILD_LIMIT + " descriptors: " + r.output());
        assertTrue(r.output().contains("EMFILE") && r.output().contains("Too many open files"), r.output());
    }
}
