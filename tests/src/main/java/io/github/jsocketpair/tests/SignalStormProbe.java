package io.github.jsocketpair.tests;

import io.github.jsocketpair.Domain;
import io.github.jsocketpair.Endpoint;
import io.github.jsocketpair.MessageFlag;
import io.github.jsocketpair.SocketFlag;
import io.github.jsocketpair.SocketPair;
import io.github.jsocketpair.SocketType;
import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The child-JVM side of {@link FaultContract}'s signal storm. It installs a Java handler for {@code SIGWINCH} (so the
 * signal is caught, not ignored: a caught signal interrupts {@code poll(2)} with {@code EINTR} whatever
 * {@code SA_RESTART} says, signal(7)), prints {@code READY <pid>}, and while its parent sends {@code SIGWINCH} as fast
 * as it can, moves seeded records and bytes both ways through every kind of call: plain blocking reads and writes,
 * reads with a timeout (recv and poll), {@code awaitReadable}, streams in non-blocking mode (poll again). Every byte
 * must arrive intact and no call may fail. Prints {@code OK signals=N transfers=M} and exits 0, or {@code FAIL ...}.
 *
 * <p>Arguments: how long to run, in milliseconds.
 */
public final class SignalStormProbe {
    private SignalStormProbe() {
    }

    /**
     * Runs the probe.
     *
     * @param args the run time in milliseconds
     * @throws Exception if the handler cannot be installed
     */
    public static void main(String[] args) throws Exception {
        long millis = Long.parseLong(args[0]);
        AtomicLong signals = new AtomicLong();
        // sun.misc.Signal through reflection: javac warns about the internal API and the build treats warnings as
        // errors.
        Class<?> signalClass = Class.forName("sun.misc.Signal");
        Class<?> handlerClass = Class.forName("sun.misc.SignalHandler");
        Object handler = Proxy.newProxyInstance(handlerClass.getClassLoader(), new Class<?>[] {handlerClass},
                (proxy, method, margs) -> {
                    if (method.getName().equals("handle")) {
                        signals.incrementAndGet();
                    }
                    return null;
                });
        Object winch = signalClass.getConstructor(String.class).newInstance("WINCH");
        signalClass.getMethod("handle", signalClass, handlerClass).invoke(null, winch, handler);
        System.out.println("READY " + ProcessHandle.current().pid());
        System.out.flush();

        long deadline = System.nanoTime() + millis * 1_000_000L;
        long transfers = 0;
        try {
            while (System.nanoTime() < deadline) {
                for (SocketType type : SocketType.values()) {
                    transfers += exchange(type, transfers);
                }
            }
        } catch (Throwable e) {
            System.out.println("FAIL after " + transfers + " transfers and " + signals.get() + " signals: " + e);
            e.printStackTrace(System.out);
            System.exit(1);
        }
        System.out.println("OK signals=" + signals.get() + " transfers=" + transfers);
        System.exit(0);
    }

    /** One round on a fresh pair: records or a stream both ways, through threads that block. */
    private static long exchange(SocketType type, long seed) throws Exception {
        try (SocketPair p = SocketPair.open(Domain.UNIX, type, SocketFlag.CLOEXEC)) {
            Endpoint a = p.first();
            Endpoint b = p.second();
            int n = 40;
            Thread writer = new Thread(() -> {
                try {
                    for (int i = 0; i < n; i++) {
                        byte[] r = record(seed, i);
                        if (i % 3 == 0) {
                            a.outputStream().write(r);
                        } else {
                            a.write(ByteBuffer.wrap(r));
                        }
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            Throwable[] failed = new Throwable[1];
            writer.setUncaughtExceptionHandler((t, e) -> failed[0] = e);
            writer.start();
            Random sizes = new Random(seed);
            if (type == SocketType.STREAM) {
                int total = 0;
                for (int i = 0; i < n; i++) {
                    total += record(seed, i).length;
                }
                ByteBuffer all = ByteBuffer.allocate(total);
                int k = 0;
                while (all.hasRemaining()) {
                    ByteBuffer chunk = all.slice().limit(Math.min(all.remaining(), 1 + sizes.nextInt(5000)));
                    int got = read(b, chunk, k++);
                    all.position(all.position() + got);
                }
                all.flip();
                for (int i = 0; i < n; i++) {
                    byte[] want = record(seed, i);
                    byte[] have = new byte[want.length];
                    all.get(have);
                    check(Arrays.equals(want, have), "stream bytes of record " + i);
                }
            } else {
                for (int i = 0; i < n; i++) {
                    byte[] want = record(seed, i);
                    ByteBuffer got = ByteBuffer.allocate(want.length + 10);
                    int len = read(b, got, i);
                    check(len == want.length, "record " + i + ": " + len + " bytes, expected " + want.length);
                    check(Arrays.equals(want, Arrays.copyOf(got.array(), len)), "record " + i + " bytes");
                }
            }
            writer.join();
            check(failed[0] == null, "writer: " + failed[0]);
            return n;
        }
    }

    /** One read through one of the waiting paths. */
    private static int read(Endpoint e, ByteBuffer dst, int k) throws Exception {
        switch (k % 4) {
            case 0 -> {
                int n = e.read(dst);
                check(n > 0, "read: " + n);
                return n;
            }
            case 1 -> {
                e.setReadTimeout(Duration.ofSeconds(60)); // recv(MSG_DONTWAIT) + poll
                int n = e.read(dst);
                e.setReadTimeout(Duration.ZERO);
                check(n > 0, "timed read: " + n);
                return n;
            }
            case 2 -> {
                check(e.awaitReadable(Duration.ofSeconds(60)), "awaitReadable timed out");
                int n = e.receive(dst, MessageFlag.DONTWAIT).bytes();
                check(n > 0, "receive after awaitReadable: " + n);
                return n;
            }
            default -> {
                e.configureBlocking(false); // the stream waits with poll
                byte[] b = new byte[dst.remaining()];
                int n = e.inputStream().read(b);
                e.configureBlocking(true);
                check(n > 0, "stream read: " + n);
                dst.put(b, 0, n);
                return n;
            }
        }
    }

    private static byte[] record(long seed, int i) {
        Random r = new Random(seed * 31 + i);
        byte[] b = new byte[1 + r.nextInt(3000)];
        r.nextBytes(b);
        return b;
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new AssertionError(what);
        }
    }
}
