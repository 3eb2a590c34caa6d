package io.github.jsocketpair.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.Mockito.clearInvocations;
import static org.mockito.Mockito.doReturn;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Blocking in the call: when the wake-up is known to work, and how close signals a blocked thread. */
class KernelWaitsTest {
    private static final int SIGNAL = 62;

    private static final int EINTR = 4;

    private static NativeConstants constants(int signal) {
        NativeConstants c = new NativeConstants();
        c.EINTR = EINTR;
        if (signal != NativeConstants.ABSENT) {
            c.interruptSignal(signal);
        }
        return c;
    }

    /**
     * A libc whose recv (the run-time proof's helper) blocks until tgkill is called and then fails with EINTR, as the
     * kernel's does with the JDK's handler in place.
     */
    private static Libc libc(long handler, int tid) {
        Libc libc = mock(Libc.class);
        when(libc.threadSignals()).thenReturn(true);
        when(libc.signalHandler(SIGNAL)).thenReturn(handler);
        when(libc.gettid()).thenReturn(tid);
        CountDownLatch signalled = new CountDownLatch(1);
        when(libc.tgkill(anyInt(), anyInt(), anyInt())).thenAnswer(i -> {
            signalled.countDown();
            return 0;
        });
        when(libc.recv(anyInt(), anyLong(), anyLong(), anyInt())).thenAnswer(i -> {
            signalled.await();
            return -1L;
        });
        when(libc.errno()).thenReturn(EINTR);
        return libc;
    }

    private static KernelWaits probe(Libc libc, NativeConstants c) {
        return KernelWaits.probe(libc, c, new KernelWaits.Verdict[1]);
    }

    @Test
    void noSignalKnownForThePlatformMeansNoBlockingInTheCall() {
        Libc libc = libc(0x7f0000001000L, 1234);
        assertNull(probe(libc, constants(NativeConstants.ABSENT)));
        verify(libc, never()).signalHandler(anyInt());
    }

    @Test
    void aBindingWithoutTheThreadCallsMeansNoBlockingInTheCall() {
        Libc libc = libc(0x7f0000001000L, 1234);
        doReturn(false).when(libc).threadSignals();
        assertNull(probe(libc, constants(SIGNAL)));
        verify(libc, never()).signalHandler(anyInt());
    }

    @Test
    void noSignalIsEverSentWithoutAHandler() {
        for (long handler : new long[] {0, 1, -1}) { // SIG_DFL (would end the process), SIG_IGN (no EINTR), failed
            assertNull(probe(libc(handler, 1234), constants(SIGNAL)), "handler " + handler);
        }
    }

    @Test
    void aFailingGettidMeansNoBlockingInTheCall() {
        assertNull(probe(libc(0x7f0000001000L, -1), constants(SIGNAL)));
    }

    @Test
    void thePropertyTurnsItOff() {
        System.setProperty("jsocketpair.blockInCall", "false");
        try {
            assertNull(probe(libc(0x7f0000001000L, 1234), constants(SIGNAL)));
        } finally {
            System.clearProperty("jsocketpair.blockInCall");
        }
    }

    @Test
    void aSignalThatDoesNotInterruptTheCallMeansNoBlockingInTheCall() {
        Libc libc = libc(0x7f0000001000L, 1234);
        doReturn(1L).when(libc).recv(anyInt(), anyLong(), anyLong(), anyInt()); // the proof's recv got a byte
        KernelWaits.Verdict[] verdict = new KernelWaits.Verdict[1];
        assertNull(KernelWaits.probe(libc, constants(SIGNAL), verdict));
        assertEquals(KernelWaits.Verdict.NEVER, verdict[0]);
    }

    @Test
    void noDescriptorsForTheProofMeansAskAgainLater() {
        Libc libc = libc(0x7f0000001000L, 1234);
        doReturn(-1).when(libc).socketpair(anyInt(), anyInt(), anyInt(), anyLong()); // EMFILE, say
        KernelWaits.Verdict[] verdict = new KernelWaits.Verdict[1];
        assertNull(KernelWaits.probe(libc, constants(SIGNAL), verdict));
        assertEquals(KernelWaits.Verdict.UNKNOWN, verdict[0]);
    }

    @Test
    void anInstalledHandlerEnablesItAndEachThreadHasOneWaiter() {
        KernelWaits k = probe(libc(0x7f0000001000L, 1234), constants(SIGNAL));
        assertNotNull(k);
        KernelWaits.Waiter w = k.current();
        assertEquals(1234, w.tid);
        assertSame(w, k.current(), "made once per thread");
    }

    @Test
    void closeSignalsTheThreadUntilItHasLeftItsCall() {
        Libc libc = libc(0x7f0000001000L, 1234);
        KernelWaits k = probe(libc, constants(SIGNAL));
        assertNotNull(k);
        clearInvocations(libc); // the run-time proof's own signals
        int pid = (int) ProcessHandle.current().pid();
        // Still in its call at the first three looks (a signal that came before the call itself was lost): signalled
        // each time, then no more once it has left.
        AtomicInteger looks = new AtomicInteger();
        k.wake(k.current(), () -> looks.incrementAndGet() <= 3);
        verify(libc, times(3)).tgkill(pid, 1234, SIGNAL);
        assertEquals(4, looks.get());
    }

    @Test
    void aThreadThatHasAlreadyLeftIsNotSignalled() {
        Libc libc = libc(0x7f0000001000L, 1234);
        KernelWaits k = probe(libc, constants(SIGNAL));
        assertNotNull(k);
        clearInvocations(libc);
        k.wake(k.current(), () -> false);
        verify(libc, never()).tgkill(anyInt(), anyInt(), anyInt());
    }
}
