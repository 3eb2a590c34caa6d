package io.github.jsocketpair.tests.cookbook;

import io.github.jsocketpair.ChildProcess;
import io.github.jsocketpair.SocketPair;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Cookbook: a conversation with a child process over one socket (its stdin and stdout), line by line. */
final class TalkToAChild {
    private TalkToAChild() {
    }

    /** Sends each line to a shell loop that answers it in capitals, reading each answer before the next line. */
    static List<String> converse(List<String> lines) throws IOException, InterruptedException {
        // cookbook:child begin
        List<String> answers = new ArrayList<>();
        try (SocketPair pair = SocketPair.open()) {
            ChildProcess child = ChildProcess.builder("sh", "-c",
                            "while IFS= read -r line; do printf '%s\\n' \"$line\" | tr a-z A-Z; done")
                    .stdin(pair.second()).stdout(pair.second())  // one socket, both directions
                    .start();
            pair.second().close();                               // the child has its own copy
            OutputStream out = pair.first().outputStream();
            BufferedReader in = new BufferedReader(new InputStreamReader(pair.first().inputStream(),
                    StandardCharsets.UTF_8));
            for (String line : lines) {
                out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
                answers.add(in.readLine());                      // the child's answer to this line
            }
            pair.first().shutdownOutput();                       // the loop sees end of input and ends
            String more = in.readLine();                         // null: end of stream, the child is done
            int status = child.waitFor();
            if (more != null || status != 0) {
                throw new IOException("the child said " + more + " and exited with " + status);
            }
        }
        // cookbook:child end
        return answers;
    }
}
