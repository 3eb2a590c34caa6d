package io.github.jsocketpair.tests;

import io.github.jsocketpair.SocketType;
import org.junit.jupiter.api.condition.EnabledIf;

/** {@link OptionsContract} on the BSD flavour this JVM runs on; peer credentials only where its kernel records them. */
@EnabledIf("io.github.jsocketpair.tests.BsdTarget#supported")
class BsdOptionsIT extends OptionsContract {
    @Override
    protected String backendName() {
        return BsdTarget.get().backendName();
    }

    @Override
    protected NativeNumbers numbers() {
        return BsdTarget.get().numbers();
    }

    @Override
    protected boolean peerCredentialsFor(SocketType type) {
        return BsdTarget.get().peerCredentialsFor(type);
    }
}
