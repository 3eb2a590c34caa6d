/**
 * The jsocketpair command line: {@code selftest}, {@code info}. It uses the public API only; the descriptor makes the
 * compiler refuse anything else (core exports its {@code internal} package to the backends alone). The runnable jar
 * is a class-path jar: the shade plugin drops this descriptor and finds the backends through
 * {@code META-INF/services}.
 */
module io.github.jsocketpair.cli {
    requires io.github.jsocketpair;
}
