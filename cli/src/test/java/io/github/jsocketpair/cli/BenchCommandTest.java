package io.github.jsocketpair.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code bench}'s header, its child JVM's command line and protocol, its arguments; no timing here. */
class BenchCommandTest {

    @Test
    void theBindingIsReadFromTheBackendDetail() {
        assertEquals("java.lang.foreign", BenchCommand.binding("libc through java.lang.foreign, generic constants"));
        assertEquals("JNA", BenchCommand.binding("libc through JNA direct mapping, generic constants, 64-bit"));
        assertEquals("something else", BenchCommand.binding("something else"));
    }

    @Test
    void onJdk17To21TheHeaderSaysJdk22GivesTheFasterBinding() {
        String h = BenchCommand.header("libc through JNA direct mapping", 17, "17.0.15", "Debian", "cpu 0");
        assertTrue(h.startsWith("JDK 17.0.15 (Debian), jsocketpair through JNA (libc through JNA direct mapping)\n"), h);
        assertTrue(h.contains("on JDK 22 or later jsocketpair makes its hot calls through java.lang.foreign"), h);
        assertTrue(h.contains("main and helper thread pinned to CPU 0 (sched_setaffinity)"), h);
        assertTrue(BenchCommand.header("JNA", 21, "21", "x", "cpu 3").contains("JDK 21 runs the JNA binding"));
    }

    @Test
    void onJdk22AndLaterNoHintWithForeignAnExplanationWithJna() {
        String foreign = BenchCommand.header("libc through java.lang.foreign", 25, "25.0.1", "Eclipse Adoptium",
                "cpu 1");
        assertTrue(foreign.contains("jsocketpair through java.lang.foreign"), foreign);
        assertFalse(foreign.contains("JDK 22 or later"), foreign);
        assertFalse(foreign.contains("but the JNA binding"), foreign);
        String jna = BenchCommand.header("libc through JNA direct mapping", 25, "25.0.1", "Eclipse Adoptium",
                "cpu 1");
        assertTrue(jna.contains("JDK 25 but the JNA binding"), jna);
    }

    @Test
    void unpinnedThreadsAreSaidToBeSoWithTheReason() {
        String h = BenchCommand.header("JNA", 17, "17", "x", "no: sched_setaffinity is Linux's; FreeBSD has none");
        assertTrue(h.contains("threads NOT pinned (sched_setaffinity is Linux's; FreeBSD has none)"), h);
        assertFalse(h.contains("pinned to CPU"), h);
    }

    @Test
    void eachContenderRunsInAFreshJvmOfThisJavaWithNativeAccessAndTheSameClassPath() {
        List<String> cmd = BenchCommand.childCommand(2, 10);
        assertEquals(Path.of(System.getProperty("java.home"), "bin", "java").toString(), cmd.get(0));
        assertTrue(cmd.contains("--enable-native-access=ALL-UNNAMED"), cmd::toString);
        int cp = cmd.indexOf("-cp");
        assertEquals(System.getProperty("java.class.path"), cmd.get(cp + 1));
        assertEquals(List.of(Main.class.getName(), "bench", "--contender", "2", "--seconds", "10.000"),
                cmd.subList(cp + 2, cmd.size()));
    }

    @Test
    void theChildsResultLineIsParsed() {
        assertArrayEquals(new double[] {1, 2.5, 3, 4, 5, 6, 7.125},
                BenchCommand.parseResult("1.000 2.500 3 4 5 6 7.125"));
        assertThrows(IllegalArgumentException.class, () -> BenchCommand.parseResult("1 2 3"));
    }

    @Test
    void badArgumentsAreUsageErrors() {
        for (List<String> args : List.of(List.of("--seconds", "0"), List.of("--seconds", "x"),
                List.of("--contender", "3"), List.of("--contender", "0.5"), List.of("--fast"))) {
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int status = new BenchCommand().run(args, new PrintStream(new ByteArrayOutputStream()),
                    new PrintStream(err, true, StandardCharsets.UTF_8));
            assertEquals(Exit.USAGE, status, args::toString);
            assertFalse(err.toString(StandardCharsets.UTF_8).isEmpty(), args::toString);
        }
    }
}
