package io.github.jsocketpair.bsd.jna;

import io.github.jsocketpair.bsd.BsdFlavour;
import io.github.jsocketpair.internal.Libc;

/**
 * The C library of a BSD or macOS as the backend uses it: the shared {@link Libc} calls plus {@code getpeereid(3)},
 * bound by {@link BsdLibcDirect} for every flavour (the calls and their C types are the same on all five; only
 * numbers and layouts differ, and those live in the constants classes). Unit tests mock this interface.
 */
public interface BsdLibc extends Libc {
    // getpeereid(3): euid and egid point at a uid_t and a gid_t (4 bytes each on every BSD and macOS)
    int getpeereid(int fd, long euid, long egid);

    /**
     * Binds libc for {@code flavour}: JNA direct mapping for every call, except {@code fcntl} on macOS, which goes
     * through JNA's variadic call support (see {@link VariadicFcntl} for why).
     *
     * @throws LinkageError if JNA's native part cannot be loaded
     */
    static BsdLibc load(BsdFlavour flavour) {
        return new BsdLibcDirect(flavour == BsdFlavour.MACOS ? VariadicFcntl.load() : FixedArityFcntl.load());
    }
}
