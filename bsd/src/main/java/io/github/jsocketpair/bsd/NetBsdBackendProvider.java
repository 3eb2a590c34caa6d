package io.github.jsocketpair.bsd;

/**
 * Provides the {@link NetBsdBackend} on NetBSD ({@code os.name}, {@code os.arch}; nothing native is loaded before
 * {@link #create()}).
 */
public final class NetBsdBackendProvider extends BsdBackendProvider {
    /** Creates the provider; loads nothing. */
    public NetBsdBackendProvider() {
        super(BsdFlavour.NETBSD);
    }
}
