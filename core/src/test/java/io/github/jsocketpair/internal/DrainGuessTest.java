package io.github.jsocketpair.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DrainGuessTest {
    /** One read: asks the guess, then records a wait if the read waited. Returns what the guess said. */
    private static boolean read(DrainGuess g, boolean waits) {
        boolean first = g.waitFirst();
        if (waits || first) {
            g.drained(); // waiting first counts as a wait
        }
        return first;
    }

    @Test
    void readsThatFindDataMakeTheirAttemptFirst() {
        DrainGuess g = new DrainGuess();
        for (int i = 0; i < 3 * DrainGuess.PROBE_EVERY; i++) {
            assertFalse(read(g, false), "read " + i);
        }
    }

    @Test
    void aWaitNowAndThenIsNoReasonToWaitFirst() {
        DrainGuess g = new DrainGuess();
        for (int i = 0; i < 10 * DrainGuess.PROBE_EVERY; i++) {
            assertFalse(read(g, i % 3 == 0), "read " + i); // every third read waits, never two in a row
        }
    }

    @Test
    void afterTwoWaitsInARowReadsWaitFirstAndEverySixteenthTestsTheGuess() {
        DrainGuess g = new DrainGuess();
        assertFalse(read(g, true));
        assertFalse(read(g, true));
        for (int round = 0; round < 3; round++) {
            for (int i = 1; i < DrainGuess.PROBE_EVERY; i++) {
                assertTrue(read(g, true), "round " + round + ", read " + i);
            }
            assertFalse(read(g, true), "round " + round + ": the probe makes its attempt first; it waits");
        }
    }

    @Test
    void aProbeThatFindsDataDropsTheGuessUntilReadsWaitAgain() {
        DrainGuess g = new DrainGuess();
        read(g, true);
        read(g, true);
        for (int i = 1; i < DrainGuess.PROBE_EVERY; i++) {
            assertTrue(read(g, true));
        }
        assertFalse(read(g, false)); // the probe: its attempt got data
        for (int i = 0; i < 2 * DrainGuess.PROBE_EVERY; i++) {
            assertFalse(read(g, false), "read " + i + " after the probe found data");
        }
        assertFalse(read(g, true));
        assertFalse(read(g, true));
        assertTrue(read(g, true), "two waits in a row again");
    }
}
