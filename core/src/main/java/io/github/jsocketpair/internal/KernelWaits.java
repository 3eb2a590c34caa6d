package io.github.jsocketpair.internal;

import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Lets a platform thread block in the system call itself, as C and the JDK's own channels do, and still be woken by
 * a close without {@code shutdown(2)}. The waiting alternative is a failed non-blocking attempt, {@code poll(2)} on
 * the socket and a wake-up descriptor, and the attempt again: three system calls where C makes one, measured as most
 * of the gap to C on a ping-pong and on 64 KiB chunks.
 *
 * <p>The wake-up is the JDK's ({@code sun.nio.ch.NativeThread}, {@code SocketChannelImpl.implCloseBlockingMode}): a
 * signal sent to the blocked thread interrupts the call with {@code EINTR}, because the handler the JDK installs for
 * it does nothing and has no {@code SA_RESTART}. This class uses that very signal and handler; it installs nothing.
 * It makes sure the JDK's handler is in place ({@code NativeThread}'s initialiser installs it) and checks with
 * {@code sigaction(2)} that a handler is there before it ever sends the signal (an unhandled real-time signal would
 * end the process); where anything is missing, {@link #probe} answers null and threads wait in {@code poll(2)}.
 *
 * <p>A thread publishes itself before the call and withdraws after it; close marks the endpoint closed, then signals
 * a published thread <em>until it has withdrawn</em>: a signal that lands between the thread's last look at the
 * endpoint and its entry into the call finds it in user space and is lost, and the next one, {@value #RESEND_NANOS}
 * ns later, interrupts the call. (The JDK closes that window instead by {@code dup2} of a dead socket over the
 * number; the number here stays open until its last user is done, so a retry needs no such socket.) The thread is
 * named by its kernel id through {@code tgkill(2)} within this process, so a signal sent just after the thread
 * withdrew can at worst reach another of this process's threads, where the JDK's handler does nothing.
 *
 * <p>Disabled with {@code -Djsocketpair.blockInCall=false}.
 */
final class KernelWaits {
    /** How long close waits between two signals to a thread that has not left its call yet. */
    static final long RESEND_NANOS = 200_000;
    /** How long close goes on signalling a thread that does not leave (a kernel that ignores signals there). */
    static final long GIVE_UP_NANOS = 5_000_000_000L;

    private final Libc libc;
    private final int signal;
    private final int pid;
    private final ThreadLocal<Waiter> waiters = ThreadLocal.withInitial(this::newWaiter);

    /** A platform thread that may block in a call: its kernel id. */
    static final class Waiter {
        final int tid;

        Waiter(int tid) {
            this.tid = tid;
        }
    }

    private KernelWaits(Libc libc, int signal, int pid) {
        this.libc = libc;
        this.signal = signal;
        this.pid = pid;
    }

    /**
     * Returns the kernel waits for {@code libc}, or null where a blocked call could not be woken: no JDK interrupt
     * signal known for the platform ({@link NativeConstants#interruptSignal()}), a binding without the thread calls,
     * no handler installed for the signal, or {@code -Djsocketpair.blockInCall=false}.
     */
    static KernelWaits probe(Libc libc, NativeConstants c) {
        int sig = c.interruptSignal();
        if (sig == NativeConstants.ABSENT || "false".equals(System.getProperty("jsocketpair.blockInCall"))
                || !libc.threadSignals()) {
            return null;
        }
        try {
            // Its static initialiser installs the do-nothing handler the JDK's own closes rely on.
            Class.forName("sun.nio.ch.NativeThread", true, null);
        } catch (ClassNotFoundException | LinkageError | RuntimeException e) {
            // another JDK: the handler check below decides
        }
        long handler = libc.signalHandler(sig);
        if (handler == -1 || handler == 0 || handler == 1) { // failed, SIG_DFL, SIG_IGN
            return null;
        }
        if (libc.gettid() <= 0) {
            return null;
        }
        return new KernelWaits(libc, sig, (int) ProcessHandle.current().pid());
    }

    private Waiter newWaiter() {
        return new Waiter(libc.gettid());
    }

    /** Returns the calling platform thread's waiter (made once per thread). */
    Waiter current() {
        return waiters.get();
    }

    /**
     * Signals {@code w} until {@code stillIn} says it has left its call (or {@link #GIVE_UP_NANOS} have passed).
     */
    void wake(Waiter w, BooleanSupplier stillIn) {
        long end = System.nanoTime() + GIVE_UP_NANOS;
        while (stillIn.getAsBoolean()) {
            libc.tgkill(pid, w.tid, signal);
            if (System.nanoTime() - end > 0) {
                return;
            }
            LockSupport.parkNanos(RESEND_NANOS);
        }
    }
}
