package io.github.jsocketpair.internal.spawn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

@DisabledOnOs(OS.WINDOWS)
class PathSearchTest {
    @Test
    void theFirstExecutableWinsThenAnExistingFileThenTheFirstEntry(@TempDir Path dir) throws Exception {
        Path a = Files.createDirectory(dir.resolve("a"));
        Path b = Files.createDirectory(dir.resolve("b"));
        Path c = Files.createDirectory(dir.resolve("c"));
        Files.writeString(a.resolve("tool"), "not executable");
        Path exe = Files.writeString(b.resolve("tool"), "#!/bin/sh\n");
        exe.toFile().setExecutable(true);
        String path = a + ":" + b + ":" + c;
        assertEquals(b + "/tool", PathSearch.find("tool", path, null));
        Files.delete(exe);
        assertEquals(a + "/tool", PathSearch.find("tool", path, null), "found but not executable: exec says EACCES");
        assertEquals(c + "/none", PathSearch.find("none", c + ":" + a, null), "nowhere: exec says ENOENT");
        Files.createDirectory(c.resolve("dir"));
        assertEquals(c + "/dir", PathSearch.find("dir", c.toString(), null), "a directory is not a program");
    }

    @Test
    void relativeAndEmptyEntriesAreCheckedFromTheChildsDirectoryAndStayRelative(@TempDir Path dir) throws Exception {
        Path bin = Files.createDirectory(dir.resolve("bin"));
        Files.writeString(bin.resolve("tool"), "#!/bin/sh\n").toFile().setExecutable(true);
        Files.writeString(dir.resolve("here"), "#!/bin/sh\n").toFile().setExecutable(true);
        assertEquals("bin/tool", PathSearch.find("tool", "bin", dir));
        assertEquals("./here", PathSearch.find("here", "/nonexistent::/also-not", dir));
    }

    @Test
    void noPathMeansTheDefault() {
        assertEquals("/usr/bin:/bin", PathSearch.DEFAULT_PATH);
        String sh = PathSearch.find("sh", null, null);
        assertEquals(true, sh.equals("/usr/bin/sh") || sh.equals("/bin/sh"), sh);
    }
}
