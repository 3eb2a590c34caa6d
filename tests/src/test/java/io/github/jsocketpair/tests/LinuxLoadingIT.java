package io.github.jsocketpair.tests;

import io.github.jsocketpair.linux.LinuxBackendProvider;
import io.github.jsocketpair.spi.BackendProvider;
import org.junit.jupiter.api.condition.EnabledIf;

@EnabledIf("io.github.jsocketpair.tests.LinuxTarget#supported")
class LinuxLoadingIT extends LoadingContract {
    @Override
    protected String backendName() {
        return "linux";
    }

    @Override
    protected Class<? extends BackendProvider> providerClass() {
        return LinuxBackendProvider.class;
    }

    @Override
    protected NativeNumbers numbers() {
        return LinuxTarget.numbers();
    }
}
