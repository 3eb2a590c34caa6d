package example.consumer;

import io.github.jsocketpair.Domain;
import io.github.jsocketpair.Endpoint;
import io.github.jsocketpair.Received;
import io.github.jsocketpair.SocketFlag;
import io.github.jsocketpair.SocketPair;
import io.github.jsocketpair.SocketPairException;
import io.github.jsocketpair.SocketType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * README's example, unchanged between the markers (.ci/consumer.sh compares it with README's): prints
 * "4 bytes: ping".
 */
public final class Example {
    private Example() {
    }

    /**
     * Runs the example.
     *
     * @param args ignored
     * @throws IOException if the pair fails other than with a native error (README's example lets it propagate)
     */
    public static void main(String[] args) throws IOException {
        // --- README example ---
        try (SocketPair pair = SocketPair.open(Domain.UNIX, SocketType.SEQPACKET, SocketFlag.CLOEXEC)) {
            Endpoint a = pair.first(), b = pair.second();           // sv[0], sv[1]
            a.write(ByteBuffer.wrap("ping".getBytes(StandardCharsets.UTF_8)));
            ByteBuffer buf = ByteBuffer.allocate(64);
            Received r = b.receive(buf);                             // one whole record: 4 bytes, not truncated
            System.out.println(r.bytes() + " bytes: " + StandardCharsets.UTF_8.decode(buf.flip()));
        } catch (SocketPairException e) {
            System.err.println(e.errno() + " in " + e.call() + ": " + e.getMessage());
        }
        // --- end ---
    }
}
