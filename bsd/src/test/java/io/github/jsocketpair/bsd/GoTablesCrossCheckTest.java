package io.github.jsocketpair.bsd;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jsocketpair.bsd.jna.DragonFlyConstants;
import io.github.jsocketpair.bsd.jna.FreeBsdConstants;
import io.github.jsocketpair.bsd.jna.KeventLayout;
import io.github.jsocketpair.bsd.jna.MacOsConstants;
import io.github.jsocketpair.bsd.jna.NetBsdConstants;
import io.github.jsocketpair.bsd.jna.OpenBsdConstants;
import io.github.jsocketpair.internal.NativeConstants;
import io.github.jsocketpair.crosscheck.GoCrossCheck;
import io.github.jsocketpair.crosscheck.GoTables;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every BSD flavour's table, on every architecture it serves, against the second source: Go's tables generated from
 * that OS's headers ({@link GoTables}). Socket types and flags, {@code MSG_*}, {@code SOL_SOCKET}, {@code SO_*},
 * {@code SCM_RIGHTS}, {@code SHUT_*}, {@code F_*}, {@code FD_*}, {@code O_NONBLOCK}, {@code POLL*}, every errno, the
 * flavour's own credential constants, {@code EVFILT_*}/{@code EV_*}, and the {@code msghdr}/{@code cmsghdr}/
 * {@code iovec}/{@code kevent}/{@code timespec} sizes and offsets. A difference fails unless
 * {@code gotables-exceptions.txt} lists it with its reason. Skipped, with the reason, where Debian's
 * {@code golang-golang-x-sys-dev} is not installed ({@code .ci/crosscheck.sh} installs it).
 */
class GoTablesCrossCheckTest {

    /** One flavour on one architecture, at the newest release the backend knows, and its Go names. */
    record Target(BsdPlatform platform, Class<?> constants, String goos, String goarch) {
        String goPlatform() {
            return goos + "/" + goarch;
        }

        @Override
        public String toString() {
            return platform.describe() + " " + platform.arch().label() + " vs " + goPlatform();
        }
    }

    static List<Target> targets() {
        List<Target> t = new ArrayList<>();
        for (BsdArch a : BsdArch.values()) {
            String goarch = a == BsdArch.X86_64 ? "amd64" : "arm64";
            t.add(new Target(BsdPlatform.of(BsdFlavour.FREEBSD, "14.3-RELEASE", a), FreeBsdConstants.class, "freebsd",
                    goarch));
            t.add(new Target(BsdPlatform.of(BsdFlavour.NETBSD, "10.1", a), NetBsdConstants.class, "netbsd", goarch));
            t.add(new Target(BsdPlatform.of(BsdFlavour.OPENBSD, "7.8", a), OpenBsdConstants.class, "openbsd", goarch));
            t.add(new Target(BsdPlatform.of(BsdFlavour.MACOS, "15.5", a), MacOsConstants.class, "darwin", goarch));
        }
        // DragonFly runs on x86-64 only
        t.add(new Target(BsdPlatform.of(BsdFlavour.DRAGONFLY, "6.4-RELEASE", BsdArch.X86_64),
                DragonFlyConstants.class, "dragonfly", "amd64"));
        for (BsdFlavour f : BsdFlavour.values()) {
            for (BsdArch a : BsdArch.values()) {
                if (f.supports(a) && t.stream().noneMatch(x -> x.platform().flavour() == f
                        && x.platform().arch() == a)) {
                    throw new AssertionError(f + " " + a + " is served but not cross-checked");
                }
            }
        }
        return t;
    }

    static Stream<Target> targetStream() {
        return targets().stream();
    }

    private static Path tables() {
        Optional<Path> d = GoTables.directory();
        Assumptions.assumeTrue(d.isPresent(), "Go's generated tables are not installed (" + GoTables.DEBIAN
                + "): apt-get install golang-golang-x-sys-dev, or -Djsocketpair.gotables=DIR; .ci/crosscheck.sh "
                + "does both");
        return d.get();
    }

    private static NativeConstants table(Target t) {
        return BsdBackend.create(new MockLibc().libc, t.platform()).table();
    }

    static List<GoCrossCheck.Check> checks(Target t, GoTables go) throws IllegalAccessException {
        List<GoCrossCheck.Check> c = new ArrayList<>(GoCrossCheck.table(table(t), go));
        c.addAll(GoCrossCheck.namedConstants(t.constants(), go));
        c.addAll(xucred(t.constants(), go));
        c.addAll(kevent(t, go));
        return c;
    }

