package io.github.jsocketpair.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.abort;

import io.github.jsocketpair.Domain;
import io.github.jsocketpair.Errno;
import io.github.jsocketpair.Received;
import io.github.jsocketpair.SocketPair;
import io.github.jsocketpair.SocketPairException;
import io.github.jsocketpair.SocketType;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

/**
 * The TIPC contract on Linux, plus what only the raw numbers reach: {@code SOCK_RDM} (which the portable API does not
 * name) and the kernel's own refusals, which differ from {@code AF_UNIX}'s for the same arguments.
 */
@EnabledIf("io.github.jsocketpair.tests.LinuxTarget#supported")
class LinuxTipcIT extends TipcContract {
    /** {@code AF_TIPC} in {@code <linux/socket.h>}: the same on every architecture. */
    private static final int AF_TIPC = 30;
    /** {@code SOCK_RAW} and {@code SOCK_RDM}: 3 and 4 on every architecture, mips included (asm/socket.h). */
    private static final int SOCK_RAW = 3;
    private static final int SOCK_RDM = 4;

    @Override
    protected String backendName() {
        return "linux";
    }

    @Override
    protected NativeNumbers numbers() {
        return LinuxTarget.numbers();
    }

    /** openNative on AF_TIPC, or abort when the kernel has no TIPC. */
    private SocketPair openNativeTipc(int type, int protocol) throws IOException {
        try {
            return track(SocketPair.openNative(AF_TIPC, type, protocol));
        } catch (SocketPairException e) {
            if (e.errno() == Errno.EAFNOSUPPORT) {
                abort("AF_TIPC not available: " + e.getMessage());
            }
            throw e;
        }
    }

    private void expectRefusal(int type, int protocol, Errno errno) throws IOException {
        openTipc(SocketType.STREAM); // aborts here without TIPC
        Fds.Mark before = Fds.mark();
        SocketPairException e = assertThrows(SocketPairException.class,
                () -> SocketPair.openNative(AF_TIPC, type, protocol).close());
        assertEquals(errno, e.errno(), e.getMessage());
        assertEquals(numbers().errno(errno), e.nativeErrno());
        assertEquals("socketpair", e.call());
        before.assertUnchanged("a refused TIPC open");
    }

    @Test
    void rdmCarriesRecordsBothWays() throws IOException {
        SocketPair p = openNativeTipc(SOCK_RDM | numbers().sockCloexec(), 0);
        assertEquals(Domain.TIPC, p.first().domain());
        assertNull(p.first().type(), "the portable API has no name for SOCK_RDM");
        assertTrue(p.first().isCloseOnExec());
        byte[] big = bytes(TIPC_MAX_RECORD, 3);
        assertEquals(big.length, p.first().write(ByteBuffer.wrap(big)));
        assertEquals(5, p.first().write(utf8("small")));
        ByteBuffer got = ByteBuffer.allocate(TIPC_MAX_RECORD + 10);
        assertEquals(big.length, p.second().read(got));
        assertArrayEquals(big, array(got));
        ByteBuffer s = ByteBuffer.allocate(10);
        assertEquals(5, p.second().read(s));
        assertEquals("small", text(s));
        p.second().write(utf8("reply"));
        Received r = p.first().receive(ByteBuffer.allocate(2));
        assertEquals(2, r.bytes());
        assertTrue(r.truncated());
        SocketPairException e = assertThrows(SocketPairException.class,
                () -> p.first().write(ByteBuffer.allocate(TIPC_MAX_RECORD + 1)));
        assertEquals(Errno.EMSGSIZE, e.errno());
    }

    @Test
    void nonBlockingBitThroughOpenNative() throws IOException {
        SocketPair p = openNativeTipc(numbers().sockSeqpacket() | numbers().sockNonblock(), 0);
        assertEquals(SocketType.SEQPACKET, p.first().type());
        assertTrue(!p.first().isBlocking());
        assertEquals(0, p.second().read(ByteBuffer.allocate(4)));
    }

    /** AF_UNIX accepts protocol PF_UNIX (1); TIPC takes 0 only (tipc_sk_create). */
    @Test
    void anyProtocolButZeroIsEprotonosupport() throws IOException {
        expectRefusal(numbers().sockSeqpacket(), 1, Errno.EPROTONOSUPPORT);
        expectRefusal(numbers().sockStream(), 6, Errno.EPROTONOSUPPORT);
    }

    /** AF_UNIX turns SOCK_RAW into SOCK_DGRAM and answers ESOCKTNOSUPPORT for unknown types; TIPC says EPROTOTYPE. */
    @Test
    void rawAndUnknownTypesAreEprototype() throws IOException {
        expectRefusal(SOCK_RAW, 0, Errno.EPROTOTYPE);
        expectRefusal(10, 0, Errno.EPROTOTYPE); // SOCK_PACKET
    }
}
