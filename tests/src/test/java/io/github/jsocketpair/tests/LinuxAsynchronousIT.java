package io.github.jsocketpair.tests;

import org.junit.jupiter.api.condition.EnabledIf;

/** {@link AsynchronousContract} on Linux. */
@EnabledIf("io.github.jsocketpair.tests.LinuxTarget#supported")
class LinuxAsynchronousIT extends AsynchronousContract {
    @Override
    protected String backendName() {
        return "linux";
    }

    @Override
    protected NativeNumbers numbers() {
        return LinuxTarget.numbers();
    }
}
