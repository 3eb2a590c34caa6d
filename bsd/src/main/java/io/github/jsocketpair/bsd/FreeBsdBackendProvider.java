package io.github.jsocketpair.bsd;

/**
 * Provides the {@link FreeBsdBackend} on FreeBSD ({@code os.name}, {@code os.arch}; nothing native is loaded before
 * {@link #create()}).
 */
public final class FreeBsdBackendProvider extends BsdBackendProvider {
    /** Creates the provider; loads nothing. */
    public FreeBsdBackendProvider() {
        super(BsdFlavour.FREEBSD);
    }
}
