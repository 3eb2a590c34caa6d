package io.github.jsocketpair.tests;

import org.junit.jupiter.api.condition.EnabledIf;

@EnabledIf("io.github.jsocketpair.tests.LinuxTarget#supported")
class LinuxEngineIT extends EngineContract {
    @Override
    protected String backendName() {
        return "linux";
    }

    @Override
    protected NativeNumbers numbers() {
        return LinuxTarget.numbers();
    }
}
