package io.github.jsocketpair.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** {@code exec} in this JVM against the real kernel: real child processes, a real pair. */
@EnabledOnOs(OS.LINUX)
@Timeout(30)
class ExecCommandKernelTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int exec(String input, String... args) {
        ExecCommand c = new ExecCommand(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)));
        return c.run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void catEchoesOurInputThroughThePair() {
        assertEquals(0, exec("one\ntwo\n", "--", "cat"));
        assertEquals("one\ntwo\n", out());
    }

    @Test
    void theCommandsStdinAndStdoutAreOneSocketAndItsExitStatusIsOurs() {
        assertEquals(4, exec("", "--", "sh", "-c", "readlink /proc/self/fd/0 /proc/self/fd/1; exit 4"));
        String[] lines = out().split("\n");
        assertEquals(2, lines.length, out());
        assertTrue(lines[0].startsWith("socket:["), out());
        assertEquals(lines[0], lines[1]);
    }

    @Test
    void errorsGetTheShellsStatuses() {
        assertEquals(ExecCommand.NOT_FOUND, exec("", "--", "jsocketpair-no-such-command"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("not found"), err.toString(StandardCharsets.UTF_8));
        assertEquals(Exit.USAGE, exec("", "--"));
        assertEquals(Exit.USAGE, exec("", "--bogus", "cat"));
    }

    @Test
    void helpAfterTheSeparatorBelongsToTheCommand() {
        assertEquals(Exit.OK, Main.run(new String[] {"exec", "--help"}, new PrintStream(out, true,
                StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8)));
        assertTrue(out().contains("exec -- CMD"), out());
        out.reset();
        assertEquals(0, exec("", "--", "sh", "-c", "echo \"$1\"", "sh", "--help"));
        assertEquals("--help\n", out());
    }
}
