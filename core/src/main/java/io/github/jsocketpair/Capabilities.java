package io.github.jsocketpair;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * What the running platform offers, as the selected backend found it.
 *
 * @param domains the domains {@code socketpair} can be asked for (a domain may still fail at run time, e.g.
 *        {@link Domain#TIPC} without the kernel module)
 * @param types the socket types offered
 * @param flags the creation flags accepted
 * @param atomicFlags the flags set atomically by {@code socketpair} itself; the others in {@code flags} are set with
 *        {@code fcntl}/{@code setsockopt} right after creation
 * @param descriptorPassing whether descriptors can be sent ({@code SCM_RIGHTS})
 * @param maxDescriptorsPerMessage the most descriptors one message may carry, 0 without descriptor passing
 * @param peerCredentials whether {@link Endpoint#peerCredentials()} is supported
 * @param peerPid whether peer credentials include the process id
 */
public record Capabilities(Set<Domain> domains, Set<SocketType> types, Set<SocketFlag> flags,
        Set<SocketFlag> atomicFlags, boolean descriptorPassing, int maxDescriptorsPerMessage, boolean peerCredentials,
        boolean peerPid) {

    /**
     * Copies the sets into unmodifiable sets that iterate in declaration order.
     *
     * @param domains the domains component
     * @param types the types component
     * @param flags the flags component
     * @param atomicFlags the atomicFlags component
     * @param descriptorPassing the descriptorPassing component
     * @param maxDescriptorsPerMessage the maxDescriptorsPerMessage component
     * @param peerCredentials the peerCredentials component
     * @param peerPid the peerPid component
     * @throws NullPointerException if a set is null
     * @throws IllegalArgumentException if {@code atomicFlags} is not a subset of {@code flags}, or the descriptor limit is negative
     */
    public Capabilities {
        domains = copy(domains, Domain.class);
        types = copy(types, SocketType.class);
        flags = copy(flags, SocketFlag.class);
        atomicFlags = copy(atomicFlags, SocketFlag.class);
        if (!flags.containsAll(atomicFlags)) {
            throw new IllegalArgumentException("atomic flags " + atomicFlags + " not all in " + flags);
        }
        if (maxDescriptorsPerMessage < 0) {
            throw new IllegalArgumentException("maxDescriptorsPerMessage < 0");
        }
    }

    private static <E extends Enum<E>> Set<E> copy(Set<E> set, Class<E> type) {
        Objects.requireNonNull(set, type.getSimpleName());
        EnumSet<E> copy = EnumSet.noneOf(type);
        copy.addAll(set);
        return Collections.unmodifiableSet(copy);
    }

    /**
     * Tells whether {@link SocketFlag#CLOFORK} can be asked for on this platform.
     *
     * @return {@code true} where the OS has {@code SOCK_CLOFORK}
     */
    public boolean cloFork() {
        return flags.contains(SocketFlag.CLOFORK);
    }
}
