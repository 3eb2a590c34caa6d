package io.github.jsocketpair.cli;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/** Opens standard output and error in a charset that can show the table's {@code ✓} and {@code ✗}. */
final class Terminal {
    private Terminal() {
    }

    /** Standard output. */
    static PrintStream out() {
        return open(FileDescriptor.out);
    }

    /** Standard error. */
    static PrintStream err() {
        return open(FileDescriptor.err);
    }

    private static PrintStream open(FileDescriptor fd) {
        return new PrintStream(new FileOutputStream(fd), true, charset());
    }

    /**
     * The console's charset if it can encode the marks, UTF-8 otherwise. Under the C/POSIX locale the JDK picks
     * US-ASCII and would print {@code ?} for both marks, which reads as neither pass nor fail; CI logs, where that
     * locale is common, are read as UTF-8.
     */
    static Charset charset() {
        String name = System.getProperty("stdout.encoding"); // JDK 19+
        if (name == null) {
            name = System.getProperty("sun.stdout.encoding"); // set by JDK 17 when stdout is a console
        }
        Charset cs;
        try {
            cs = name == null ? Charset.defaultCharset() : Charset.forName(name);
        } catch (IllegalArgumentException e) {
            cs = StandardCharsets.UTF_8;
        }
        return cs.canEncode() && cs.newEncoder().canEncode(Selftest.Status.PASS.mark() + Selftest.Status.FAIL.mark())
                ? cs : StandardCharsets.UTF_8;
    }
}
