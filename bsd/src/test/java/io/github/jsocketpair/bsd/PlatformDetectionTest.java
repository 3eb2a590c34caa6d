package io.github.jsocketpair.bsd;

import static io.github.jsocketpair.bsd.OpenFlagsTest.assertContains;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jsocketpair.bsd.jna.BsdLibc;
import io.github.jsocketpair.spi.Backend;
import io.github.jsocketpair.spi.BackendProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which flavour, release and architecture the backend sees, from the property strings those systems' JDKs report. */
class PlatformDetectionTest {

    @ParameterizedTest(name = "{0} {1} {2}")
    @CsvSource({
        "FreeBSD,      14.1-RELEASE,       amd64,   FREEBSD,   14, 1,  x86-64",
        "FreeBSD,      14.1-RELEASE-p5,    aarch64, FREEBSD,   14, 1,  aarch64",
        "FreeBSD,      15.0-CURRENT,       amd64,   FREEBSD,   15, 0,  x86-64",
        "NetBSD,       10.0,               amd64,   NETBSD,    10, 0,  x86-64",
        "NetBSD,       10.99.12,           aarch64, NETBSD,    10, 99, aarch64",
        "OpenBSD,      7.8,                amd64,   OPENBSD,   7,  8,  x86-64",
        "OpenBSD,      7.7,                aarch64, OPENBSD,   7,  7,  aarch64",
        "DragonFlyBSD, 6.4-RELEASE,        amd64,   DRAGONFLY, 6,  4,  x86-64",
        "DragonFlyBSD, 6.5-DEVELOPMENT,    x86_64,  DRAGONFLY, 6,  5,  x86-64",
        "Mac OS X,     14.5,               aarch64, MACOS,     14, 5,  aarch64",
        "Mac OS X,     10.15.7,            x86_64,  MACOS,     10, 15, x86-64",
        "Mac OS X,     26.0,               aarch64, MACOS,     26, 0,  aarch64",
    })
    void detectsFlavourVersionAndArch(String osName, String osVersion, String osArch, BsdFlavour flavour, int major,
            int minor, String archLabel) {
        BsdPlatform p = BsdPlatform.detect(osName, osVersion, osArch).orElseThrow();
        assertEquals(flavour, p.flavour());
        assertEquals(major, p.version().major());
        assertEquals(minor, p.version().minor());
        assertEquals(archLabel, p.arch().label());
        assertEquals(flavour.label() + " " + osVersion, p.describe());
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @CsvSource({
        "Linux,        6.18.44,      amd64",
        "Windows 11,   10.0,         amd64",
        "SunOS,        5.11,         amd64",
        "FreeBSD,      14.1-RELEASE, i386",
        "FreeBSD,      14.1-RELEASE, powerpc64",
        "OpenBSD,      7.8,          i386",
        "DragonFlyBSD, 6.4-RELEASE,  aarch64",
        "NetBSD,       10.0,         sparc64",
    })
    void notServed(String osName, String osVersion, String osArch) {
        assertTrue(BsdPlatform.detect(osName, osVersion, osArch).isEmpty());
    }

    @Test
    void versionsCompare() {
        assertTrue(OsVersion.parse("7.8").atLeast(7, 8));
        assertFalse(OsVersion.parse("7.7").atLeast(7, 8));
        assertTrue(OsVersion.parse("8.0").atLeast(7, 8));
        assertFalse(OsVersion.parse("10.99.12").atLeast(11, 0)); // NetBSD-current before 11 branched
        assertTrue(OsVersion.parse("15.0-CURRENT").atLeast(15, 0));
        assertFalse(OsVersion.parse("14.3-STABLE").atLeast(15, 0));
        assertTrue(OsVersion.parse("6.5-DEVELOPMENT").atLeast(6, 5));
        assertFalse(OsVersion.parse("10.16").atLeast(11, 0)); // macOS 11 seen by an old-SDK JDK
        OsVersion junk = OsVersion.parse("unknown");
        assertEquals(-1, junk.major());
        assertFalse(junk.atLeast(0, 0));
        assertEquals(-1, OsVersion.parse(null).major());
        assertEquals(-1, OsVersion.parse("99999999999.1").major());
    }

    // ---- providers ----------------------------------------------------------------------------------------------

    static Function<String, String> props(String name, String version, String arch) {
        Map<String, String> m = Map.of("os.name", name, "os.version", version, "os.arch", arch);
        return m::get;
    }

    static BsdBackendProvider provider(BsdFlavour f, Function<String, String> props,
            Function<BsdPlatform, BsdLibc> loader) {
        return new BsdBackendProvider(f, props::apply, loader) {
        };
    }

    @Test
    void exactlyTheMatchingProviderIsSupported() {
        Object[][] systems = {
            {"FreeBSD", "14.1-RELEASE", "amd64", BsdFlavour.FREEBSD},
            {"NetBSD", "10.0", "amd64", BsdFlavour.NETBSD},
            {"OpenBSD", "7.8", "amd64", BsdFlavour.OPENBSD},
            {"DragonFlyBSD", "6.4-RELEASE", "amd64", BsdFlavour.DRAGONFLY},
            {"Mac OS X", "14.5", "aarch64", BsdFlavour.MACOS},
            {"Linux", "6.18.44", "amd64", null},
        };
        for (Object[] s : systems) {
            for (BsdFlavour f : BsdFlavour.values()) {
                BsdBackendProvider p = provider(f, props((String) s[0], (String) s[1], (String) s[2]), x -> {
                    throw new AssertionError("isSupported must not load anything");
                });
                assertEquals(f == s[3], p.isSupported(), f + " on " + s[0]);
                assertEquals(f.backendName(), p.name());
                assertEquals(100, p.priority());
                if (f != s[3]) {
                    assertEquals("not for " + s[0], p.unsupportedReason());
                }
            }
        }
    }

    @Test
    void anUnservedArchitectureIsExplained() {
        BsdBackendProvider p = provider(BsdFlavour.DRAGONFLY, props("DragonFlyBSD", "6.4-RELEASE", "aarch64"),
                x -> null);
        assertFalse(p.isSupported());
        assertEquals("unsupported architecture aarch64 on DragonFly (supported: x86-64)", p.unsupportedReason());
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, p::create);
        assertContains(e.getMessage(), "unsupported architecture aarch64");
    }

