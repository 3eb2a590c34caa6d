package io.github.jsocketpair.bsd;

/**
 * Provides the {@link DragonFlyBackend} on DragonFly ({@code os.name}, {@code os.arch}; nothing native is loaded before
 * {@link #create()}).
 */
public final class DragonFlyBackendProvider extends BsdBackendProvider {
    /** Creates the provider; loads nothing. */
    public DragonFlyBackendProvider() {
        super(BsdFlavour.DRAGONFLY);
    }
}
