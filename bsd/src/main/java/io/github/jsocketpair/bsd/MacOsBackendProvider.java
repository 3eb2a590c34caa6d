package io.github.jsocketpair.bsd;

/**
 * Provides the {@link MacOsBackend} on macOS ({@code os.name}, {@code os.arch}; nothing native is loaded before
 * {@link #create()}).
 */
public final class MacOsBackendProvider extends BsdBackendProvider {
    /** Creates the provider; loads nothing. */
    public MacOsBackendProvider() {
        super(BsdFlavour.MACOS);
    }
}
