/** The BSD backend of jsocketpair: FreeBSD, NetBSD, OpenBSD, DragonFly and macOS. */
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"}) // JNA's jar is an automatic module
module io.github.jsocketpair.bsd {
    requires io.github.jsocketpair;
    requires com.sun.jna;

    // JNA direct mapping registers the native methods of the binding classes reflectively, and builds a proxy for the
    // variadic fcntl interface.
    opens io.github.jsocketpair.bsd.jna to com.sun.jna;

    provides io.github.jsocketpair.spi.BackendProvider with
            io.github.jsocketpair.bsd.FreeBsdBackendProvider,
            io.github.jsocketpair.bsd.NetBsdBackendProvider,
            io.github.jsocketpair.bsd.OpenBsdBackendProvider,
            io.github.jsocketpair.bsd.DragonFlyBackendProvider,
            io.github.jsocketpair.bsd.MacOsBackendProvider;
}
