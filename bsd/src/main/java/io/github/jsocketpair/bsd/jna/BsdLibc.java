package io.github.jsocketpair.bsd.jna;

import io.github.jsocketpair.bsd.BsdFlavour;
import io.github.jsocketpair.internal.Libc;
import io.github.jsocketpair.internal.spawn.SpawnLibc;

/**
 * The C library of a BSD or macOS as the backend uses it: the shared {@link Libc} calls plus {@code getpeereid(3)},
 * bound by {@link BsdLibcDirect} for every flavour (the calls and their C types are the same on all five; only
 * numbers and layouts differ, and those live in the constants classes). Unit tests mock this interface.
 */
public interface BsdLibc extends Libc {
    // getpeereid(3): euid and egid point at a uid_t and a gid_t (4 bytes each on every BSD and macOS)
    int getpeereid(int fd, long euid, long egid);

    // kqueue(2): the same on all five
    int kqueue();

    /**
     * {@code kevent(2)} under the flavour's symbol ({@link KeventLayout#symbol()}): {@code changelist},
     * {@code eventlist} and {@code timeout} are addresses (0 for NULL), the counts {@code int} (widened to
     * {@code size_t} on NetBSD by the binding).
     */
    int kevent(int kq, long changelist, int nchanges, long eventlist, int nevents, long timeout);

    /**
     * Binds posix_spawn and the wait calls for {@code flavour} ({@link BsdSpawn}), on first use of
     * {@link io.github.jsocketpair.ChildProcess}; a separate interface-mapped binding. Part of this interface so that
     * unit tests, which mock it, can hand the backend a spawn binding too.
     *
     * @param flavour the running system
     * @return the binding
     * @throws LinkageError if JNA cannot be loaded
     */
    default SpawnLibc spawnLibc(BsdFlavour flavour) {
        return BsdSpawn.load(flavour);
    }

    /**
     * Binds libc for {@code flavour}: JNA direct mapping for every call, except {@code fcntl} on macOS, which goes
     * through JNA's variadic call support (see {@link VariadicFcntl} for why).
     *
     * @throws LinkageError if JNA's native part cannot be loaded
     */
    static BsdLibc load(BsdFlavour flavour) {
        return new BsdLibcDirect(flavour == BsdFlavour.MACOS ? VariadicFcntl.load() : FixedArityFcntl.load(),
                BsdLibcDirect.kevent(flavour));
    }
}
