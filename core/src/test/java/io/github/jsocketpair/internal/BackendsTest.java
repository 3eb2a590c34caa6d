package io.github.jsocketpair.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jsocketpair.SocketPair;
import io.github.jsocketpair.spi.Backend;
import io.github.jsocketpair.spi.BackendProvider;
import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.spi.ToolProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The loader's choice, over fake providers: priority, failures, configuration errors, the property, providers that
 * throw, and providers in a child class loader (compiled at test time).
 */
class BackendsTest {

    @AfterEach
    void clearProperties() {
        System.clearProperty(Backends.PROPERTY);
        System.clearProperty("jsocketpair.test.fakes");
    }

    private static Backend picked(Object result) {
        if (result instanceof Throwable t) {
            throw new AssertionError("no backend picked", t);
        }
        return assertInstanceOf(Backend.class, result);
    }

    private static UnsupportedOperationException failed(Object result) {
        return assertInstanceOf(UnsupportedOperationException.class, result);
    }

    private static String platform() {
        return System.getProperty("os.name") + " " + System.getProperty("os.version") + " ("
                + System.getProperty("os.arch") + ")";
    }

    @Test
    void highestPriorityWins() {
        FakeProvider a = FakeProvider.ok("a", 10);
        FakeProvider b = FakeProvider.ok("b", 50);
        FakeProvider c = FakeProvider.ok("c", 30);
        Backend got = picked(Backends.load(List.of(a, b, c)));
        assertEquals("b", got.info().name());
        assertEquals("picked b (priority 50) among [a, b, c]", got.info().selection());
        assertEquals(0, a.creates + c.creates, "only the winner is created");
    }

    @Test
    void aFailingCreateFallsBackToTheNext() {
        FakeProvider a = FakeProvider.ok("a", 10);
        FakeProvider b = FakeProvider.failing("b", 50, new UnsupportedOperationException("no libc"));
        FakeProvider c = new FakeProvider("c", 30, true, () -> {
            throw new UnsatisfiedLinkError("no jnidispatch");
        });
        Backend got = picked(Backends.load(List.of(a, b, c)));
        assertEquals("a", got.info().name());
        String why = got.info().selection();
        assertTrue(why.startsWith("picked a (priority 10) among [a, b, c]; failed first: b ("), why);
        assertTrue(why.contains("no libc") && why.contains("no jnidispatch"), why);
        assertEquals(1, b.creates);
        assertEquals(1, c.creates);
    }

    /** An iterator that throws ServiceConfigurationError at the given steps, from next() or hasNext(). */
    private static Iterable<BackendProvider> withErrors(boolean fromHasNext, Object... steps) {
        return () -> new Iterator<>() {
            int i;

            @Override
            public boolean hasNext() {
                if (fromHasNext && i < steps.length && steps[i] instanceof ServiceConfigurationError e) {
                    i++;
                    throw e;
                }
                return i < steps.length;
            }

            @Override
            public BackendProvider next() {
                if (i >= steps.length) {
                    throw new NoSuchElementException();
                }
                Object s = steps[i++];
                if (s instanceof ServiceConfigurationError e) {
                    throw e;
                }
                return (BackendProvider) s;
            }
        };
    }

    @Test
    void aServiceConfigurationErrorDoesNotStopTheSearch() {
        for (boolean fromHasNext : new boolean[] {false, true}) {
            var sce = new ServiceConfigurationError("io.github.jsocketpair.spi.BackendProvider: Provider x.Y not found");
            Backend got = picked(Backends.load(withErrors(fromHasNext, FakeProvider.ok("a", 1), sce,
                    FakeProvider.ok("c", 2))));
            assertEquals("c", got.info().name());
            assertTrue(got.info().selection().contains("passed over: io.github.jsocketpair.spi.BackendProvider: "
                    + "Provider x.Y not found"), got.info().selection());
        }
    }

