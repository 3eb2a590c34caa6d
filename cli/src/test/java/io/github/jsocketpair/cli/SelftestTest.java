package io.github.jsocketpair.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jsocketpair.BackendInfo;
import io.github.jsocketpair.Capabilities;
import io.github.jsocketpair.Domain;
import io.github.jsocketpair.Errno;
import io.github.jsocketpair.SocketFlag;
import io.github.jsocketpair.SocketPairException;
import io.github.jsocketpair.SocketType;
import io.github.jsocketpair.cli.Selftest.Kind;
import io.github.jsocketpair.cli.Selftest.Row;
import io.github.jsocketpair.cli.Selftest.Status;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The self-test's bookkeeping and report, with an opener that never reaches the kernel. */
class SelftestTest {
    private static final Capabilities LINUX = new Capabilities(EnumSet.allOf(Domain.class),
            EnumSet.allOf(SocketType.class), EnumSet.of(SocketFlag.NONBLOCK, SocketFlag.CLOEXEC, SocketFlag.NOSIGPIPE),
            EnumSet.of(SocketFlag.NONBLOCK, SocketFlag.CLOEXEC, SocketFlag.NOSIGPIPE), true, 253, true, true);

    private static SocketPairException failure(Errno errno, int nativeErrno, String reason) {
        return new SocketPairException("socketpair", errno, nativeErrno, "test", reason);
    }

    @Test
    void subsetsComeEmptyFirstThenBySizeInDeclarationOrder() {
        List<String> labels = Selftest.subsets(LINUX.flags()).stream().map(Selftest::label).toList();
        assertEquals(List.of("-", "NONBLOCK", "CLOEXEC", "NOSIGPIPE", "NONBLOCK|CLOEXEC", "NONBLOCK|NOSIGPIPE",
                "CLOEXEC|NOSIGPIPE", "NONBLOCK|CLOEXEC|NOSIGPIPE"), labels);
        assertEquals(List.of(Set.of()), Selftest.subsets(Set.of()));
        assertEquals(16, Selftest.subsets(EnumSet.allOf(SocketFlag.class)).size());
    }

    @Test
    void tipcWithoutItsModuleIsOneUnavailableRowNotAFailure() {
        List<String> asked = new ArrayList<>();
        Selftest t = new Selftest((domain, type, flags) -> {
            asked.add(domain + " " + type + " " + List.of(flags));
            throw domain == Domain.TIPC ? failure(Errno.EAFNOSUPPORT, 97, "tipc module not loaded")
                    : failure(Errno.EMFILE, 24, null);
        });
        List<Row> rows = t.run(LINUX);
        List<Row> tipc = rows.stream().filter(r -> r.domain().equals("TIPC")).toList();
        assertEquals(1, tipc.size());
        assertEquals(Status.UNAVAILABLE, tipc.get(0).status());
        assertEquals(Kind.SKIPPED, tipc.get(0).kind());
        assertEquals(Selftest.TIPC_UNAVAILABLE, tipc.get(0).detail());
        assertTrue(tipc.get(0).detail().contains(".ci/tipc.sh"), "the row says where TIPC was proven");
        // one probe for TIPC, nothing more
        assertEquals(1, asked.stream().filter(a -> a.startsWith("TIPC")).count());
    }

    @Test
    void everyUnixCombinationIsTriedAndAFailureCarriesTheError() {
        Selftest t = new Selftest((domain, type, flags) -> {
            throw domain == Domain.TIPC ? failure(Errno.EAFNOSUPPORT, 97, null) : failure(Errno.EMFILE, 24, null);
        });
        List<Row> rows = t.run(LINUX);
        List<Row> exercised = rows.stream().filter(r -> r.kind() == Kind.EXERCISED).toList();
        assertEquals(3 * 8, exercised.size());
        for (Row r : exercised) {
            assertEquals(Status.FAIL, r.status());
            assertTrue(r.detail().contains("EMFILE"), r.detail());
        }
        // CLOFORK is not offered: one refusal row per type, and EMFILE is not the refusal expected
        List<Row> refusals = rows.stream().filter(r -> r.kind() == Kind.REFUSAL).toList();
        assertEquals(3, refusals.size());
        refusals.forEach(r -> assertEquals("CLOFORK", r.flags()));
        refusals.forEach(r -> assertEquals(Status.FAIL, r.status()));
        assertTrue(refusals.get(0).detail().startsWith("refused with EMFILE instead of EINVAL"));
        assertFalse(SelftestCommand.passed(rows));
    }