    @Test
    void createBuildsTheFlavoursBackendAndProbesIt() {
        MockLibc m = new MockLibc();
        List<BsdPlatform> asked = new ArrayList<>();
        BsdBackendProvider p = provider(BsdFlavour.OPENBSD, props("OpenBSD", "7.8", "amd64"), x -> {
            asked.add(x);
            return m.libc;
        });
        Backend b = p.create();
        assertTrue(b instanceof OpenBsdBackend);
        assertEquals(List.of(BsdPlatform.of(BsdFlavour.OPENBSD, "7.8", BsdArch.X86_64)), asked);
        assertEquals("openbsd", b.info().name());
        assertEquals("OpenBSD 7.8", b.info().os());
        org.mockito.Mockito.verify(m.libc).close(MockLibc.FD0); // the probe pair, closed
        org.mockito.Mockito.verify(m.libc).close(MockLibc.FD1);
    }

    @Test
    void netBsdJnaFailureSaysJnaShipsNothingAndHowToUseTheSystemsJna() {
        UnsupportedOperationException e = failLoading("NetBSD", "10.0", "amd64", BsdFlavour.NETBSD,
                new UnsatisfiedLinkError("Native library (com/sun/jna/netbsd-x86-64/libjnidispatch.so) not found"));
        assertContains(e.getMessage(), "JNA ships no libjnidispatch for NetBSD");
        assertContains(e.getMessage(), "-Djna.boot.library.path=");
        assertContains(e.getMessage(), "netbsd-x86-64"); // the cause is kept in the message
        assertTrue(e.getCause() instanceof UnsatisfiedLinkError);
    }

    @Test
    void openBsd78JnaFailureNamesTheBrokenBuild() {
        UnsupportedOperationException e = failLoading("OpenBSD", "7.8", "amd64", BsdFlavour.OPENBSD,
                new UnsatisfiedLinkError("undefined symbol '__sF'"));
        assertContains(e.getMessage(), "does not load on OpenBSD 7.8");
        assertContains(e.getMessage(), "#1709");
        assertContains(e.getMessage(), "-Djna.boot.library.path=");
        assertContains(e.getMessage(), "pkg_add jna");
    }

    @Test
    void openBsdArm64JnaFailureSaysJnaShipsNothing() {
        UnsupportedOperationException e = failLoading("OpenBSD", "7.6", "aarch64", BsdFlavour.OPENBSD,
                new NoClassDefFoundError("Could not initialize class com.sun.jna.Native"));
        assertContains(e.getMessage(), "JNA ships no libjnidispatch for OpenBSD on aarch64");
        assertContains(e.getMessage(), "-Djna.boot.library.path=");
    }

    @Test
    void otherJnaFailuresAreReportedWithTheirCause() {
        UnsupportedOperationException e = failLoading("FreeBSD", "14.1-RELEASE", "amd64", BsdFlavour.FREEBSD,
                new UnsatisfiedLinkError("boom"));
        assertContains(e.getMessage(), "freebsd: cannot load libc through JNA");
        assertContains(e.getMessage(), "boom");
    }

    private static UnsupportedOperationException failLoading(String os, String version, String arch, BsdFlavour f,
            LinkageError error) {
        BsdBackendProvider p = provider(f, props(os, version, arch), x -> {
            throw error;
        });
        assertTrue(p.isSupported());
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, p::create);
        assertSame(error, e.getCause());
        return e;
    }

    @Test
    void serviceLoaderFindsAllFiveAndNoneClaimsLinux() {
        List<String> names = new ArrayList<>();
        for (BackendProvider p : ServiceLoader.load(BackendProvider.class)) {
            if (p instanceof BsdBackendProvider) {
                names.add(p.name());
                if (System.getProperty("os.name").startsWith("Linux")) {
                    assertFalse(p.isSupported(), p.name() + " on Linux");
                }
            }
        }
        assertEquals(List.of("freebsd", "netbsd", "openbsd", "dragonfly", "macos"), names);
    }
}
