package io.github.jsocketpair.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DrainGuessTest {
    @Test
    void aFreshEndpointMakesItsAttemptFirst() {
        DrainGuess g = new DrainGuess();
        for (int i = 0; i < 3 * DrainGuess.PROBE_EVERY; i++) {
            assertFalse(g.waitFirst(), "read " + i);
        }
    }

    @Test
    void afterAWaitReadsWaitFirstAndEverySixteenthTestsTheGuess() {
        DrainGuess g = new DrainGuess();
        g.drained();
        for (int round = 0; round < 3; round++) {
            for (int i = 1; i < DrainGuess.PROBE_EVERY; i++) {
                assertTrue(g.waitFirst(), "round " + round + ", read " + i);
            }
            assertFalse(g.waitFirst(), "round " + round + ": the probe makes its attempt first");
            g.drained(); // the probe's attempt found the socket empty: the guess holds
        }
    }

    @Test
    void aProbeThatFindsDataDropsTheGuessUntilAReadWaitsAgain() {
        DrainGuess g = new DrainGuess();
        g.drained();
        for (int i = 1; i < DrainGuess.PROBE_EVERY; i++) {
            assertTrue(g.waitFirst());
        }
        assertFalse(g.waitFirst()); // the probe; its attempt got data, nothing recorded
        for (int i = 0; i < 2 * DrainGuess.PROBE_EVERY; i++) {
            assertFalse(g.waitFirst(), "read " + i + " after the probe found data");
        }
        g.drained();
        assertTrue(g.waitFirst());
    }
}
