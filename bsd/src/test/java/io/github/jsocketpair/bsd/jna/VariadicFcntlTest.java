package io.github.jsocketpair.bsd.jna;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.Library;
import com.sun.jna.Native;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * The variadic binding macOS uses, exercised for real where this build runs: JNA must count the two fixed arguments
 * (a varargs call with none counted would be a plain call, and would still pass on x86-64, so the stronger check is
 * on macOS/arm64; here it shows the interface mapping loads from the process and moves values both ways).
 */
class VariadicFcntlTest {

    /** close(2), only to clean up the duplicate. */
    interface Close extends Library {
        int close(int fd);
    }

    @Test
    @EnabledOnOs(OS.LINUX) // the numbers below are Linux's (F_DUPFD_CLOEXEC 1030, F_GETFD 1, F_SETFD 2, FD_CLOEXEC 1)
    void setsAndReadsCloseOnExecThroughVarargs() {
        BsdLibcDirect.Fcntl f = VariadicFcntl.load();
        int dup = f.fcntl(2, 1030, 100); // F_DUPFD_CLOEXEC of stderr, at 100 or above
        assertTrue(dup >= 100, "F_DUPFD_CLOEXEC returned " + dup + ", errno " + Native.getLastError());
        try {
            assertEquals(1, f.fcntl(dup, 1, 0) & 1, "FD_CLOEXEC after F_DUPFD_CLOEXEC");
            assertEquals(0, f.fcntl(dup, 2, 0));
            assertEquals(0, f.fcntl(dup, 1, 0) & 1, "FD_CLOEXEC cleared through the variadic int");
            assertEquals(0, f.fcntl(dup, 2, 1));
            assertEquals(1, f.fcntl(dup, 1, 0) & 1, "FD_CLOEXEC set through the variadic int");
        } finally {
            Native.load((String) null, Close.class).close(dup);
        }
    }
}
