package io.github.jsocketpair.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.jsocketpair.BackendInfo;
import io.github.jsocketpair.SocketPair;
import io.github.jsocketpair.spi.BackendProvider;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.TimeUnit;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The backend is found both ways a user can deploy the library: on the class path through
 * {@code META-INF/services} (this JVM), and on the module path through {@code provides} (a child JVM running a tiny
 * named module compiled at test time).
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
public abstract class LoadingContract extends ContractBase {

    /**
     * Returns the class of the provider that must be found.
     *
     * @return e.g. {@code LinuxBackendProvider.class}
     */
    protected abstract Class<? extends BackendProvider> providerClass();

    @Test
    void classPathFindsTheProviderThroughMetaInfServices() throws IOException {
        assertFalse(SocketPair.class.getModule().isNamed(), "this JVM runs the library on the class path");
        List<Class<?>> found = new ArrayList<>();
        ServiceLoader.load(BackendProvider.class).stream().forEach(h -> found.add(h.type()));
        assertTrue(found.contains(providerClass()), "ServiceLoader found " + found);
        BackendInfo info = SocketPair.platform();
        assertEquals(backendName(), info.name());
        assertTrue(info.selection().contains("picked " + backendName()), info.selection());
        try (SocketPair p = SocketPair.open()) {
            assertEquals(backendName(), p.backend().name());
        }
    }

    @Test
    void modulePathFindsTheProviderThroughProvides() throws IOException {
        Path core = TestEnv.locationOf(SocketPair.class);
        Path backend = TestEnv.locationOf(providerClass());
        Path jna = TestEnv.locationOf(com.sun.jna.Native.class);
        Path module = compileCheckModule(core);
        String mp = String.join(File.pathSeparator, core.toString(), backend.toString(), jna.toString(),
                module.toString());
        List<String> cmd = List.of(TestEnv.javaCommand(), "-Xmx64m", "-XX:TieredStopAtLevel=1",
                "-XX:+IgnoreUnrecognizedVMOptions", "--enable-native-access=com.sun.jna",
                "--module-path", mp, "-m", "jsocketpair.modcheck/jsocketpair.modcheck.Main");
        TestEnv.Result r = TestEnv.run(cmd, scaled(Duration.ofSeconds(60)));
        assertEquals(0, r.exitCode(), r.output());
        String out = r.output();
        assertTrue(out.contains("core-module=io.github.jsocketpair\n"), out);
        // Found in a named module: through its provides clause, since named modules' META-INF/services are ignored.
        assertTrue(out.contains("provider=" + providerClass().getName() + " in io.github.jsocketpair."), out);
        assertTrue(out.contains("backend=" + backendName() + "\n"), out);
        assertTrue(out.contains("echo=ping\n"), out);
    }

    /**
     * Compiles the two-file module {@code jsocketpair.modcheck} into the build folder, or reuses it where this JVM has
     * no compiler (an emulated JRE after a host build).
     */
    private static Path compileCheckModule(Path core) throws IOException {
        Path root = TestEnv.buildDir().resolve("modcheck");
        Path src = root.resolve("src");
        Path out = root.resolve("classes");
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) {
            assumeTrue(Files.exists(out.resolve("module-info.class")),
                    "no compiler in this JVM and no module compiled by an earlier run");
            return out;
        }
        Path pkg = src.resolve("jsocketpair/modcheck");
        Files.createDirectories(pkg);
        Files.createDirectories(out);
        Files.writeString(src.resolve("module-info.java"), String.join("\n",
                "module jsocketpair.modcheck {",
                "    requires io.github.jsocketpair;",
                "    uses io.github.jsocketpair.spi.BackendProvider;",
                "}", ""), StandardCharsets.UTF_8);
        Files.writeString(pkg.resolve("Main.java"), String.join("\n",
                "package jsocketpair.modcheck;",
                "",
                "import io.github.jsocketpair.SocketPair;",
                "import io.github.jsocketpair.spi.BackendProvider;",
                "import java.nio.ByteBuffer;",
                "import java.nio.charset.StandardCharsets;",
                "import java.util.ServiceLoader;",
                "",
                "public final class Main {",
                "    public static void main(String[] args) throws Exception {",
                "        System.out.println(\"core-module=\" + SocketPair.class.getModule().getName());",
                "        ServiceLoader.load(BackendProvider.class).stream().forEach(h -> System.out.println(",
                "                \"provider=\" + h.type().getName() + \" in \" + h.type().getModule().getName()));",
                "        try (SocketPair p = SocketPair.open()) {",
                "            System.out.println(\"backend=\" + p.backend().name());",
                "            p.first().write(ByteBuffer.wrap(\"ping\".getBytes(StandardCharsets.UTF_8)));",
                "            ByteBuffer b = ByteBuffer.allocate(16);",
                "            p.second().read(b);",
                "            System.out.println(\"echo=\" + new String(b.array(), 0, b.position(),"
                        + " StandardCharsets.UTF_8));",
                "        }",
                "    }",
                "}", ""), StandardCharsets.UTF_8);
        List<String> args = List.of("--module-path", core.toString(), "-d", out.toString(), "-Xlint:all",
                "-Werror", src.resolve("module-info.java").toString(), pkg.resolve("Main.java").toString());
        java.io.ByteArrayOutputStream diag = new java.io.ByteArrayOutputStream();
        int rc = javac.run(null, diag, diag, args.toArray(String[]::new));
        assertEquals(0, rc, () -> "javac " + args + "\n" + diag.toString(StandardCharsets.UTF_8));
        assertTrue(Files.exists(out.resolve("module-info.class")));
        return out;
    }
}
