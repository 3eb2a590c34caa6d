package io.github.jsocketpair.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.jsocketpair.Domain;
import io.github.jsocketpair.Endpoint;
import io.github.jsocketpair.PeerCredentials;
import io.github.jsocketpair.SocketPair;
import io.github.jsocketpair.SocketType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** SO_PEERCRED on the real kernel: both ends of a pair report this process. */
@EnabledOnOs(OS.LINUX)
class LinuxPeerCredentialsIT {

    /** The effective id from a /proc/self/status line ("Uid:\treal\teffective\tsaved\tfs"), as SO_PEERCRED gives. */
    private static long effective(String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith(field + ":")) {
                return Long.parseLong(line.substring(field.length() + 1).trim().split("\\s+")[1]);
            }
        }
        throw new IOException(field + " not in /proc/self/status");
    }

    @ParameterizedTest
    @EnumSource(SocketType.class)
    void bothEndsReportThisProcess(SocketType type) throws IOException {
        PeerCredentials expected = new PeerCredentials(OptionalLong.of(ProcessHandle.current().pid()),
                effective("Uid"), effective("Gid"));
        try (SocketPair pair = SocketPair.open(Domain.UNIX, type)) {
            for (Endpoint e : new Endpoint[] {pair.first(), pair.second()}) {
                assertEquals(expected, e.peerCredentials(), type + " " + e);
            }
        }
    }
}
