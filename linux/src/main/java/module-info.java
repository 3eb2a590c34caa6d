/** The Linux backend of jsocketpair. */
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"}) // JNA's jar is an automatic module
module io.github.jsocketpair.linux {
    requires io.github.jsocketpair;
    requires com.sun.jna;

    // JNA direct mapping registers the native methods of the binding classes reflectively.
    opens io.github.jsocketpair.linux.jna to com.sun.jna;

    provides io.github.jsocketpair.spi.BackendProvider with io.github.jsocketpair.linux.LinuxBackendProvider;
}
