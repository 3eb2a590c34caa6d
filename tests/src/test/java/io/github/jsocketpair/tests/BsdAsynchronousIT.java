package io.github.jsocketpair.tests;

import org.junit.jupiter.api.condition.EnabledIf;

/** {@link AsynchronousContract} on the BSD flavour this JVM runs on (FreeBSD, NetBSD, OpenBSD, DragonFly, macOS). */
@EnabledIf("io.github.jsocketpair.tests.BsdTarget#supported")
class BsdAsynchronousIT extends AsynchronousContract {
    @Override
    protected String backendName() {
        return BsdTarget.get().backendName();
    }

    @Override
    protected NativeNumbers numbers() {
        return BsdTarget.get().numbers();
    }
}
