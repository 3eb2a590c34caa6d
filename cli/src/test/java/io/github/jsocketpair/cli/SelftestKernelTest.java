package io.github.jsocketpair.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jsocketpair.SocketPair;
import io.github.jsocketpair.cli.Selftest.Kind;
import io.github.jsocketpair.cli.Selftest.Row;
import io.github.jsocketpair.cli.Selftest.Status;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * Runs {@code selftest} in this JVM against the real kernel, through the class path's ServiceLoader as the jar does.
 * Linux only: there the backend must exist, so a missing one fails the test instead of skipping it.
 */
@EnabledOnOs(OS.LINUX)
class SelftestKernelTest {

    private static long openDescriptors() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }

    @Test
    void everyUnixRowPassesAndTheCommandExitsZero() throws IOException {
        // a first run loads the backend (JNA opens its library and libc for good); the second must leak nothing
        Selftest.real().run(SocketPair.platform().capabilities());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        long before = openDescriptors();
        int status = Main.run(new String[0], new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        long after = openDescriptors();
        String report = out.toString(StandardCharsets.UTF_8);
        assertEquals("", err.toString(StandardCharsets.UTF_8));
        assertEquals(Exit.OK, status, report);
        assertEquals(before, after, "descriptors leaked by the selftest");

        // the printed table: 3 types x 8 flag subsets, each opened and used, plus one CLOFORK refusal per type
        List<String> unix = report.lines().filter(l -> l.matches("^. {2}UNIX .*")).toList();
        assertEquals(3 * 8 + 3, unix.size(), report);
        for (String line : unix) {
            assertTrue(line.startsWith(Status.PASS.mark() + "  "), line);
        }
        assertTrue(report.contains("24 of 24 combinations work."), report);
        assertTrue(report.endsWith("selftest passed\n"), report);
        // TIPC: all rows pass where the module is loaded, else one row says why it is not there
        List<String> tipc = report.lines().filter(l -> l.matches("^. {2}TIPC .*")).toList();
        assertTrue(tipc.size() == 3 * 8 + 3 && tipc.stream().allMatch(l -> l.startsWith(Status.PASS.mark()))
                || tipc.size() == 1 && tipc.get(0).endsWith(Selftest.TIPC_UNAVAILABLE),
                report);
    }

    @Test
    void theRowsThemselvesPass() {
        List<Row> rows = Selftest.real().run(SocketPair.platform().capabilities());
        List<Row> unix = rows.stream().filter(r -> r.domain().equals("UNIX")).toList();
        assertEquals(24, unix.stream().filter(r -> r.kind() == Kind.EXERCISED).count());
        for (Row r : unix) {
            assertEquals(Status.PASS, r.status(), r.toString());
        }
        assertTrue(unix.stream().filter(r -> r.kind() == Kind.REFUSAL).allMatch(r -> r.refusal().contains("EINVAL")));
    }
}
