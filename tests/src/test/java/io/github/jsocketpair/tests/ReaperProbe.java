package io.github.jsocketpair.tests;

import io.github.jsocketpair.ChildProcess;
import java.util.ArrayList;
import java.util.List;

/**
 * The child-JVM side of the reaper tests, run with {@code -Djsocketpair.reaper=waitid} to exercise the
 * {@code waitid(P_ALL, WNOWAIT)} reaper on a kernel that also has pidfds: starts {@link ChildProcess} children
 * ({@code exit 3}) and {@link ProcessBuilder} children ({@code exit 7}) interleaved, all exiting at about the same
 * time, and checks that each side got its own children's status: the JDK's reaper reports a stolen child as exit
 * status 0 (it gets {@code ECHILD}), ours as "someone else reaped it". Prints {@code OK n} or {@code FAIL ...}.
 */
public final class ReaperProbe {
    private ReaperProbe() {
    }

    /**
     * Runs the probe.
     *
     * @param args the number of children of each kind
     * @throws Exception if something unexpected fails
     */
    public static void main(String[] args) throws Exception {
        int n = Integer.parseInt(args[0]);
        List<ChildProcess> ours = new ArrayList<>();
        List<Process> jdk = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ours.add(ChildProcess.builder("sh", "-c", "exit 3").start());
            jdk.add(new ProcessBuilder("sh", "-c", "exit 7").start());
        }
        for (int i = 0; i < n; i++) {
            int a = ours.get(i).waitFor();
            int b = jdk.get(i).waitFor();
            if (a != 3 || b != 7) {
                System.out.println("FAIL child " + i + ": ChildProcess " + a + " (expected 3), ProcessBuilder " + b
                        + " (expected 7)");
                System.exit(1);
            }
        }
        long reapers = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("jsocketpair-reaper")).count();
        System.out.println(reapers == 1 ? "OK " + n : "FAIL " + reapers + " reaper threads");
    }
}
