package io.github.jsocketpair.bench;

import io.github.jsocketpair.SocketType;
import java.io.IOException;

/** A benchmark case written {@code contender:TYPE:kind}, e.g. {@code jsocketpair:SEQPACKET:direct}. */
record Case(Contender contender, SocketType type, String kind) {
    static Case parse(String s) {
        String[] p = s.split(":");
        return new Case(Contender.of(p[0]), SocketType.valueOf(p[1]), p.length > 2 ? p[2] : "direct");
    }

    Link open() throws IOException {
        return contender.open(type);
    }

    /** The writing side {@code a}. */
    Io a(Link l, int capacity) {
        return new Io(kind, capacity, l.aw, l.ar, l.aos, l.ais);
    }

    /** The reading side {@code b}. */
    Io b(Link l, int capacity) {
        return new Io(kind, capacity, l.bw, l.br, l.bos, l.bis);
    }
}
