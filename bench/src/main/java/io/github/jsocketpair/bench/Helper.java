package io.github.jsocketpair.bench;

import java.io.IOException;

/** The second thread of a two-thread benchmark (echo or drain), pinned for the placement; a daemon. */
final class Helper extends Thread {
    interface Body {
        /** One step; false to stop. */
        boolean step() throws IOException;
    }

    private final String placement;
    private final Body body;
    private volatile boolean stop;

    Helper(String name, String placement, Body body) {
        super(name);
        this.placement = placement;
        this.body = body;
        setDaemon(true);
    }

    @Override
    public void run() {
        Affinity.place(placement, true);
        try {
            while (!stop && body.step()) {
                // keep going
            }
        } catch (IOException | RuntimeException e) {
            // the main thread closed the link under us: done
        }
    }

    /** Stops after the current step, closing the link to end a blocked one; waits a little for the thread. */
    void finish(Link link) throws IOException, InterruptedException {
        stop = true;
        link.close();
        join(1000);
    }
}
