package io.github.jsocketpair.tests.cookbook;

import io.github.jsocketpair.ChildProcess;
import io.github.jsocketpair.Domain;
import io.github.jsocketpair.SocketPair;
import io.github.jsocketpair.SocketType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Cookbook: a worker process that is handed one connection per job as a descriptor over a control socket, as a
 * server hands accepted connections to its workers. The worker is {@link Worker}, a separate JVM.
 */
final class HandToAWorker {
    private HandToAWorker() {
    }

    /** Starts a worker JVM, hands it one fresh pair end per request, and returns its answers. */
    static List<String> ask(String java, String classPath, List<String> requests)
            throws IOException, InterruptedException {
        List<String> answers = new ArrayList<>();
        // cookbook:worker begin
        try (SocketPair control = SocketPair.open(Domain.UNIX, SocketType.SEQPACKET)) {
            ChildProcess worker = ChildProcess.builder(java, "-XX:+IgnoreUnrecognizedVMOptions",
                            "--enable-native-access=ALL-UNNAMED", "-cp", classPath, Worker.class.getName())
                    .inherit(3, control.second())                // the worker's control socket is its fd 3
                    .start();
            control.second().close();
            for (String request : requests) {
                try (SocketPair job = SocketPair.open()) {
                    // the descriptor travels with one data byte; the worker owns its copy from now on
                    control.first().sendDescriptors(ByteBuffer.wrap(new byte[] {'j'}), job.second());
                    job.second().close();
                    job.first().write(ByteBuffer.wrap(request.getBytes(StandardCharsets.UTF_8)));
                    job.first().shutdownOutput();
                    answers.add(new String(job.first().inputStream().readAllBytes(), StandardCharsets.UTF_8));
                }
            }
            control.first().shutdownOutput();                    // no more jobs: the worker exits
            if (!worker.waitFor(Duration.ofSeconds(60)) || worker.exitValue() != 0) {
                throw new IOException("the worker failed");
            }
        }
        // cookbook:worker end
        return answers;
    }
}
