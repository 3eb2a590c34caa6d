package io.github.jsocketpair.tests.cookbook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.jsocketpair.Endpoint;
import io.github.jsocketpair.Errno;
import io.github.jsocketpair.SocketPair;
import io.github.jsocketpair.SocketPairException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * README's cookbook, run: each recipe's code lives in this package between {@code // cookbook:NAME begin} and
 * {@code end} markers, these tests run it, and {@link #readmeShowsTheTestedCode()} checks that README shows exactly
 * that code under {@code <!-- cookbook:NAME -->}.
 */
class CookbookIT {

    @Test
    @Timeout(60)
    void talkToAChild() throws Exception {
        assertEquals(List.of("HELLO", "SOCKET PAIR", "3 IS A NUMBER"),
                TalkToAChild.converse(List.of("hello", "socket pair", "3 is a number")));
    }

    @Test
    @Timeout(240) // a JVM starting under emulation (the xarch runs) takes a while
    void handADescriptorToAWorkerProcess() throws Exception {
        String java = System.getProperty("jsocketpair.test.java",
                Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> answers = HandToAWorker.ask(java, System.getProperty("java.class.path"),
                List.of("first job", "second job", "third"));
        assertEquals(3, answers.size(), answers::toString);
        String worker = answers.get(0).substring(0, answers.get(0).indexOf(':'));
        assertNotEquals("worker " + ProcessHandle.current().pid(), worker, "served by this process");
        assertEquals(List.of(worker + ": FIRST JOB", worker + ": SECOND JOB", worker + ": THIRD"), answers,
                "one worker process served every connection handed to it");
    }

    @Test
    @Timeout(120)
    void virtualThreadServerWhereEachClientIsAPair() throws Exception {
        assumeTrue(Runtime.version().feature() >= 21, "virtual threads need JDK 21+ (CI runs this on JDK 25)");
        int clients = 500;
        try (PairServer server = new PairServer()) {
            ExecutorService callers = PairServer.newVirtualThreadPerTaskExecutor();
            List<Future<String>> replies = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                String name = "client " + i;
                replies.add(callers.submit(() -> {
                    try (Endpoint end = server.connect()) {
                        end.setReadTimeout(Duration.ofSeconds(60));
                        end.outputStream().write((name + "\n").getBytes(StandardCharsets.UTF_8));
                        BufferedReader in = new BufferedReader(new InputStreamReader(end.inputStream(),
                                StandardCharsets.UTF_8));
                        String reply = in.readLine();
                        end.shutdownOutput();
                        return reply + (in.readLine() == null ? "" : " and more");
                    }
                }));
            }
            for (int i = 0; i < clients; i++) {
                assertEquals("CLIENT " + i, replies.get(i).get());
            }
            callers.shutdown();
            assertEquals(clients, server.servers.size(), "one server thread per client");
            assertTrue(server.servers.stream().allMatch(PairServer::isVirtual), "every server thread is virtual");
        }
    }

    @Test
    @Timeout(60)
    void testNetworkCodeAgainstAPair() throws Exception {
        // cookbook:testing begin
        try (SocketPair pair = SocketPair.open()) {
            Endpoint client = pair.first();
            client.setReadTimeout(Duration.ofSeconds(10));     // a stuck service fails the test instead of hanging it
            AtomicReference<Throwable> failed = new AtomicReference<>();
            Thread service = new Thread(() -> {
                try (Endpoint server = pair.second()) {         // a server closes the connection when done
                    LineCounter.serve(server);                  // the code under test gets a ByteChannel, as in production
                } catch (IOException | RuntimeException e) {
                    failed.set(e);
                }
            });
            service.start();
            client.write(ByteBuffer.wrap("one\ntwo\n".getBytes(StandardCharsets.US_ASCII)));
            client.shutdownOutput();                            // the service sees end of stream
            assertEquals("2 lines, 8 bytes\n",
                    new String(client.inputStream().readAllBytes(), StandardCharsets.US_ASCII));
            service.join();
            assertEquals(null, failed.get());
        }
        // cookbook:testing end
    }

    @Test
    @Timeout(60)
    void testTheFailurePathAgainstAPair() throws Exception {
        // cookbook:testing-failure begin
        try (SocketPair pair = SocketPair.open()) {
            pair.first().write(ByteBuffer.wrap("half a requ".getBytes(StandardCharsets.US_ASCII)));
            pair.first().close();                               // the client goes away without reading the answer
            SocketPairException e = assertThrows(SocketPairException.class, () -> LineCounter.serve(pair.second()));
            assertEquals(Errno.EPIPE, e.errno());               // a clear error, no SIGPIPE, no hang
        }
        // cookbook:testing-failure end
    }

    @Test
    @Timeout(60)
    void migrationFromUnixDomainSocketAddressKeepsTheBehaviour() throws Exception {
        Migration.Exchange exchange = (a, b) -> {
            a.write(ByteBuffer.wrap("same bytes".getBytes(StandardCharsets.UTF_8)));
            ByteBuffer got = ByteBuffer.allocate(64);
            while (got.position() < 10) {
                assertTrue(b.read(got) > 0);
            }
            return StandardCharsets.UTF_8.decode(got.flip()).toString();
        };
        assertEquals("same bytes", Migration.withUnixDomainSocketAddress(exchange));
        assertEquals("same bytes", Migration.withSocketPair(exchange));
    }

    // ---- README shows this code ---------------------------------------------------------------------------------

    /** Recipe name -> the source file that holds its marked code. */
    private static final Map<String, String> RECIPES = Map.of(
            "child", "TalkToAChild.java",
            "worker", "HandToAWorker.java",
            "worker-main", "Worker.java",
            "server", "PairServer.java",
            "testing", "CookbookIT.java",
            "testing-failure", "CookbookIT.java",
            "before", "Migration.java",
            "after", "Migration.java");

    @Test
    void readmeShowsTheTestedCode() throws IOException {
        Path readme = Path.of("..", "README.md");
        assumeTrue(Files.isRegularFile(readme), "no README.md next to the tests module");
        String text = Files.readString(readme);
        Path sources = Path.of("src", "test", "java", "io", "github", "jsocketpair", "tests", "cookbook");
        for (Map.Entry<String, String> recipe : RECIPES.entrySet()) {
            String name = recipe.getKey();
            String code = region(Files.readString(sources.resolve(recipe.getValue())), name);
            int at = text.indexOf("<!-- cookbook:" + name + " -->");
            assertTrue(at >= 0, "README has no <!-- cookbook:" + name + " --> block");
            int open = text.indexOf("```java\n", at);
            int close = text.indexOf("\n```", open + 8);
            assertTrue(open >= 0 && close > open, "no ```java block after <!-- cookbook:" + name + " -->");
            assertEquals(normalise(code), normalise(text.substring(open + 8, close)),
                    "README's recipe " + name + " is not the tested code in " + recipe.getValue());
        }
    }

    @Test
    void regionsAreFoundAndCompared() {
        String source = "a\n    // cookbook:x begin\n    int y = 1;\n\n    // cookbook:x end\n";
        assertEquals("int y = 1;", normalise(region(source, "x")));
        assertFalse(normalise("int y = 2;").equals(normalise(region(source, "x"))));
        assertThrows(AssertionError.class, () -> region(source, "missing"));
    }

    /** The lines between a recipe's markers. */
    private static String region(String source, String name) {
        String begin = "// cookbook:" + name + " begin\n";
        int from = source.indexOf(begin);
        int to = source.indexOf("// cookbook:" + name + " end");
        if (from < 0 || to < from) {
            throw new AssertionError("no cookbook:" + name + " markers");
        }
        return source.substring(from + begin.length(), to);
    }

    /** Lines without their indentation (README's blocks start at column 0), empty lines dropped. */
    private static String normalise(String code) {
        return code.lines().map(String::strip).filter(l -> !l.isEmpty()).collect(Collectors.joining("\n"));
    }
}
