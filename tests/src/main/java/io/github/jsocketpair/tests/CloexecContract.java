package io.github.jsocketpair.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.jsocketpair.Descriptor;
import io.github.jsocketpair.Endpoint;
import io.github.jsocketpair.Received;
import io.github.jsocketpair.SocketFlag;
import io.github.jsocketpair.SocketPair;
import io.github.jsocketpair.SocketType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Security: every descriptor the library creates is close-on-exec unless the caller asked otherwise, shown the only
 * way that counts, by a child program listing what it inherited ({@code ls -l /proc/self/fd}, started with
 * {@code posix_spawnp} and no file actions: see {@link Spawn}). A pair opened without {@code CLOEXEC} is the control:
 * it must show up in the child, which proves the listing can see a leak. Descriptors are matched by number and
 * target ({@code socket:[inode]}), so a received copy is told apart from the socket it is a copy of.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
public abstract class CloexecContract extends ContractBase {

    /** Skips where a child cannot list its descriptors. */
    @BeforeEach
    protected void needProcfs() {
        assumeTrue(Files.isDirectory(Path.of("/proc/self/fd")), "no /proc/self/fd");
    }

    @Test
    void nothingTheLibraryCreatesLeaksIntoAChild() throws IOException {
        NativeNumbers nn = numbers();
        Map<String, Descriptor> mine = new LinkedHashMap<>();
        SocketPair dflt = track(SocketPair.open());
        mine.put("open() first", dflt.first());
        mine.put("open() second", dflt.second());
        for (SocketType t : caps().types()) {
            SocketPair p = open(t, SocketFlag.CLOEXEC, SocketFlag.NONBLOCK);
            mine.put(t + " CLOEXEC|NONBLOCK first", p.first());
            mine.put(t + " CLOEXEC|NONBLOCK second", p.second());
        }
        if (nn.sockCloexec() != 0) {
            SocketPair raw = track(SocketPair.openNative(nn.afUnix(), nn.sockStream() | nn.sockCloexec(), 0));
            mine.put("openNative(SOCK_CLOEXEC)", raw.first());
        }
        mine.put("Descriptor.duplicate", track(Descriptor.duplicate(dflt.first().fd())));

        // The control: the caller asked for no CLOEXEC.
        SocketPair inherited = open(SocketType.STREAM);
        assertFalse(inherited.first().isCloseOnExec());

        // Received descriptors are close-on-exec even when the sender's copy is not (MSG_CMSG_CLOEXEC).
        SocketPair carrier = open(SocketType.SEQPACKET, SocketFlag.CLOEXEC);
        carrier.first().sendDescriptors(utf8("x"), inherited.second(), dflt.second());
        Received r = carrier.second().receive(ByteBuffer.allocate(8));
        assertEquals(2, r.descriptors().size(), r.toString());
        r.descriptors().forEach(this::track);
        mine.put("received copy of a non-CLOEXEC socket", r.descriptors().get(0));
        Endpoint adopted = track(Endpoint.adopt(r.descriptors().get(1)));
        mine.put("adopted received socket", adopted);

        // A flag the caller switched back on counts too.
        SocketPair toggled = open(SocketType.DGRAM);
        toggled.first().setCloseOnExec(true);
        mine.put("setCloseOnExec(true)", toggled.first());

        Map<Integer, String> here = Fds.snapshot();
        Map<Integer, String> child = Spawn.inheritedDescriptors(TestEnv.buildDir());
        String where = "\nthis JVM: " + here + "\nchild: " + child;
        for (Descriptor d : List.of(inherited.first(), inherited.second(), toggled.second())) {
            assertEquals(here.get(d.fd()), child.get(d.fd()), "the control did not reach the child: the listing "
                    + "cannot show a leak" + where);
        }
        for (Map.Entry<String, Descriptor> e : mine.entrySet()) {
            int fd = e.getValue().fd();
            String target = here.get(fd);
            assertTrue(target != null && target.startsWith("socket:"), e.getKey() + ": fd " + fd + " is " + target);
            assertFalse(target.equals(child.get(fd)), e.getKey() + " (fd " + fd + ", " + target
                    + ") leaked into a child" + where);
        }
    }

    @Test
    void clearingCloseOnExecHandsTheSocketToAChildAndSettingItAgainTakesItBack() throws IOException {
        SocketPair p = open(SocketType.STREAM, SocketFlag.CLOEXEC);
        int fd = p.first().fd();
        String target = Fds.snapshot().get(fd);
        p.first().setCloseOnExec(false);
        assertEquals(target, Spawn.inheritedDescriptors(TestEnv.buildDir()).get(fd));
        p.first().setCloseOnExec(true);
        assertFalse(target.equals(Spawn.inheritedDescriptors(TestEnv.buildDir()).get(fd)));
    }
}
