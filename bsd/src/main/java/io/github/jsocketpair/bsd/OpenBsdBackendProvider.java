package io.github.jsocketpair.bsd;

/**
 * Provides the {@link OpenBsdBackend} on OpenBSD ({@code os.name}, {@code os.arch}; nothing native is loaded before
 * {@link #create()}).
 */
public final class OpenBsdBackendProvider extends BsdBackendProvider {
    /** Creates the provider; loads nothing. */
    public OpenBsdBackendProvider() {
        super(BsdFlavour.OPENBSD);
    }
}
