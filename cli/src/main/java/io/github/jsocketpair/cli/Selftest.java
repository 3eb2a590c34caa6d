package io.github.jsocketpair.cli;

import io.github.jsocketpair.Capabilities;
import io.github.jsocketpair.Domain;
import io.github.jsocketpair.Endpoint;
import io.github.jsocketpair.Errno;
import io.github.jsocketpair.Received;
import io.github.jsocketpair.SocketFlag;
import io.github.jsocketpair.SocketPair;
import io.github.jsocketpair.SocketPairException;
import io.github.jsocketpair.SocketType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Exercises every domain/type/flag combination a backend claims, for real: open the pair, check each end's blocking
 * mode and close-on-exec, send data both ways and check it arrives intact (records keep their boundaries), close,
 * check both ends are closed. Where {@link SocketFlag#CLOFORK} is not offered it checks the refusal too. A TIPC
 * domain whose kernel module is not loaded gives one "not available" row instead of a row of failures.
 */
final class Selftest {
    /** How long one step may wait for the peer; far more than a local socket ever needs. */
    private static final Duration PATIENCE = Duration.ofSeconds(5);
    private static final int STREAM_BYTES = 4096;
    private static final int[] RECORD_BYTES = {100, 37};
    /** The TIPC row where the module is missing: says where TIPC was proven instead (.ci/tipc.sh, ../shared/tipcvm). */
    static final String TIPC_UNAVAILABLE = "not available (tipc kernel module not loaded); "
            + "proven in CI under a TIPC kernel (.ci/tipc.sh)";

    /** What became of a row. */
    enum Status {
        /** Worked (or was refused where a refusal is expected). */
        PASS("✓"),
        /** The platform claims it, and it does not work. */
        FAIL("✗"),
        /** The platform cannot offer it here and says why; not a failure. */
        UNAVAILABLE("-");

        private final String mark;

        Status(String mark) {
            this.mark = mark;
        }

        /** The mark in the table's first column. */
        String mark() {
            return mark;
        }
    }

    /** What a row checked. */
    enum Kind {
        /** A combination the platform offers, opened and used. */
        EXERCISED,
        /** A flag the platform does not offer, expected to be refused. */
        REFUSAL,
        /** A domain that is offered but not usable on this machine. */
        SKIPPED
    }

    /**
     * One row of the table.
     *
     * @param detail what the table shows after the flags: the error for a failure, a short note otherwise
     * @param refusal for a refusal row, the whole message of the exception it was refused with; else empty
     */
    record Row(String domain, String type, String flags, Kind kind, Status status, String detail, String refusal) {
        Row(String domain, String type, String flags, Kind kind, Status status, String detail) {
            this(domain, type, flags, kind, status, detail, "");
        }
    }

    /** How pairs are opened: {@link SocketPair#open(Domain, SocketType, SocketFlag...)}; tests inject failures. */
    @FunctionalInterface
    interface Opener {
        SocketPair open(Domain domain, SocketType type, SocketFlag... flags) throws IOException;
    }

    private final Opener opener;

    Selftest(Opener opener) {
        this.opener = opener;
    }

    /** A self-test over the real backend. */
    static Selftest real() {
        return new Selftest(SocketPair::open);
    }

    /** Runs every row for the given capabilities. */
    List<Row> run(Capabilities caps) {
        List<Row> rows = new ArrayList<>();
        List<Set<SocketFlag>> subsets = subsets(caps.flags());
        for (Domain domain : caps.domains()) {
            if (domain == Domain.TIPC && !tipcLoaded()) {
                rows.add(new Row(domain.name(), "all", "all", Kind.SKIPPED, Status.UNAVAILABLE,
                        TIPC_UNAVAILABLE));
                continue;
            }
            for (SocketType type : caps.types()) {
                for (Set<SocketFlag> flags : subsets) {
                    rows.add(exercise(domain, type, flags, caps.atomicFlags()));
                }
                if (!caps.cloFork()) {
                    rows.add(expectRefusal(domain, type, SocketFlag.CLOFORK));
                }
            }
        }
        return rows;
    }

    /**
     * Every subset of the flags, the empty set first, then by size, each size in declaration order; so
     * {@code NONBLOCK} comes before {@code NONBLOCK|CLOEXEC}.
     */
    static List<Set<SocketFlag>> subsets(Set<SocketFlag> offered) {
        List<SocketFlag> flags = List.copyOf(offered);
        int n = flags.size();
        List<Set<SocketFlag>> subsets = new ArrayList<>(1 << n);
        for (int mask = 0; mask < 1 << n; mask++) {
            Set<SocketFlag> s = EnumSet.noneOf(SocketFlag.class);
            for (int i = 0; i < n; i++) {
                if ((mask & 1 << i) != 0) {
                    s.add(flags.get(i));
                }
            }
            subsets.add(s);
        }
        subsets.sort((a, b) -> a.size() != b.size() ? Integer.compare(a.size(), b.size()) : compare(a, b));
        return subsets;
    }

    private static int compare(Set<SocketFlag> a, Set<SocketFlag> b) {
        var ia = a.iterator();
        var ib = b.iterator();
        while (ia.hasNext() && ib.hasNext()) {
            int c = ia.next().compareTo(ib.next());
            if (c != 0) {
                return c;
            }
        }
        return Boolean.compare(ia.hasNext(), ib.hasNext());
    }

    /** The flags as the table shows them: {@code NONBLOCK|CLOEXEC}, or {@code -} for none. */
    static String label(Set<SocketFlag> flags) {
        return flags.isEmpty() ? "-" : flags.stream().map(Enum::name).collect(Collectors.joining("|"));
    }

    /**
     * Whether AF_TIPC pairs can be made at all: without the tipc module Linux answers every socketpair(AF_TIPC, ...)
     * with EAFNOSUPPORT (net/socket.c finds no family). Any other outcome lets the rows run and show what happens.
     */
    private boolean tipcLoaded() {
        try {
            opener.open(Domain.TIPC, SocketType.STREAM).close();
            return true;
        } catch (SocketPairException e) {
            return e.errno() != Errno.EAFNOSUPPORT;
        } catch (IOException | RuntimeException e) {
            return true;
        }
    }

    private Row expectRefusal(Domain domain, SocketType type, SocketFlag flag) {
        Set<SocketFlag> flags = EnumSet.of(flag);
        try {
            opener.open(domain, type, flag).close();
            return row(domain, type, flags, Kind.REFUSAL, Status.FAIL, flag + " is not offered, yet the pair opened");
        } catch (SocketPairException e) {
            if (e.errno() == Errno.EINVAL) {
                return new Row(domain.name(), type.name(), label(flags), Kind.REFUSAL, Status.PASS,
                        "refused as expected (" + e.errno() + ")", e.getMessage());
            }
            return row(domain, type, flags, Kind.REFUSAL, Status.FAIL, "refused with " + e.errno()
                    + " instead of EINVAL: " + e.getMessage());
        } catch (IOException | RuntimeException e) {
            return row(domain, type, flags, Kind.REFUSAL, Status.FAIL, e.toString());
        }
    }

    private Row exercise(Domain domain, SocketType type, Set<SocketFlag> flags, Set<SocketFlag> atomic) {
        try {
            use(domain, type, flags);
        } catch (Mismatch e) {
            return row(domain, type, flags, Kind.EXERCISED, Status.FAIL, e.getMessage());
        } catch (SocketPairException e) {
            return row(domain, type, flags, Kind.EXERCISED, Status.FAIL, e.getMessage());
        } catch (IOException | RuntimeException e) {
            return row(domain, type, flags, Kind.EXERCISED, Status.FAIL, e.toString());
        }
        Set<SocketFlag> later = EnumSet.noneOf(SocketFlag.class);
        later.addAll(flags);
        later.removeAll(atomic);
        return row(domain, type, flags, Kind.EXERCISED, Status.PASS,
                later.isEmpty() ? "" : "set after creation: " + label(later));
    }

    private static Row row(Domain domain, SocketType type, Set<SocketFlag> flags, Kind kind, Status status,
            String detail) {
        return new Row(domain.name(), type.name(), label(flags), kind, status, detail);
    }

    private void use(Domain domain, SocketType type, Set<SocketFlag> flags) throws IOException, Mismatch {
        Endpoint first;
        Endpoint second;
        try (SocketPair pair = opener.open(domain, type, flags.toArray(new SocketFlag[0]))) {
            first = pair.first();
            second = pair.second();
            if (first.fd() == second.fd()) {
                throw new Mismatch("both ends have descriptor " + first.fd());
            }
            checkEnd("first", first, domain, type, flags);
            checkEnd("second", second, domain, type, flags);
            // heap buffers one way, direct buffers the other: the library copies one and hands the other over
            transfer("first", first, "second", second, type, false, 1);
            transfer("second", second, "first", first, type, true, 2);
        }
        if (first.isOpen() || second.isOpen()) {
            throw new Mismatch("an end is still open after close()");
        }
        try {
            first.read(ByteBuffer.allocate(1));
            throw new Mismatch("read on a closed end did not throw ClosedChannelException");
        } catch (ClosedChannelException expected) {
            // as documented
        }
    }

    private static void checkEnd(String name, Endpoint e, Domain domain, SocketType type, Set<SocketFlag> flags)
            throws IOException, Mismatch {
        if (e.domain() != domain || e.type() != type) {
            throw new Mismatch(name + " end reports " + e.domain() + "/" + e.type());
        }
        boolean nonBlocking = flags.contains(SocketFlag.NONBLOCK);
        if (e.isBlocking() == nonBlocking) {
            throw new Mismatch(name + " end is " + (nonBlocking ? "blocking" : "non-blocking") + " (fd " + e.fd()
                    + ")");
        }
        boolean cloexec = flags.contains(SocketFlag.CLOEXEC);
        if (e.isCloseOnExec() != cloexec) {
            throw new Mismatch(name + " end has close-on-exec " + (cloexec ? "clear" : "set") + " (fd " + e.fd()
                    + ")");
        }
    }

    private static void transfer(String fromName, Endpoint from, String toName, Endpoint to, SocketType type,
            boolean direct, int seed) throws IOException, Mismatch {
        String way = fromName + " -> " + toName;
        if (type == SocketType.STREAM) {
            byte[] data = payload(STREAM_BYTES, seed);
            ByteBuffer src = buffer(data, direct);
            while (src.hasRemaining()) {
                if (from.write(src) == 0 && !from.awaitWritable(PATIENCE)) {
                    throw new Mismatch(way + ": not writable for " + PATIENCE.toSeconds() + " s after "
                            + src.position() + " of " + data.length + " bytes");
                }
            }
            ByteBuffer dst = direct ? ByteBuffer.allocateDirect(data.length) : ByteBuffer.allocate(data.length);
            while (dst.hasRemaining()) {
                if (!to.awaitReadable(PATIENCE)) {
                    throw new Mismatch(way + ": " + dst.position() + " of " + data.length + " bytes arrived within "
                            + PATIENCE.toSeconds() + " s");
                }
                if (to.read(dst) < 0) {
                    throw new Mismatch(way + ": end of stream after " + dst.position() + " of " + data.length
                            + " bytes");
                }
            }
            compare(way, data, dst);
            return;
        }
        // DGRAM and SEQPACKET: two records of different lengths must arrive as two records of those lengths
        List<byte[]> records = new ArrayList<>();
        for (int i = 0; i < RECORD_BYTES.length; i++) {
            records.add(payload(RECORD_BYTES[i], seed * 10 + i));
        }
        for (byte[] record : records) {
            ByteBuffer src = buffer(record, direct);
            int sent;
            while ((sent = from.send(src)) == 0) {
                if (!from.awaitWritable(PATIENCE)) {
                    throw new Mismatch(way + ": not writable for " + PATIENCE.toSeconds() + " s");
                }
            }
            if (sent != record.length) {
                throw new Mismatch(way + ": sent " + sent + " of a " + record.length + "-byte record");
            }
        }
        for (byte[] record : records) {
            if (!to.awaitReadable(PATIENCE)) {
                throw new Mismatch(way + ": no record arrived within " + PATIENCE.toSeconds() + " s");
            }
            // room for more than the record: a lost boundary shows as a longer read
            int room = record.length + 64;
            ByteBuffer dst = direct ? ByteBuffer.allocateDirect(room) : ByteBuffer.allocate(room);
            Received r = to.receive(dst);
            if (r == null) {
                throw new Mismatch(way + ": readable, yet receive() would block");
            }
            if (r.bytes() != record.length || r.truncated()) {
                throw new Mismatch(way + ": received " + r + " for a " + record.length + "-byte record");
            }
            compare(way, record, dst);
        }
    }

    private static ByteBuffer buffer(byte[] data, boolean direct) {
        if (!direct) {
            return ByteBuffer.wrap(data);
        }
        return ByteBuffer.allocateDirect(data.length).put(data).flip();
    }

    private static byte[] payload(int length, int seed) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = (byte) (i * 31 + seed * 7 + (i >> 8));
        }
        return b;
    }

    private static void compare(String way, byte[] expected, ByteBuffer dst) throws Mismatch {
        dst.flip();
        if (dst.remaining() != expected.length) {
            throw new Mismatch(way + ": " + dst.remaining() + " bytes arrived, " + expected.length + " sent");
        }
        for (int i = 0; i < expected.length; i++) {
            if (dst.get(i) != expected[i]) {
                throw new Mismatch(way + ": data differs at byte " + i);
            }
        }
    }

    /** A check that found the pair behaving other than documented. */
    private static final class Mismatch extends Exception {
        private static final long serialVersionUID = 1L;

        Mismatch(String message) {
            super(message);
        }
    }
}
