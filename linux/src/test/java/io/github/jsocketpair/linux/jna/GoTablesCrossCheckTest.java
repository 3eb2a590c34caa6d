package io.github.jsocketpair.linux.jna;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jsocketpair.internal.NativeConstants;
import io.github.jsocketpair.linux.LinuxArch;
import io.github.jsocketpair.crosscheck.GoCrossCheck;
import io.github.jsocketpair.crosscheck.GoTables;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The Linux table of every architecture the backend knows against the second source: Go's {@code zerrors_linux*} and
 * {@code ztypes_linux*} tables, generated from each architecture's kernel and libc headers ({@link GoTables}).
 * Every name both define is compared (socket types and flags, {@code MSG_*}, {@code SOL_SOCKET}, {@code SO_*}
 * including {@code SO_PEERCRED}, {@code SCM_*}, {@code F_*}, {@code FD_*}, {@code O_NONBLOCK}, {@code POLL*}, every
 * errno, the {@code msghdr}/{@code cmsghdr}/{@code iovec} layouts). A difference fails unless
 * {@code gotables-exceptions.txt} lists it with its reason. Skipped, with the reason, where Debian's
 * {@code golang-golang-x-sys-dev} is not installed ({@code .ci/crosscheck.sh} installs it).
 */
class GoTablesCrossCheckTest {

    /** Go's name for each architecture ({@code GOARCH}). */
    static String goarch(LinuxArch arch) {
        return switch (arch) {
            case X86 -> "386";
            case X86_64 -> "amd64";
            case ARM -> "arm";
            case AARCH64 -> "arm64";
            case PPC -> "ppc";
            case PPC64LE -> "ppc64le";
            case MIPS64EL -> "mips64le";
            case LOONGARCH64 -> "loong64";
            case S390X -> "s390x";
            case RISCV64 -> "riscv64";
        };
    }

    private static Path tables() {
        Optional<Path> d = GoTables.directory();
        Assumptions.assumeTrue(d.isPresent(), "Go's generated tables are not installed (" + GoTables.DEBIAN
                + "): apt-get install golang-golang-x-sys-dev, or -Djsocketpair.gotables=DIR; .ci/crosscheck.sh "
                + "does both");
        return d.get();
    }

    static List<GoCrossCheck.Check> checks(LinuxArch arch, GoTables go) throws IllegalAccessException {
        NativeConstants c = LinuxConstants.forArch(arch).freeze();
        List<GoCrossCheck.Check> checks = new ArrayList<>(GoCrossCheck.table(c, go));
        // The constants the backend keeps outside the shared table
        checks.add(new GoCrossCheck.Check("SO_PEERCRED", (long) LinuxConstants.soPeercred(arch),
                go.constant("SO_PEERCRED")));
        checks.add(new GoCrossCheck.Check("SCM_PIDFD", c.scmPidfd() == NativeConstants.ABSENT ? null
                : (long) c.scmPidfd(), go.constant("SCM_PIDFD")));
        return checks;
    }

    @ParameterizedTest
    @EnumSource(LinuxArch.class)
    void agreesWithGoButForListedExceptions(LinuxArch arch) throws Exception {
        Path dir = tables();
        String goPlatform = "linux/" + goarch(arch);
        Assumptions.assumeTrue(GoTables.has(dir, "linux", goarch(arch)), "no Go tables for " + goPlatform + " in "
                + dir);
        GoTables go = GoTables.read(dir, "linux", goarch(arch));
        List<GoCrossCheck.Check> checks = checks(arch, go);
        long compared = checks.stream().filter(c -> c.go().isPresent()).count();
        assertTrue(compared >= 60, arch + ": only " + compared + " names compared: is " + dir + " complete?");
        System.out.println(arch + " vs " + goPlatform + ": " + compared + " names compared with " + dir);
        List<String> problems = GoCrossCheck.problems(goPlatform, checks, exceptions(), new ArrayList<>());
        assertTrue(problems.isEmpty(), arch + ": " + problems.size() + " unexplained difference(s):\n  "
                + String.join("\n  ", problems));
    }

    /** An exception that matches no difference any more (a table was fixed, Go was updated) must be removed. */
    @Test
    void everyExceptionStillMatchesADifference() throws Exception {
        Path dir = tables();
        List<GoCrossCheck.Exception> used = new ArrayList<>();
        List<String> checked = new ArrayList<>();
        for (LinuxArch arch : LinuxArch.values()) {
            if (GoTables.has(dir, "linux", goarch(arch))) {
                checked.add("linux/" + goarch(arch));
                GoCrossCheck.problems("linux/" + goarch(arch), checks(arch, GoTables.read(dir, "linux",
                        goarch(arch))), exceptions(), used);
            }
        }
        List<String> stale = GoCrossCheck.stale(exceptions(), used, checked);
        assertTrue(stale.isEmpty(), "exceptions that match no difference:\n  " + String.join("\n  ", stale));
    }

    private static List<GoCrossCheck.Exception> exceptions() {
        return GoCrossCheck.exceptions(GoTablesCrossCheckTest.class, "gotables-exceptions.txt");
    }
}
