package io.github.jsocketpair.bsd.jna;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jsocketpair.bsd.BsdFlavour;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import org.junit.jupiter.api.Test;

/**
 * The {@code kevent} binding of each flavour declares a native method named as that flavour's symbol (JNA direct
 * mapping binds by method name), with the C argument widths. Read by reflection without initialising the classes: on
 * this Linux host their registration would look for a symbol glibc does not have.
 */
class KeventBindingsTest {
    private static Class<?> uninitialised(String name) throws ClassNotFoundException {
        return Class.forName(name, false, KeventBindingsTest.class.getClassLoader());
    }

    @Test
    void netBsdBindsTheRenamedSymbolWithSizeTCounts() throws Exception {
        Class<?> c = uninitialised(KeventBindings.class.getName() + "$NetBsd");
        Method m = c.getDeclaredMethod(KeventLayout.newestKnown(BsdFlavour.NETBSD).symbol(), int.class, long.class,
                long.class, long.class, long.class, long.class);
        assertTrue(Modifier.isNative(m.getModifiers()) && Modifier.isStatic(m.getModifiers()), m.toString());
    }

    @Test
    void theOthersBindThePlainSymbolWithIntCounts() throws Exception {
        Class<?> c = uninitialised(KeventBindings.class.getName() + "$Plain");
        for (BsdFlavour f : new BsdFlavour[] {BsdFlavour.FREEBSD, BsdFlavour.OPENBSD, BsdFlavour.DRAGONFLY,
                BsdFlavour.MACOS}) {
            Method m = c.getDeclaredMethod(KeventLayout.newestKnown(f).symbol(), int.class, long.class, int.class,
                    long.class, int.class, long.class);
            assertTrue(Modifier.isNative(m.getModifiers()), f + ": " + m);
        }
    }
}
