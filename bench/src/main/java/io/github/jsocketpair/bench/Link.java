package io.github.jsocketpair.bench;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.util.List;

/**
 * Two connected ends, as channels and as streams. {@code a} writes to {@code b}; for a two-way contender {@code b}
 * writes back. A one-way contender ({@code Pipe}) has no {@code bw}/{@code ar}.
 */
public final class Link implements Closeable {
    final WritableByteChannel aw;
    final ReadableByteChannel ar;
    final WritableByteChannel bw;
    final ReadableByteChannel br;
    final OutputStream aos;
    final InputStream ais;
    final OutputStream bos;
    final InputStream bis;
    private final List<? extends Closeable> closers;

    Link(WritableByteChannel aw, ReadableByteChannel ar, WritableByteChannel bw, ReadableByteChannel br,
            OutputStream aos, InputStream ais, OutputStream bos, InputStream bis, List<? extends Closeable> closers) {
        this.aw = aw;
        this.ar = ar;
        this.bw = bw;
        this.br = br;
        this.aos = aos;
        this.ais = ais;
        this.bos = bos;
        this.bis = bis;
        this.closers = closers;
    }

    /** Closes the writing end first (so a reader sees end of stream), then everything else. */
    @Override
    public void close() throws IOException {
        IOException first = null;
        for (Closeable c : closers) {
            try {
                c.close();
            } catch (IOException e) {
                if (first == null) {
                    first = e;
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
