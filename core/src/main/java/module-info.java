/**
 * jsocketpair: {@code socketpair(2)} for Java. The public API is {@link io.github.jsocketpair.SocketPair} and the
 * types around it; backends implement {@link io.github.jsocketpair.spi.BackendProvider}.
 */
@SuppressWarnings("module") // the qualified export names backend modules that are built after this one
module io.github.jsocketpair {
    exports io.github.jsocketpair;
    exports io.github.jsocketpair.spi;
    exports io.github.jsocketpair.internal to io.github.jsocketpair.linux, io.github.jsocketpair.bsd;
    exports io.github.jsocketpair.internal.spawn to io.github.jsocketpair.linux, io.github.jsocketpair.bsd;

    uses io.github.jsocketpair.spi.BackendProvider;
}
