package io.github.jsocketpair.tests;

import static io.github.jsocketpair.tests.TestEnv.scaled;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Virtual threads on the real kernel (JDK 21+): each check runs in a child JVM whose scheduler has one carrier
 * ({@link VirtualThreadProbe}), so a blocking call that pinned it would stop every other virtual thread. Hundreds
 * of parked readers all finish, a ping-pong between two virtual threads, a read timeout, close and interrupt while
 * parked with another virtual thread provably running meanwhile, a parked receive and a full write, and the memory
 * 2,000 live virtual threads hold after calls.
 */
public abstract class VirtualThreadContract extends ContractBase {
    private static volatile String output;

    private static synchronized String probe() {
        if (output == null) {
            List<String> cmd = List.of(TestEnv.javaCommand(), "-Xmx256m", "-XX:+IgnoreUnrecognizedVMOptions",
                    "--enable-native-access=ALL-UNNAMED", "-Djdk.virtualThreadScheduler.parallelism=1",
                    "-Djdk.virtualThreadScheduler.maxPoolSize=1", "-cp", System.getProperty("java.class.path"),
                    VirtualThreadProbe.class.getName());
            output = TestEnv.run(cmd, scaled(Duration.ofMinutes(5))).output();
        }
        return output;
    }

    private static void check(String name) {
        assumeTrue(Runtime.version().feature() >= 21, "virtual threads need JDK 21+; this is "
                + Runtime.version());
        String out = probe();
        assertTrue(out.contains("PASS " + name + "\n"), out);
    }

    /** 200 virtual threads blocked in read on one carrier all finish once another virtual thread writes. */
    @Test
    void hundredsOfParkedReadersAllFinish() {
        check("parkedReaders");
    }

    /** Two virtual threads ping-pong 20,000 round trips on one carrier. */
    @Test
    void virtualPingPong() {
        check("pingPong");
    }

    /** A read timeout while parked gives SocketTimeoutException, and another virtual thread ran meanwhile. */
    @Test
    void readTimeoutWhileParked() {
        check("readTimeoutWhileParked");
    }

    /** Close while parked gives AsynchronousCloseException, another virtual thread ran meanwhile, the peer lives. */
    @Test
    void closeWhileParked() {
        check("closeWhileParked");
    }

    /** Interrupt while parked closes the endpoint and gives ClosedByInterruptException, status kept. */
    @Test
    void interruptWhileParked() {
        check("interruptWhileParked");
    }

    /** A parked receive completes when the record arrives. */
    @Test
    void parkedReceive() {
        check("parkedReceive");
    }

    /** A 4 MiB write parks on a full socket and completes as the reader drains it, every byte in order. */
    @Test
    void fullWriteParksAndCompletes() {
        check("fullWrite");
    }

    /** 2,000 live virtual threads that made calls hold under 16 MiB more direct memory. */
    @Test
    void memoryGrowsWithCallsNotThreads() {
        check("memoryPerThread");
    }

    /**
     * Under load from 100 echo pairs on the one carrier, every pair makes round trips and a virtual thread started
     * from a platform thread still runs (its read timeout fires within seconds).
     */
    @Test
    void outsideThreadsRunUnderLoad() {
        check("outsideThreadsRunUnderLoad");
    }
}