    @Test
    void noneSupportedNamesOsArchAndEveryReason() {
        var sce = new ServiceConfigurationError("Provider broken.Provider could not be instantiated");
        RuntimeException probe = new UnsupportedOperationException("probe socketpair failed");
        Object r = Backends.load(withErrors(false, FakeProvider.unsupported("x", "not for Plan9"), sce,
                FakeProvider.failing("y", 3, probe)));
        UnsupportedOperationException e = failed(r);
        assertEquals("No jsocketpair backend for " + platform() + ": providers found: [x, y]; x: not for Plan9; "
                + "Provider broken.Provider could not be instantiated; y: create() failed: probe socketpair failed",
                e.getMessage());
        Throwable[] s = e.getSuppressed();
        assertEquals(3, s.length, Arrays.toString(s));
        assertEquals("x: not for Plan9", s[0].getMessage());
        assertSame(sce, s[1]);
        assertEquals("y: create() failed: probe socketpair failed", s[2].getMessage());
        assertSame(probe, s[2].getCause());
    }

    @Test
    void noProvidersAtAll() {
        UnsupportedOperationException e = failed(Backends.load(List.of()));
        assertEquals("No jsocketpair backend for " + platform() + ": no providers found; add jsocketpair-linux or "
                + "jsocketpair-bsd to the class path", e.getMessage());
        assertEquals(0, e.getSuppressed().length);
    }

    @Test
    void thePropertyPicksByName() {
        System.setProperty(Backends.PROPERTY, "a");
        Backend got = picked(Backends.load(List.of(FakeProvider.ok("a", 1), FakeProvider.ok("b", 99))));
        assertEquals("a", got.info().name());
        assertEquals("picked a (priority 1) as -Djsocketpair.backend asks among [a, b]; passed over: b: not selected "
                + "(-Djsocketpair.backend=a)", got.info().selection());
    }

    @Test
    void thePropertyNamingNoProviderFails() {
        System.setProperty(Backends.PROPERTY, "zzz");
        FakeProvider a = FakeProvider.ok("a", 1);
        UnsupportedOperationException e = failed(Backends.load(List.of(a)));
        assertTrue(e.getMessage().contains("providers found: [a]; -Djsocketpair.backend=zzz names none of them; "
                + "a: not selected (-Djsocketpair.backend=zzz)"), e.getMessage());
        assertEquals(0, a.creates, "no silent fallback");
    }

    @Test
    void thePropertyNamingAnUnsupportedProviderFails() {
        System.setProperty(Backends.PROPERTY, "x");
        UnsupportedOperationException e = failed(Backends.load(List.of(FakeProvider.unsupported("x", "not for Plan9"),
                FakeProvider.ok("b", 1))));
        assertTrue(e.getMessage().endsWith("providers found: [x, b]; x: not for Plan9; b: not selected "
                + "(-Djsocketpair.backend=x)"), e.getMessage());
    }

    @Test
    void aBlankPropertyIsIgnored() {
        System.setProperty(Backends.PROPERTY, " ");
        assertEquals("b", picked(Backends.load(List.of(FakeProvider.ok("a", 1), FakeProvider.ok("b", 2))))
                .info().name());
    }

