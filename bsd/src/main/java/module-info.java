/** The BSD backend of jsocketpair: FreeBSD, NetBSD, OpenBSD, DragonFly and macOS. */
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"}) // JNA's jar is an automatic module
module io.github.jsocketpair.bsd {
    requires io.github.jsocketpair;
    requires com.sun.jna;
}
