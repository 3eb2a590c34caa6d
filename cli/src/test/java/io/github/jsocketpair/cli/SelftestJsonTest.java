package io.github.jsocketpair.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jsocketpair.BackendInfo;
import io.github.jsocketpair.Capabilities;
import io.github.jsocketpair.Domain;
import io.github.jsocketpair.SocketFlag;
import io.github.jsocketpair.SocketType;
import io.github.jsocketpair.cli.Selftest.Kind;
import io.github.jsocketpair.cli.Selftest.Row;
import io.github.jsocketpair.cli.Selftest.Status;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code selftest --json}: the same rows and verdict as the table, as JSON. */
class SelftestJsonTest {
    private static final BackendInfo INFO = new BackendInfo("linux", "Linux 6.1", "x86-64", "libc through JNA",
            "picked linux", new Capabilities(EnumSet.of(Domain.UNIX), EnumSet.of(SocketType.STREAM),
                    EnumSet.of(SocketFlag.CLOEXEC), EnumSet.of(SocketFlag.CLOEXEC), true, 253, true, true));

    @Test
    void everyRowWithItsStatusKindAndTheVerdict() {
        List<Row> rows = List.of(
                new Row("UNIX", "STREAM", "CLOEXEC", Kind.EXERCISED, Status.PASS, "ok"),
                new Row("UNIX", "STREAM", "CLOFORK", Kind.REFUSAL, Status.PASS, "refused", "EINVAL: not on Linux"),
                new Row("TIPC", "-", "-", Kind.SKIPPED, Status.UNAVAILABLE, "module not loaded"));
        Map<String, Object> m = SelftestCommand.toMap(INFO, rows);
        assertEquals(List.of("version", "backend", "java", "rows", "counts", "passed"), List.copyOf(m.keySet()));
        assertEquals(true, m.get("passed"));
        assertEquals(Map.of("pass", 2L, "fail", 0L, "unavailable", 1L), m.get("counts"));
        String json = Json.write(m);
        assertTrue(json.contains("\"status\": \"pass\",\n      \"kind\": \"exercised\""), json);
        assertTrue(json.contains("\"refusal\": \"EINVAL: not on Linux\""), json);
        assertTrue(json.contains("\"status\": \"unavailable\",\n      \"kind\": \"skipped\""), json);
        assertTrue(json.contains("\"name\": \"linux\""), json);
        assertEquals(1, json.split("\"refusal\": ", -1).length - 1, "only refusal rows carry a refusal");
    }

    @Test
    void aFailedRowMakesPassedFalse() {
        List<Row> rows = List.of(new Row("UNIX", "DGRAM", "-", Kind.EXERCISED, Status.FAIL, "EMFILE"));
        Map<String, Object> m = SelftestCommand.toMap(INFO, rows);
        assertEquals(false, m.get("passed"));
        assertEquals(Map.of("pass", 0L, "fail", 1L, "unavailable", 0L), m.get("counts"));
    }

    @Test
    void anUnknownArgumentIsAUsageError() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = new SelftestCommand().run(List.of("--yaml"), new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(Exit.USAGE, status);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--yaml"));
        assertFalse(err.toString(StandardCharsets.UTF_8).isEmpty());
    }
}