    /** The real ServiceLoader over src/test/resources/META-INF/services: one listed provider, one missing class. */
    @Test
    void theRealServiceLoaderWithABrokenEntry() {
        System.setProperty("jsocketpair.test.fakes", "true");
        Object r = Backends.load(ServiceLoader.load(BackendProvider.class, BackendsTest.class.getClassLoader()));
        Backend got = picked(r);
        assertEquals("fake-listed", got.info().name());
        assertTrue(got.info().selection().contains("NoSuchProvider"), got.info().selection());

        System.clearProperty("jsocketpair.test.fakes");
        UnsupportedOperationException e = failed(Backends.load(ServiceLoader.load(BackendProvider.class,
                BackendsTest.class.getClassLoader())));
        List<Class<?>> kinds = new ArrayList<>();
        for (Throwable t : e.getSuppressed()) {
            kinds.add(t.getClass());
        }
        assertTrue(kinds.contains(ServiceConfigurationError.class), kinds.toString());
        assertTrue(e.getMessage().contains("fake-listed: not for this test"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"name", "isSupported", "priority", "unsupportedReason"})
    void aProviderThrowingFromAnyMethodIsOneMoreReason(String method) {
        RuntimeException boom = new IllegalStateException("boom in " + method);
        FakeProvider bad = FakeProvider.throwing("bad", method, boom);
        String who = method.equals("name") ? bad.getClass().getName() : "bad";
        String reason = switch (method) {
            case "unsupportedReason" -> "bad: not supported (unsupportedReason() failed: " + boom + ")";
            default -> who + ": " + method + "() failed: " + boom;
        };
        Backend got = picked(Backends.load(List.of(bad, FakeProvider.ok("good", 1))));
        assertEquals("picked good (priority 1) among [" + who + ", good]; passed over: " + reason,
                got.info().selection());

        UnsupportedOperationException e = failed(Backends.load(List.of(bad)));
        assertEquals("No jsocketpair backend for " + platform() + ": providers found: [" + who + "]; " + reason,
                e.getMessage());
        assertEquals(1, e.getSuppressed().length, Arrays.toString(e.getSuppressed()));
        assertSame(boom, e.getSuppressed()[0].getCause());
        assertEquals(0, bad.creates);
    }

    @Test
    void aLinkageErrorFromAProviderIsAReasonButOutOfMemoryIsNot() {
        var linkage = new NoClassDefFoundError("com/sun/jna/Native");
        UnsupportedOperationException e = failed(Backends.load(List.of(FakeProvider.throwing("a", "isSupported",
                linkage), FakeProvider.throwing("b", "priority", new ExceptionInInitializerError("static")))));
        assertTrue(e.getMessage().endsWith("a: isSupported() failed: java.lang.NoClassDefFoundError: com/sun/jna/Native; "
                + "b: priority() failed: java.lang.ExceptionInInitializerError: static"), e.getMessage());
        assertSame(linkage, e.getSuppressed()[0].getCause());

        var oom = new OutOfMemoryError("test");
        assertSame(oom, assertThrows(OutOfMemoryError.class, () -> Backends.load(List.of(FakeProvider.throwing("c",
                "isSupported", oom)))));
    }

    /**
     * The real entry points, through the real ServiceLoader over this module's test services (FakeProvider$Throwing
     * throws NoClassDefFoundError from isSupported()): the same UnsupportedOperationException every time, never an
     * ExceptionInInitializerError and then NoClassDefFoundError as a failing class initialiser would give.
     */
    @Test
    void aThrowingProviderNeverBreaksTheLoaderForLaterCalls() {
        for (int i = 0; i < 3; i++) {
            UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, Backends::get);
            assertTrue(e.getMessage().contains("fake-throwing: isSupported() failed: java.lang.NoClassDefFoundError: "
                    + "com/example/MissingNativeBinding"), e.getMessage());
            assertSame(Backends.unavailabilityCause(), e.getCause());
            assertThrows(UnsupportedOperationException.class, SocketPair::open);
            assertThrows(UnsupportedOperationException.class, SocketPair::platform);
        }
    }

    /** Compiles {@code child.NAME extends FakeProvider} into {@code dir} and lists it in the directory's services. */
    private static Path compileProvider(Path dir, String simpleName, String providerName, boolean supported)
            throws Exception {
        Path src = dir.resolve("src/child/" + simpleName + ".java");
        Files.createDirectories(src.getParent());
        Files.writeString(src, "package child;\n"
                + "public final class " + simpleName + " extends io.github.jsocketpair.internal.FakeProvider {\n"
                + "    public " + simpleName + "() {\n"
                + "        super(\"" + providerName + "\", 7, " + supported + ");\n"
                + "    }\n"
                + "}\n");
        Path classes = dir.resolve("classes");
        Files.createDirectories(classes);
        // java.util.spi.ToolProvider: javax.tools is in a module this test's (patched) module does not read
        ToolProvider javac = ToolProvider.findFirst("javac").orElseThrow();
        String cp = location(FakeProvider.class) + File.pathSeparator + location(BackendProvider.class);
        int rc = javac.run(System.out, System.err, "-d", classes.toString(), "-cp", cp, src.toString());
        assertEquals(0, rc, "javac of " + src);
        Path services = classes.resolve("META-INF/services/" + BackendProvider.class.getName());
        Files.createDirectories(services.getParent());
        Files.writeString(services, "child." + simpleName + "\n");
        return classes;
    }

