package io.github.jsocketpair.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The dispatch; none of these reach a command that opens a socket. */
class MainTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void helpListsEveryCommand() {
        assertEquals(Exit.OK, run("--help"));
        for (String name : Main.commandNames()) {
            assertTrue(out().contains("\n  " + name), out());
        }
        assertTrue(out().contains("info [--json]"), out());
        assertEquals("", err());
    }

    @Test
    void shortHelpAndHelpWordWorkToo() {
        assertEquals(Exit.OK, run("-h"));
        String first = out();
        out.reset();
        assertEquals(Exit.OK, run("help"));
        assertEquals(first, out());
    }

    @Test
    void commandHelpIsTheCommandsOwn() {
        assertEquals(Exit.OK, run("info", "--help"));
        assertTrue(out().startsWith("Usage: java -jar jsocketpair.jar info [--json]\n"), out());
        out.reset();
        assertEquals(Exit.OK, run("help", "selftest"));
        assertTrue(out().startsWith("Usage: java -jar jsocketpair.jar selftest [--json]\n"), out());
    }

    @Test
    void unknownCommandIsAUsageError() {
        assertEquals(Exit.USAGE, run("frobnicate"));
        assertTrue(err().startsWith("jsocketpair: unknown command frobnicate\n"), err());
        assertEquals("", out());
    }

    @Test
    void unknownOptionIsAUsageError() {
        assertEquals(Exit.USAGE, run("info", "--yaml"));
        assertEquals("jsocketpair info: unexpected argument --yaml\n", err());
        out.reset();
        err.reset();
        assertEquals(Exit.USAGE, run("selftest", "extra"));
        assertEquals("jsocketpair selftest: unexpected argument extra\n", err());
    }

    @Test
    void theCommandsAreThereInHelpOrder() {
        assertEquals(List.of("selftest", "info", "exec", "bench"), Main.commandNames());
    }
}