    @Test
    void cloForkRefusedWithEinvalPasses() {
        Selftest t = new Selftest((domain, type, flags) -> {
            if (List.of(flags).contains(SocketFlag.CLOFORK)) {
                throw failure(Errno.EINVAL, 22, "no SOCK_CLOFORK here");
            }
            throw failure(Errno.EAFNOSUPPORT, 97, null);
        });
        List<Row> refusals = t.run(LINUX).stream().filter(r -> r.kind() == Kind.REFUSAL).toList();
        assertEquals(3, refusals.size());
        for (Row r : refusals) {
            assertEquals(Status.PASS, r.status());
            assertEquals("refused as expected (EINVAL)", r.detail());
            assertTrue(r.refusal().contains("no SOCK_CLOFORK here"), r.refusal());
        }
    }

    @Test
    void whereCloForkIsOfferedItIsExercisedNotRefused() {
        Capabilities bsd = new Capabilities(EnumSet.of(Domain.UNIX), EnumSet.of(SocketType.STREAM),
                EnumSet.of(SocketFlag.CLOEXEC, SocketFlag.CLOFORK), EnumSet.of(SocketFlag.CLOEXEC), true, 253, true,
                false);
        List<Row> rows = new Selftest((domain, type, flags) -> {
            throw failure(Errno.ENFILE, 23, null);
        }).run(bsd);
        assertEquals(List.of("-", "CLOEXEC", "CLOFORK", "CLOEXEC|CLOFORK"), rows.stream().map(Row::flags).toList());
        assertTrue(rows.stream().allMatch(r -> r.kind() == Kind.EXERCISED));
    }

    @Test
    void aRuntimeExceptionIsAFailedRowNotACrash() {
        List<Row> rows = new Selftest((domain, type, flags) -> {
            throw new IllegalStateException("boom");
        }).run(LINUX);
        assertTrue(rows.stream().filter(r -> r.kind() == Kind.EXERCISED)
                .allMatch(r -> r.status() == Status.FAIL && r.detail().contains("boom")));
    }

    @Test
    void reportShowsBackendTableAndVerdict() {
        BackendInfo info = new BackendInfo("linux", "Linux 6.1", "x86-64", "JNA", "picked linux (priority 100)",
                LINUX);
        List<Row> rows = List.of(
                new Row("UNIX", "STREAM", "-", Kind.EXERCISED, Status.PASS, ""),
                new Row("UNIX", "STREAM", "NONBLOCK", Kind.EXERCISED, Status.FAIL, "first end is blocking"),
                new Row("UNIX", "STREAM", "CLOFORK", Kind.REFUSAL, Status.PASS, "refused as expected (EINVAL)",
                        "socketpair(...) failed: EINVAL"),
                new Row("TIPC", "all", "all", Kind.SKIPPED, Status.UNAVAILABLE,
                        "not available (tipc kernel module not loaded)"));
        String report = SelftestCommand.report(info, rows);
        assertTrue(report.contains("selection  picked linux (priority 100)"), report);
        assertTrue(report.contains("\n✓  UNIX    STREAM  -\n"), report);
        assertTrue(report.contains("\n✗  UNIX    STREAM  NONBLOCK  first end is blocking\n"), report);
        assertTrue(report.contains("\n-  TIPC    all     all       not available (tipc kernel module not loaded)\n"),
                report);
        assertTrue(report.contains("1 of 2 combinations work."), report);
        assertTrue(report.contains("1 of 1 requests for a flag this platform does not offer were refused"), report);
        assertTrue(report.contains("TIPC was not tested: the tipc kernel module is not loaded"), report);
        assertTrue(report.endsWith("selftest FAILED: 1 row marked ✗\n"), report);
        assertFalse(SelftestCommand.passed(rows));
        assertTrue(SelftestCommand.passed(List.of(rows.get(0), rows.get(2), rows.get(3))));
    }
}
