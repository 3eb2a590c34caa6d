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
 * It makes sure the JDK's handler is in place ({@code NativeThread}'s initialiser installs it), checks with
 * {@code sigaction(2)} that a handler is there before it ever sends the signal (an unhandled real-time signal would
 * end the process), and proves once at run time that the signal does bring a thread out of a blocked {@code recv};
 * where anything is missing, {@link #probe} answers null and threads wait in {@code poll(2)}.
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
    /** How long the run-time proof waits for a signal to bring its helper out of {@code recv}. */
    static final long PROOF_MILLIS = 2_000;
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

    /** What {@link #probe} found. */
    enum Verdict {
        /** Blocking in the call works here. */
        WORKS,
        /** It cannot work here (nothing to signal with, no handler, or the proof failed). */
        NEVER,
        /** Not known yet: the proof could not run (no descriptors or threads to spare); ask again later. */
        UNKNOWN
    }

    /**
     * Returns the kernel waits for {@code libc}, or null where a blocked call could not be woken: no JDK interrupt
     * signal known for the platform ({@link NativeConstants#interruptSignal()}), a binding without the thread calls,
     * no handler installed for the signal, {@code -Djsocketpair.blockInCall=false}, or a run-time proof that failed
     * ({@link #proof}). {@code verdict[0]} says whether a null answer is final.
     */
    static KernelWaits probe(Libc libc, NativeConstants c, Verdict[] verdict) {
        verdict[0] = Verdict.NEVER;
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
        KernelWaits k = new KernelWaits(libc, sig, (int) ProcessHandle.current().pid());
        verdict[0] = k.proof(c);
        return verdict[0] == Verdict.WORKS ? k : null;
    }

    /**
     * The run-time proof, made once: a helper thread blocks in {@code recv} on a private pair, and signals must bring
     * it out with {@code EINTR} within {@value #PROOF_MILLIS} ms. Where something between here and the kernel keeps
     * the signal from interrupting the call (a sandbox that filters {@code tgkill}, an emulator), threads wait in
     * {@code poll(2)} instead of blocking in a call that close could never end.
     */
    Verdict proof(NativeConstants c) {
        java.nio.ByteBuffer mem = java.nio.ByteBuffer.allocateDirect(16).order(java.nio.ByteOrder.nativeOrder());
        long at = libc.address(mem);
        if (libc.socketpair(c.AF_UNIX, c.SOCK_STREAM | c.SOCK_CLOEXEC, 0, at) != 0) {
            return Verdict.UNKNOWN; // no descriptors to spare now
        }
        int reading = mem.getInt(0);
        int writing = mem.getInt(4);
        try {
            java.util.concurrent.atomic.AtomicInteger tid = new java.util.concurrent.atomic.AtomicInteger();
            java.util.concurrent.atomic.AtomicInteger outcome = new java.util.concurrent.atomic.AtomicInteger();
            Thread helper = new Thread(() -> {
                tid.set(libc.gettid());
                long n = libc.recv(reading, at + 8, 1, 0);
                outcome.set(n < 0 && libc.errno() == c.EINTR ? 1 : 2);
            }, "jsocketpair-signal-proof");
            helper.setDaemon(true);
            try {
                helper.start();
            } catch (OutOfMemoryError e) {
                return Verdict.UNKNOWN;
            }
            long end = System.nanoTime() + PROOF_MILLIS * 1_000_000L;
            while (outcome.get() == 0 && System.nanoTime() - end < 0) {
                int t = tid.get();
                if (t != 0) {
                    libc.tgkill(pid, t, signal);
                }
                LockSupport.parkNanos(RESEND_NANOS);
            }
            if (outcome.get() == 0) {
                libc.send(writing, at + 12, 1, c.MSG_DONTWAIT | c.MSG_NOSIGNAL); // let the helper go
            }
            try {
                helper.join(PROOF_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Verdict.UNKNOWN;
            }
            return outcome.get() == 1 ? Verdict.WORKS : Verdict.NEVER;
        } finally {
            libc.close(writing); // a helper still in recv sees the end of the stream and leaves
            libc.close(reading);
            java.lang.ref.Reference.reachabilityFence(mem); // the helper's recv writes into it
        }
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
