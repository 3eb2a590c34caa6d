package io.github.jsocketpair.tests;

import org.junit.jupiter.api.condition.EnabledIf;

/** {@link SocketOptionsContract} on Linux; the peer pidfd from 6.5 on. */
@EnabledIf("io.github.jsocketpair.tests.LinuxTarget#supported")
class LinuxSocketOptionsIT extends SocketOptionsContract {
    @Override
    protected String backendName() {
        return "linux";
    }

    @Override
    protected NativeNumbers numbers() {
        return LinuxTarget.numbers();
    }

    /** SO_PEERPIDFD exists since Linux 6.5. */
    @Override
    protected boolean peerPidfdExpected() {
        String[] v = System.getProperty("os.version").split("[.-]");
        int major = Integer.parseInt(v[0]);
        int minor = v.length > 1 ? Integer.parseInt(v[1]) : 0;
        return major > 6 || major == 6 && minor >= 5;
    }

    @Override
    protected String noPeerPidfdReason() {
        return "Linux " + System.getProperty("os.version") + " is before 6.5: no SO_PEERPIDFD";
    }
}
