package io.github.jsocketpair.tests;

import io.github.jsocketpair.Domain;
import io.github.jsocketpair.Errno;
import io.github.jsocketpair.SocketPair;
import io.github.jsocketpair.SocketPairException;
import io.github.jsocketpair.SocketType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;

/**
 * The child side of the {@code SIGPIPE} check: with argument {@code library} it writes to closed peers through every
 * write path of the library and expects {@code EPIPE} each time; with {@code control} it writes to a closed JDK pipe,
 * which does raise {@code SIGPIPE} (the JVM ignores it), so the tracer is shown to see the signal at all. Prints
 * {@code OK} and exits 0, or prints {@code FAIL ...} and exits 1.
 */
public final class SigpipeProbe {
    private SigpipeProbe() {
    }

    /**
     * Runs the probe.
     *
     * @param args {@code library} or {@code control}
     * @throws Exception if something unexpected fails
     */
    public static void main(String[] args) throws Exception {
        if (args[0].equals("control")) {
            Pipe pipe = Pipe.open();
            pipe.source().close();
            try {
                pipe.sink().write(ByteBuffer.wrap(new byte[] {1}));
                System.out.println("FAIL a write to a closed pipe succeeded");
                System.exit(1);
            } catch (IOException e) {
                System.out.println("OK control: " + e.getMessage());
            }
            return;
        }
        int epipes = 0;
        for (SocketType type : new SocketType[] {SocketType.STREAM, SocketType.SEQPACKET}) {
            try (SocketPair p = SocketPair.open(Domain.UNIX, type)) {
                p.second().close();
                Call[] calls = {
                    () -> p.first().write(ByteBuffer.wrap(new byte[] {1})),
                    () -> p.first().write(ByteBuffer.allocateDirect(1)),
                    () -> p.first().send(ByteBuffer.wrap(new byte[] {1})),
                    () -> p.first().write(new ByteBuffer[] {ByteBuffer.wrap(new byte[] {1})}),
                    () -> p.first().outputStream().write(1),
                };
                for (Call c : calls) {
                    try {
                        c.run();
                    } catch (SocketPairException e) {
                        if (e.errno() == Errno.EPIPE) {
                            epipes++;
                        }
                    }
                }
            }
        }
        System.out.println(epipes == 10 ? "OK library" : "FAIL only " + epipes + " of 10 writes gave EPIPE");
        System.exit(epipes == 10 ? 0 : 1);
    }

    private interface Call {
        void run() throws IOException;
    }
}
