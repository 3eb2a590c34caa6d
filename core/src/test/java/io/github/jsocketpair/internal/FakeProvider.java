package io.github.jsocketpair.internal;

import io.github.jsocketpair.BackendInfo;
import io.github.jsocketpair.Capabilities;
import io.github.jsocketpair.Descriptor;
import io.github.jsocketpair.Domain;
import io.github.jsocketpair.Endpoint;
import io.github.jsocketpair.SocketFlag;
import io.github.jsocketpair.SocketType;
import io.github.jsocketpair.spi.Backend;
import io.github.jsocketpair.spi.BackendProvider;
import io.github.jsocketpair.spi.EndpointPair;
import java.util.EnumSet;
import java.util.Set;
import java.util.function.Supplier;

/** A provider for loader tests: a name, a priority, supported or not, and what {@code create()} does. */
class FakeProvider implements BackendProvider {
    private final String name;
    private final int priority;
    private final boolean supported;
    private final Supplier<Backend> create;
    int creates;

    FakeProvider(String name, int priority, boolean supported, Supplier<Backend> create) {
        this.name = name;
        this.priority = priority;
        this.supported = supported;
        this.create = create;
    }

    static FakeProvider ok(String name, int priority) {
        return new FakeProvider(name, priority, true, () -> new FakeBackend(name));
    }

    static FakeProvider unsupported(String name, String reason) {
        return new FakeProvider(name, 1000, false, () -> {
            throw new AssertionError("create() of an unsupported provider");
        }) {
            @Override
            public String unsupportedReason() {
                return reason;
            }
        };
    }

    static FakeProvider failing(String name, int priority, RuntimeException e) {
        return new FakeProvider(name, priority, true, () -> {
            throw e;
        });
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int priority() {
        return priority;
    }

    @Override
    public boolean isSupported() {
        return supported;
    }

    @Override
    public String unsupportedReason() {
        return "not for this test";
    }

    @Override
    public Backend create() {
        creates++;
        return create.get();
    }

    /** A backend that only describes itself. */
    static final class FakeBackend implements Backend {
        private final BackendInfo info;

        FakeBackend(String name) {
            info = new BackendInfo(name, "FakeOS 1", "fakearch", "fake", "", new Capabilities(EnumSet.of(Domain.UNIX),
                    EnumSet.of(SocketType.STREAM), EnumSet.noneOf(SocketFlag.class), EnumSet.noneOf(SocketFlag.class),
                    false, 0, false, false));
        }

        @Override
        public BackendInfo info() {
            return info;
        }

        @Override
        public EndpointPair open(Domain domain, SocketType type, int protocol, Set<SocketFlag> flags) {
            throw new UnsupportedOperationException("fake");
        }

        @Override
        public EndpointPair openNative(int domain, int type, int protocol) {
            throw new UnsupportedOperationException("fake");
        }

        @Override
        public Endpoint adopt(Descriptor descriptor) {
            throw new UnsupportedOperationException("fake");
        }

        @Override
        public Descriptor duplicate(int fd) {
            throw new UnsupportedOperationException("fake");
        }
    }

    /**
     * Listed in src/test/resources/META-INF/services, so the real ServiceLoader finds it; supported only while
     * {@code -Djsocketpair.test.fakes=true}, so no other test can pick it by accident.
     */
    public static final class Listed extends FakeProvider {
        /** Called by ServiceLoader. */
        public Listed() {
            super("fake-listed", 5, true, () -> new FakeBackend("fake-listed"));
        }

        @Override
        public boolean isSupported() {
            return Boolean.getBoolean("jsocketpair.test.fakes");
        }
    }
}
