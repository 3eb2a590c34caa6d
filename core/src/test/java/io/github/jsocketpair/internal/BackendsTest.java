package io.github.jsocketpair.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jsocketpair.spi.Backend;
import io.github.jsocketpair.spi.BackendProvider;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The loader's choice, over fake providers: priority, failures, configuration errors, the property. */
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
}
