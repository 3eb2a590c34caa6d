package io.github.jsocketpair.tests;

import io.github.jsocketpair.spi.BackendProvider;
import org.junit.jupiter.api.condition.EnabledIf;

/** {@link LoadingContract} on the BSD flavour this JVM runs on: its own provider is found both ways. */
@EnabledIf("io.github.jsocketpair.tests.BsdTarget#supported")
class BsdLoadingIT extends LoadingContract {
    @Override
    protected String backendName() {
        return BsdTarget.get().backendName();
    }

    @Override
    protected Class<? extends BackendProvider> providerClass() {
        return BsdTarget.get().providerClass();
    }

    @Override
    protected NativeNumbers numbers() {
        return BsdTarget.get().numbers();
    }
}