    private static String location(Class<?> c) throws Exception {
        return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }

    private static URLClassLoader loaderOver(Path classes) throws Exception {
        return new URLClassLoader(new URL[] {classes.toUri().toURL()}, BackendsTest.class.getClassLoader());
    }

    /** The provider classes an iteration yields, configuration errors skipped. */
    private static List<String> providerClasses(Iterable<BackendProvider> providers) {
        List<String> names = new ArrayList<>();
        Iterator<BackendProvider> it = providers.iterator();
        while (true) {
            try {
                if (!it.hasNext()) {
                    return names;
                }
                names.add(it.next().getClass().getName());
            } catch (ServiceConfigurationError e) {
                // NoSuchProvider, listed in this module's test services
            }
        }
    }

    @Test
    void aProviderOnlyAChildClassLoaderHoldsIsFoundAndPicked(@TempDir Path dir) throws Exception {
        ClassLoader own = BackendsTest.class.getClassLoader();
        try (URLClassLoader child = loaderOver(compileProvider(dir, "ChildProvider", "child", true))) {
            assertEquals(List.of(FakeProvider.Listed.class.getName(), FakeProvider.Throwing.class.getName()),
                    providerClasses(Backends.providers(own, null)), "the library's own loader alone");
            // the child sees its parent's providers too: each class once, the library's own loader first
            assertEquals(List.of(FakeProvider.Listed.class.getName(), FakeProvider.Throwing.class.getName(),
                    "child.ChildProvider"), providerClasses(Backends.providers(own, child)));
            Backend got = picked(Backends.load(Backends.providers(own, child)));
            assertEquals("child", got.info().name());
            String why = got.info().selection();
            assertTrue(why.startsWith("picked child (priority 7) among [fake-listed, fake-throwing, child]; passed "
                    + "over: fake-listed: not for this test; fake-throwing: isSupported() failed: "), why);
            assertEquals(1, why.split("NoSuchProvider", -1).length - 1, "the broken entry both loaders see is one "
                    + "reason: " + why);
            assertEquals(child, Class.forName("child.ChildProvider", false, child).getClassLoader());
        }
    }

    @Test
    void theSameProviderClassThroughTwoLoadersIsTriedOnce(@TempDir Path dir) throws Exception {
        Path classes = compileProvider(dir, "TwiceProvider", "twice", true);
        try (URLClassLoader a = loaderOver(classes); URLClassLoader b = loaderOver(classes)) {
            assertNotSame(Class.forName("child.TwiceProvider", false, a), Class.forName("child.TwiceProvider", false,
                    b), "two copies of one class, as a child-first loader makes");
            assertEquals(List.of(FakeProvider.Listed.class.getName(), FakeProvider.Throwing.class.getName(),
                    "child.TwiceProvider"), providerClasses(Backends.providers(a, b)));
            ClassLoader own = BackendsTest.class.getClassLoader();
            assertEquals(providerClasses(Backends.providers(own, null)), providerClasses(Backends.providers(own,
                    own)));
        }
    }

    /** get() looks again through a context class loader no earlier failure searched, and finds its provider. */
    @Test
    void aNewContextClassLoaderIsSearchedAgain(@TempDir Path dir) throws Exception {
        UnsupportedOperationException before = assertThrows(UnsupportedOperationException.class, Backends::get);
        assertFalse(before.getMessage().contains("child-context"), before.getMessage());
        Thread me = Thread.currentThread();
        ClassLoader saved = me.getContextClassLoader();
        // unsupported, so that no test leaves a picked backend behind for the rest of this JVM
        try (URLClassLoader child = loaderOver(compileProvider(dir, "ContextProvider", "child-context", false))) {
            me.setContextClassLoader(child);
            UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, Backends::get);
            assertTrue(e.getMessage().contains("providers found: [fake-listed, fake-throwing, child-context]; "),
                    e.getMessage());
            assertTrue(e.getMessage().contains("child-context: not for this test"), e.getMessage());
            assertSame(e.getCause(), assertThrows(UnsupportedOperationException.class, Backends::get).getCause(),
                    "searched once per context class loader");
        } finally {
            me.setContextClassLoader(saved);
        }
    }
}
