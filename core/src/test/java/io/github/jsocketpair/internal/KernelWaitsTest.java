package io.github.jsocketpair.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Blocking in the call: when the wake-up is known to work, and how close signals a blocked thread. */
class KernelWaitsTest {
    private static final int SIGNAL = 62;

    private static NativeConstants constants(int signal) {
        NativeConstants c = new NativeConstants();
        if (signal != NativeConstants.ABSENT) {
            c.interruptSignal(signal);
        }
        return c;
    }

    private static Libc libc(long handler, int tid) {
        Libc libc = mock(Libc.class);
        when(libc.threadSignals()).thenReturn(true);
        when(libc.signalHandler(SIGNAL)).thenReturn(handler);
        when(libc.gettid()).thenReturn(tid);
        return libc;
    }

    @Test
    void noSignalKnownForThePlatformMeansNoBlockingInTheCall() {
        Libc libc = libc(0x7f0000001000L, 1234);
        assertNull(KernelWaits.probe(libc, constants(NativeConstants.ABSENT)));
        verify(libc, never()).signalHandler(anyInt());
    }

    @Test
    void aBindingWithoutTheThreadCallsMeansNoBlockingInTheCall() {
        Libc libc = libc(0x7f0000001000L, 1234);
        when(libc.threadSignals()).thenReturn(false);
        assertNull(KernelWaits.probe(libc, constants(SIGNAL)));
        verify(libc, never()).signalHandler(anyInt());
    }

    @Test
    void noSignalIsEverSentWithoutAHandler() {
        for (long handler : new long[] {0, 1, -1}) { // SIG_DFL (would end the process), SIG_IGN (no EINTR), failed
            assertNull(KernelWaits.probe(libc(handler, 1234), constants(SIGNAL)), "handler " + handler);
        }
    }

    @Test
    void aFailingGettidMeansNoBlockingInTheCall() {
        assertNull(KernelWaits.probe(libc(0x7f0000001000L, -1), constants(SIGNAL)));
    }

    @Test
    void thePropertyTurnsItOff() {
        System.setProperty("jsocketpair.blockInCall", "false");
        try {
            assertNull(KernelWaits.probe(libc(0x7f0000001000L, 1234), constants(SIGNAL)));
        } finally {
            System.clearProperty("jsocketpair.blockInCall");
        }
    }

    @Test
    void anInstalledHandlerEnablesItAndEachThreadHasOneWaiter() {
        KernelWaits k = KernelWaits.probe(libc(0x7f0000001000L, 1234), constants(SIGNAL));
        assertNotNull(k);
        KernelWaits.Waiter w = k.current();
        assertEquals(1234, w.tid);
        assertSame(w, k.current(), "made once per thread");
    }

    @Test
    void closeSignalsTheThreadUntilItHasLeftItsCall() {
        Libc libc = libc(0x7f0000001000L, 1234);
        KernelWaits k = KernelWaits.probe(libc, constants(SIGNAL));
        assertNotNull(k);
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
        KernelWaits k = KernelWaits.probe(libc, constants(SIGNAL));
        assertNotNull(k);
        k.wake(k.current(), () -> false);
        verify(libc, never()).tgkill(anyInt(), anyInt(), anyInt());
    }
}
