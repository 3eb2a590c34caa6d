package io.github.jsocketpair.bench;

import io.github.jsocketpair.Endpoint;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The workloads. Each benchmark takes a {@code kase} ({@code contender:TYPE:kind}, see {@link Case}) and, when two
 * threads take part, a {@code placement} ({@code one}: both on CPU 0; {@code two}: CPU 0 and CPU 1). The main
 * (measured) thread always runs on CPU 0. {@link Run} picks the valid combinations; the defaults here are a smoke set.
 */
@Fork(value = 1, jvmArgsAppend = {"-XX:+IgnoreUnrecognizedVMOptions", "--enable-native-access=ALL-UNNAMED"})
@Warmup(iterations = 3, time = 200, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 5, time = 200, timeUnit = TimeUnit.MILLISECONDS)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class Benches {
    /** Nested classes take the settings above through this base (JMH reads annotations up the class chain). */
    protected Benches() {
    }

    /** Pair create+close. */
    @State(Scope.Thread)
    @BenchmarkMode(Mode.AverageTime)
    public static class CreateClose extends Benches {
        @Param({"jsocketpair:STREAM"})
        public String kase;
        private Case c;

        @Setup(Level.Trial)
        public void setup() {
            c = Case.parse(kase);
            Affinity.place("one", false);
        }

        @Benchmark
        public void createClose() throws IOException {
            c.open().close();
        }
    }

    /** 1-byte write then 1-byte read, on one thread. */
    @State(Scope.Thread)
    @BenchmarkMode(Mode.AverageTime)
    public static class WriteRead extends Benches {
        @Param({"jsocketpair:STREAM:direct"})
        public String kase;
        private Link link;
        private Io a;
        private Io b;

        @Setup(Level.Trial)
        public void setup() throws IOException {
            Case c = Case.parse(kase);
            link = c.open();
            a = c.a(link, 1);
            b = c.b(link, 1);
            Affinity.place("one", false);
        }

        @TearDown(Level.Trial)
        public void tearDown() throws IOException {
            link.close();
        }

        @Benchmark
        public int writeRead() throws IOException {
            a.write(1);
            return b.read(1);
        }
    }

    /** 1-byte round trip to an echo thread: p50 and p99 from sampled times. */
    @State(Scope.Thread)
    @BenchmarkMode(Mode.SampleTime)
    public static class PingPong extends Benches {
        @Param({"jsocketpair:STREAM:direct"})
        public String kase;
        @Param({"one"})
        public String placement;
        private Link link;
        private Io a;
        private Helper echo;

        @Setup(Level.Trial)
        public void setup() throws IOException {
            Case c = Case.parse(kase);
            link = c.open();
            a = c.a(link, 1);
            Io b = c.b(link, 1);
            Affinity.place(placement, false);
            echo = new Helper("echo", placement, () -> {
                if (!b.readFully(1)) {
                    return false;
                }
                b.write(1);
                return true;
            });
            echo.start();
        }

        @TearDown(Level.Trial)
        public void tearDown() throws IOException, InterruptedException {
            echo.finish(link);
        }

        @Benchmark
        public boolean pingPong() throws IOException {
            a.write(1);
            return a.readFully(1);
        }
    }

    /** Stream throughput: one chunk written (all of it) per operation while a second thread drains. */
    @State(Scope.Thread)
    @BenchmarkMode(Mode.AverageTime)
    public static class Throughput extends Benches {
        @Param({"jsocketpair:STREAM:direct"})
        public String kase;
        @Param({"one"})
        public String placement;
        @Param({"65536"})
        public int chunk;
        private Link link;
        private Io a;
        private Helper drain;

        @Setup(Level.Trial)
        public void setup() throws IOException {
            Case c = Case.parse(kase);
            link = c.open();
            a = c.a(link, chunk);
            Io b = c.b(link, chunk);
            Affinity.place(placement, false);
            int n = chunk;
            drain = new Helper("drain", placement, () -> b.read(n) >= 0);
            drain.start();
        }

        @TearDown(Level.Trial)
        public void tearDown() throws IOException, InterruptedException {
            drain.finish(link);
        }

        @Benchmark
        public void write() throws IOException {
            a.write(chunk);
        }
    }

    /** 64-byte records sent one per call while a second thread receives them one per call. */
    @State(Scope.Thread)
    @BenchmarkMode(Mode.AverageTime)
    public static class Records extends Benches {
        static final int SIZE = 64;
        @Param({"jsocketpair:SEQPACKET:direct"})
        public String kase;
        @Param({"one"})
        public String placement;
        private Link link;
        private Io a;
        private Helper drain;

        @Setup(Level.Trial)
        public void setup() throws IOException {
            Case c = Case.parse(kase);
            link = c.open();
            a = c.a(link, SIZE);
            Io b = c.b(link, SIZE);
            Affinity.place(placement, false);
            drain = new Helper("drain", placement, () -> b.read(SIZE) >= 0);
            drain.start();
        }

        @TearDown(Level.Trial)
        public void tearDown() throws IOException, InterruptedException {
            drain.finish(link);
        }

        @Benchmark
        public void send() throws IOException {
            a.write(SIZE);
        }
    }

    /** 64-byte records through {@code Endpoint.sendBatch}/{@code receiveBatch}, 32 per call; time per record. */
    @State(Scope.Thread)
    @BenchmarkMode(Mode.AverageTime)
    public static class Batch extends Benches {
        static final int BATCH = 32;
        @Param({"jsocketpair:DGRAM:direct"})
        public String kase;
        @Param({"one"})
        public String placement;
        private Link link;
        private Endpoint a;
        private ByteBuffer[] out;
        private Helper drain;

        @Setup(Level.Trial)
        public void setup() throws IOException {
            Case c = Case.parse(kase);
            if (c.contender() != Contender.JSOCKETPAIR) {
                throw new IllegalArgumentException("batches are jsocketpair's");
            }
            link = c.open();
            a = (Endpoint) link.aw;
            Endpoint b = (Endpoint) link.br;
            out = buffers(c.kind());
            ByteBuffer[] in = buffers(c.kind());
            Affinity.place(placement, false);
            drain = new Helper("drain", placement, () -> {
                for (ByteBuffer x : in) {
                    x.clear();
                }
                return b.receiveBatch(in) > 0;
            });
            drain.start();
        }

        private static ByteBuffer[] buffers(String kind) {
            ByteBuffer[] r = new ByteBuffer[BATCH];
            for (int i = 0; i < BATCH; i++) {
                r[i] = kind.equals("heap") ? ByteBuffer.allocate(Records.SIZE)
                        : ByteBuffer.allocateDirect(Records.SIZE);
            }
            return r;
        }

        @TearDown(Level.Trial)
        public void tearDown() throws IOException, InterruptedException {
            drain.finish(link);
        }

        @Benchmark
        @OperationsPerInvocation(BATCH)
        public int send() throws IOException {
            for (ByteBuffer x : out) {
                x.clear();
            }
            return a.sendBatch(out);
        }
    }
}