    /**
     * {@code struct kevent} (the layout the backend uses at that release) against Go's {@code Kevent_t}, and the LP64
     * {@code struct timespec} of {@code kevent}'s timeout against {@code Timespec}. {@code EVFILT_*} and {@code EV_*}
     * are compared by {@link GoCrossCheck#namedConstants} with the rest of each constants class.
     */
    static List<GoCrossCheck.Check> kevent(Target t, GoTables go) {
        KeventLayout k = KeventLayout.of(t.platform()).orElseThrow(() -> new AssertionError(t + ": no kevent layout"));
        Optional<GoTables.Struct> s = go.struct("Kevent_t");
        List<GoCrossCheck.Check> c = new ArrayList<>();
        c.add(new GoCrossCheck.Check("sizeof(struct kevent)", (long) k.size(), s.map(x -> (long) x.size())));
        c.add(GoCrossCheck.offset("kevent.ident", KeventLayout.IDENT_OFFSET, s, "Ident"));
        c.add(GoCrossCheck.size("kevent.ident", 8, s, "Ident"));
        c.add(GoCrossCheck.offset("kevent.filter", k.filterOffset(), s, "Filter"));
        c.add(GoCrossCheck.size("kevent.filter", k.filterSize(), s, "Filter"));
        c.add(GoCrossCheck.offset("kevent.flags", k.flagsOffset(), s, "Flags"));
        c.add(GoCrossCheck.size("kevent.flags", k.flagsSize(), s, "Flags"));
        c.add(GoCrossCheck.offset("kevent.fflags", k.fflagsOffset(), s, "Fflags"));
        c.add(GoCrossCheck.offset("kevent.data", k.dataOffset(), s, "Data"));
        c.add(GoCrossCheck.offset("kevent.udata", k.udataOffset(), s, "Udata"));
        Optional<GoTables.Struct> ts = go.struct("Timespec");
        c.add(new GoCrossCheck.Check("sizeof(struct timespec)", (long) KeventLayout.TIMESPEC_SIZE,
                ts.map(x -> (long) x.size())));
        c.add(GoCrossCheck.offset("timespec.tv_nsec", KeventLayout.TIMESPEC_NSEC, ts, "Nsec"));
        c.add(GoCrossCheck.size("timespec.tv_sec", 8, ts, "Sec"));
        return c;
    }

    /** The kevent checks compared something on every target (a renamed Go struct would make them vacuous). */
    @ParameterizedTest(name = "{0}")
    @MethodSource("targetStream")
    void keventLayoutAndNumbersAreComparedOnEveryTarget(Target t) throws Exception {
        Path dir = tables();
        Assumptions.assumeTrue(GoTables.has(dir, t.goos(), t.goarch()), "no Go tables for " + t.goPlatform());
        GoTables go = GoTables.read(dir, t.goos(), t.goarch());
        List<GoCrossCheck.Check> k = kevent(t, go);
        List<String> missing = new ArrayList<>();
        k.stream().filter(x -> x.go().isEmpty()).forEach(x -> missing.add(x.name()));
        for (String n : List.of("EVFILT_READ", "EVFILT_WRITE", "EV_ADD", "EV_DELETE", "EV_ONESHOT", "EV_EOF",
                "EV_ERROR")) {
            if (go.constant(n).isEmpty()) {
                missing.add(n);
            }
            t.constants().getField(n); // each flavour's class defines it, so namedConstants compares it
        }
        assertTrue(missing.isEmpty(), t + ": not compared: " + missing);
    }

    /** {@code struct xucred} (LOCAL_PEERCRED: FreeBSD, DragonFly, macOS) against Go's {@code Xucred}. */
    static List<GoCrossCheck.Check> xucred(Class<?> holder, GoTables go) throws IllegalAccessException {
        List<GoCrossCheck.Check> c = new ArrayList<>();
        Optional<GoTables.Struct> x = go.struct("Xucred");
        try {
            c.add(new GoCrossCheck.Check("sizeof(struct xucred)", (long) holder.getField("XUCRED_SIZE").getInt(null),
                    go.constant("SizeofXucred")));
            c.add(GoCrossCheck.offset("xucred.cr_uid", holder.getField("XUCRED_UID").getInt(null), x, "Uid"));
            c.add(GoCrossCheck.offset("xucred.cr_ngroups", holder.getField("XUCRED_NGROUPS").getInt(null), x,
                    "Ngroups"));
            c.add(GoCrossCheck.offset("xucred.cr_groups", holder.getField("XUCRED_GROUPS").getInt(null), x,
                    "Groups"));
        } catch (NoSuchFieldException e) {
            return List.of(); // this flavour has no struct xucred (NetBSD, OpenBSD)
        }
        return c;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("targetStream")
    void agreesWithGoButForListedExceptions(Target t) throws Exception {
        Path dir = tables();
        Assumptions.assumeTrue(GoTables.has(dir, t.goos(), t.goarch()), "no Go tables for " + t.goPlatform()
                + " in " + dir);
        GoTables go = GoTables.read(dir, t.goos(), t.goarch());
        List<GoCrossCheck.Check> checks = checks(t, go);
        long compared = checks.stream().filter(c -> c.go().isPresent()).count();
        assertTrue(compared >= 60, t + ": only " + compared + " names compared: is " + dir + " complete?");
        System.out.println(t + ": " + compared + " names compared with " + dir);
        List<String> problems = GoCrossCheck.problems(t.goPlatform(), checks, exceptions(), new ArrayList<>());
        assertTrue(problems.isEmpty(), t + ": " + problems.size() + " unexplained difference(s):\n  "
                + String.join("\n  ", problems));
    }

    /** An exception that matches no difference any more (a table was fixed, Go was updated) must be removed. */
    @Test
    void everyExceptionStillMatchesADifference() throws Exception {
        Path dir = tables();
        List<GoCrossCheck.Exception> used = new ArrayList<>();
        List<String> checked = new ArrayList<>();
        for (Target t : targets()) {
            if (GoTables.has(dir, t.goos(), t.goarch())) {
                checked.add(t.goPlatform());
                GoCrossCheck.problems(t.goPlatform(), checks(t, GoTables.read(dir, t.goos(), t.goarch())),
                        exceptions(), used);
            }
        }
        List<String> stale = GoCrossCheck.stale(exceptions(), used, checked);
        assertTrue(stale.isEmpty(), "exceptions that match no difference:\n  " + String.join("\n  ", stale));
    }

    private static List<GoCrossCheck.Exception> exceptions() {
        return GoCrossCheck.exceptions(GoTablesCrossCheckTest.class, "gotables-exceptions.txt");
    }
}
