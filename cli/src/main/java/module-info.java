/**
 * The jsocketpair command line: {@code selftest}, {@code info}, {@code bench}, {@code exec}. It uses the public API
 * only; the descriptor makes the compiler refuse anything else (core exports its {@code internal} package to the
 * backends alone). The runnable jar
 * is a class-path jar: the shade plugin drops this descriptor and finds the backends through
 * {@code META-INF/services}.
 */
@SuppressWarnings("requires-automatic") // JNA's jar is an automatic module
module io.github.jsocketpair.cli {
    requires io.github.jsocketpair;
    // bench pins its threads with sched_setaffinity (Affinity); nothing else here touches native code
    requires com.sun.jna;

    // JNA direct mapping registers Affinity's native methods reflectively.
    opens io.github.jsocketpair.cli to com.sun.jna;
}
