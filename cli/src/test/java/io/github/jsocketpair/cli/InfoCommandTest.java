package io.github.jsocketpair.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jsocketpair.BackendInfo;
import io.github.jsocketpair.Capabilities;
import io.github.jsocketpair.Domain;
import io.github.jsocketpair.SocketFlag;
import io.github.jsocketpair.SocketType;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InfoCommandTest {
    private static final BackendInfo INFO = new BackendInfo("freebsd", "FreeBSD 15.0", "amd64",
            "libc \"fbsd\" via JNA\tdirect", "picked freebsd\n(priority 100)",
            new Capabilities(EnumSet.of(Domain.UNIX), EnumSet.allOf(SocketType.class),
                    EnumSet.of(SocketFlag.CLOEXEC, SocketFlag.CLOFORK), EnumSet.of(SocketFlag.CLOEXEC), false, 0,
                    true, false));

    @Test
    void jsonCarriesEveryFieldWithStringsEscaped() {
        String json = Json.write(InfoCommand.toMap(INFO));
        assertTrue(json.contains("\"backend\": \"freebsd\""), json);
        assertTrue(json.contains("\"detail\": \"libc \\\"fbsd\\\" via JNA\\tdirect\""), json);
        assertTrue(json.contains("\"selection\": \"picked freebsd\\n(priority 100)\""), json);
        assertTrue(json.contains("\"domains\": [\"UNIX\"]"), json);
        assertTrue(json.contains("\"flags\": [\"CLOEXEC\", \"CLOFORK\"]"), json);
        assertTrue(json.contains("\"atomicFlags\": [\"CLOEXEC\"]"), json);
        assertTrue(json.contains("\"cloFork\": true"), json);
        assertTrue(json.contains("\"descriptorPassing\": false"), json);
        assertTrue(json.contains("\"maxDescriptorsPerMessage\": 0"), json);
        assertTrue(json.contains("\"peerPid\": false"), json);
        // one JSON line per field: the raw newline of the selection must not have split a line
        assertTrue(json.lines().allMatch(l -> l.isBlank() || l.strip().startsWith("\"") || l.strip().matches(
                "[{}\\[\\],]+")), json);
    }

    @Test
    void jsonKeysComeInAStableOrder() {
        Map<String, Object> m = InfoCommand.toMap(INFO);
        assertEquals(List.of("version", "backend", "os", "arch", "detail", "selection", "capabilities", "java"),
                List.copyOf(m.keySet()));
    }

    @Test
    void textNamesTheBackendAndItsCapabilities() {
        String text = InfoCommand.text(INFO);
        assertTrue(text.startsWith("backend             freebsd\n"), text);
        assertTrue(text.contains("\nflags               CLOEXEC, CLOFORK\n"), text);
        assertTrue(text.contains("\nCLOFORK             yes\n"), text);
        assertTrue(text.contains("\ndescriptor passing  no\n"), text);
        assertTrue(text.contains("\npeer credentials    yes, without the pid\n"), text);
    }
}
