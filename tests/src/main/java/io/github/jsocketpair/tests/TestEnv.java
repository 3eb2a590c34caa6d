package io.github.jsocketpair.tests;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * What the tests need to know about where they run: whether the JVM is emulated (qemu-user, ../shared/xarch), how much
 * longer time limits must be there, which {@code java} starts child JVMs, and how to run a child process.
 */
public final class TestEnv {
    /** System property: the {@code java} for child JVMs (the POM passes Surefire's {@code jvm}). */
    public static final String JAVA_PROPERTY = "jsocketpair.test.java";
    /** System property: multiplies every time limit (default 1, or 20 when emulated). */
    public static final String SCALE_PROPERTY = "jsocketpair.test.timeScale";

    private static volatile Boolean emulated;

    private TestEnv() {
    }

    /**
     * Tells whether this JVM's architecture differs from the machine's, i.e. it runs under qemu-user. Child processes
     * there run natively (the xarch wrapper uses the FORK launch mechanism), so {@code uname -m} shows the host.
     *
     * @return {@code true} when emulated
     */
    public static boolean emulated() {
        Boolean e = emulated;
        if (e == null) {
            String host;
            try {
                host = run(List.of("uname", "-m"), Duration.ofSeconds(60)).output().trim();
            } catch (RuntimeException ex) {
                host = System.getProperty("os.arch");
            }
            e = !normalise(host).equals(normalise(System.getProperty("os.arch")));
            emulated = e;
        }
        return e;
    }

    private static String normalise(String arch) {
        String a = arch.toLowerCase(Locale.ROOT);
        return switch (a) {
            case "amd64", "x86_64", "x86-64" -> "x86_64";
            case "arm64", "aarch64" -> "aarch64";
            case "x86", "i386", "i486", "i586", "i686" -> "x86";
            case "powerpc64le", "ppc64le" -> "ppc64le";
            case "mips64", "mips64el" -> "mips64";
            default -> a;
        };
    }

    /**
     * Returns the factor every time limit is multiplied by.
     *
     * @return {@code -Djsocketpair.test.timeScale}, else 20 when emulated, else 1
     */
    public static double timeScale() {
        String s = System.getProperty(SCALE_PROPERTY);
        if (s != null && !s.isBlank()) {
            return Double.parseDouble(s);
        }
        return emulated() ? 20 : 1;
    }

    /**
     * Scales a time limit for this machine.
     *
     * @param d the limit on a native JVM
     * @return the limit here
     */
    public static Duration scaled(Duration d) {
        return Duration.ofNanos((long) (d.toNanos() * timeScale()));
    }

    /**
     * Returns the {@code java} command for child JVMs: the one Surefire forked this JVM with (the xarch wrapper when
     * emulated), else this JVM's own.
     *
     * @return the path of a {@code java} launcher
     */
    public static String javaCommand() {
        String p = System.getProperty(JAVA_PROPERTY);
        if (p != null && !p.isBlank() && !p.contains("${") && Files.isExecutable(Path.of(p))) {
            return p;
        }
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /**
     * Returns the folder this module builds into ({@code tests/target}), for files made at test time.
     *
     * @return the build folder
     */
    public static Path buildDir() {
        try {
            Path classes = Path.of(TestEnv.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path parent = classes.getParent();
            return Files.isDirectory(classes) && parent != null ? parent : Path.of(System.getProperty("java.io.tmpdir"));
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Returns where a class was loaded from: a jar or a classes folder.
     *
     * @param c the class
     * @return its code source as a path
     */
    public static Path locationOf(Class<?> c) {
        try {
            return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The outcome of a child process.
     *
     * @param exitCode its exit code
     * @param output its standard output and error, interleaved
     */
    public record Result(int exitCode, String output) {
    }

    /**
     * Runs a command with standard error merged into standard output and waits for it.
     *
     * @param command the command and its arguments
     * @param timeout how long it may take (not scaled here)
     * @return the exit code and output
     * @throws AssertionError if it does not finish in time (it is killed)
     */
    public static Result run(List<String> command, Duration timeout) {
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.PIPE)
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Thread reader = new Thread(() -> {
            try (InputStream in = p.getInputStream()) {
                in.transferTo(out);
            } catch (IOException e) {
                // the process was killed; what was read is kept
            }
        }, "child-output");
        reader.setDaemon(true);
        reader.start();
        try {
            p.getOutputStream().close();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
                reader.join(1000);
                throw new AssertionError("timed out after " + timeout + ": " + command + "\n"
                        + out.toString(StandardCharsets.UTF_8));
            }
            reader.join(10_000);
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        synchronized (out) {
            return new Result(p.exitValue(), out.toString(StandardCharsets.UTF_8));
        }
    }
}
