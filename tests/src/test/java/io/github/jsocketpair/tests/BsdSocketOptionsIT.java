package io.github.jsocketpair.tests;

import org.junit.jupiter.api.condition.EnabledIf;

/** {@link SocketOptionsContract} on the BSD flavour this JVM runs on (no pidfd there). */
@EnabledIf("io.github.jsocketpair.tests.BsdTarget#supported")
class BsdSocketOptionsIT extends SocketOptionsContract {
    @Override
    protected String backendName() {
        return BsdTarget.get().backendName();
    }

    @Override
    protected NativeNumbers numbers() {
        return BsdTarget.get().numbers();
    }
}
