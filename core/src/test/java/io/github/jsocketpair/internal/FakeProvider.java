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

/**
 * A provider for loader tests: a name, a priority, supported or not, and what {@code create()} does. Public, with a
 * protected constructor, so that a provider compiled at test time into a child class loader can extend it.
 */
public class FakeProvider implements BackendProvider {
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

    /**
     * A provider whose {@code create()} returns a backend that only describes itself.
     *
     * @param name the name
     * @param priority the priority
     * @param supported what {@code isSupported()} says
     */
    protected FakeProvider(String name, int priority, boolean supported) {
        this(name, priority, supported, () -> new FakeBackend(name));
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

    /** A provider whose every method but {@code create()} throws the given error. */
    static FakeProvider throwing(String name, String method, Throwable e) {
        return new FakeProvider(name, 1, true, () -> new FakeBackend(name)) {
            private void maybe(String m) {
                if (m.equals(method)) {
                    if (e instanceof RuntimeException r) {
                        throw r;
                    }
                    throw (Error) e;
                }
            }

            @Override
            public String name() {
                maybe("name");
                return super.name();
            }

            @Override
            public int priority() {
                maybe("priority");
                return super.priority();
            }

            @Override
            public boolean isSupported() {
                maybe("isSupported");
                return !method.equals("unsupportedReason") && super.isSupported();
            }

            @Override
            public String unsupportedReason() {
                maybe("unsupportedReason");
                return super.unsupportedReason();
            }
        };
    }

    /**
     * Listed in src/test/resources/META-INF/services: {@code isSupported()} fails as a provider whose native library
     * cannot be linked does, every time.
     */
    public static final class Throwing extends FakeProvider {
        /** Called by ServiceLoader. */
        public Throwing() {
            super("fake-throwing", 9, true, () -> {
                throw new AssertionError("create() of a provider whose isSupported() throws");
            });
        }

        @Override
        public boolean isSupported() {
            throw new NoClassDefFoundError("com/example/MissingNativeBinding");
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
