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
        DrainGuess g = DrainGuess.forPoll();
        for (int i = 0; i < 3 * DrainGuess.PROBE_EVERY_POLL; i++) {
            assertFalse(read(g, false), "read " + i);
        }
    }

    @Test
    void aWaitNowAndThenIsNoReasonToWaitFirst() {
        DrainGuess g = DrainGuess.forPoll();
        for (int i = 0; i < 10 * DrainGuess.PROBE_EVERY_POLL; i++) {
            assertFalse(read(g, i % 3 == 0), "read " + i); // every third read waits, never two in a row
        }
    }

    @Test
    void afterTwoWaitsInARowReadsWaitFirstAndEverySixteenthTestsTheGuess() {
        DrainGuess g = DrainGuess.forPoll();
        assertFalse(read(g, true));
        assertFalse(read(g, true));
        for (int round = 0; round < 3; round++) {
            for (int i = 1; i < DrainGuess.PROBE_EVERY_POLL; i++) {
                assertTrue(read(g, true), "round " + round + ", read " + i);
            }
            assertFalse(read(g, true), "round " + round + ": the probe makes its attempt first; it waits");
        }
    }

    @Test
    void aProbeThatFindsDataDropsTheGuessUntilReadsWaitAgain() {
        DrainGuess g = DrainGuess.forPoll();
        read(g, true);
        read(g, true);
        for (int i = 1; i < DrainGuess.PROBE_EVERY_POLL; i++) {
            assertTrue(read(g, true));
        }
        assertFalse(read(g, false)); // the probe: its attempt got data
        for (int i = 0; i < 2 * DrainGuess.PROBE_EVERY_POLL; i++) {
            assertFalse(read(g, false), "read " + i + " after the probe found data");
        }
        assertFalse(read(g, true));
        assertFalse(read(g, true));
        assertTrue(read(g, true), "two waits in a row again");
    }

    @Test
    void inTheCallOneWaitIsEnoughAndEveryTwoHundredFiftySixthTestsTheGuess() {
        DrainGuess g = DrainGuess.inCall();
        assertFalse(read(g, false));
        assertFalse(read(g, true), "the first wait: its attempt was made first");
        for (int round = 0; round < 3; round++) {
            for (int i = 1; i < DrainGuess.PROBE_EVERY_IN_CALL; i++) {
                assertTrue(read(g, false), "round " + round + ", call " + i);
            }
            assertFalse(read(g, true), "round " + round + ": the probe makes its attempt first; it waits");
        }
        for (int i = 1; i < DrainGuess.PROBE_EVERY_IN_CALL; i++) {
            assertTrue(read(g, false));
        }
        assertFalse(read(g, false), "the probe: its attempt succeeded, so the guess is dropped");
        assertFalse(read(g, false));
        assertFalse(read(g, true));
        assertTrue(read(g, false), "one wait again");
    }
}
