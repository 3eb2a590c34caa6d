package io.github.jsocketpair.tests.cookbook;

import io.github.jsocketpair.Descriptor;
import io.github.jsocketpair.Endpoint;
import io.github.jsocketpair.Received;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** Cookbook: the worker process of {@link HandToAWorker}: serves every connection that arrives on fd 3. */
public final class Worker {
    private Worker() {
    }

    /**
     * Receives connections on the control socket (fd 3) until it ends, answering each with what it asked, in capitals.
     *
     * @param args ignored
     * @throws IOException if a socket fails
     */
    public static void main(String[] args) throws IOException {
        // cookbook:worker-main begin
        try (Endpoint control = Endpoint.adopt(Descriptor.borrow(3))) {      // fd 3 from the parent
            ByteBuffer one = ByteBuffer.allocate(1);
            for (;;) {
                Received r = control.receive(one.clear());
                if (r.bytes() < 0) {
                    return;                                                  // the parent has no more jobs
                }
                try (Endpoint client = Endpoint.adopt(r.descriptors().get(0))) {
                    String request = new String(client.inputStream().readAllBytes(), StandardCharsets.UTF_8);
                    client.write(ByteBuffer.wrap(("worker " + ProcessHandle.current().pid() + ": "
                            + request.toUpperCase(java.util.Locale.ROOT)).getBytes(StandardCharsets.UTF_8)));
                }
            }
        }
        // cookbook:worker-main end
    }
}
