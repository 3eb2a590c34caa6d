package io.github.jsocketpair.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Golden bytes for the structs {@link MessageCodec} writes, per ABI: LP64 Linux ({@code size_t} msg_iovlen and
 * cmsg_len), ILP32 Linux, and the BSDs' LP64 layout with {@code int} msg_iovlen and {@code socklen_t} cmsg_len; each
 * expected dump written out by hand from the C struct definitions (reference §8.1-§8.3), little-endian.
 */
class MessageCodecTest {
    private static final HexFormat HEX = HexFormat.of();

    private static NativeConstants linux64() {
        NativeConstants c = new NativeConstants().naturalLayout(8, 8, 8);
        c.SOL_SOCKET = 1;
        c.SCM_RIGHTS = 1;
        c.iovMax = 1024;
        return c;
    }

    private static NativeConstants linux32() {
        NativeConstants c = new NativeConstants().naturalLayout(4, 4, 4);
        c.SOL_SOCKET = 1;
        c.SCM_RIGHTS = 1;
        return c;
    }

    private static NativeConstants bsd64() {
        NativeConstants c = new NativeConstants().naturalLayout(8, 4, 8);
        c.SOL_SOCKET = 0xffff;
        c.SCM_RIGHTS = 1;
        return c;
    }

    private static ByteBuffer buffer(int size) {
        ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < size; i++) {
            b.put(i, (byte) 0xee); // garbage the encoder must overwrite, padding included
        }
        return b;
    }

    private static String hex(ByteBuffer b, int from, int len) {
        byte[] a = new byte[len];
        b.get(from, a);
        return HEX.formatHex(a);
    }

    @Test
    void msghdrLp64Linux() {
        NativeConstants c = linux64();
        ByteBuffer b = buffer(c.msghdrSize);
        MessageCodec.putMsghdr(c, b, 0, 0x1122334455667788L, 3, 0x0102030405060708L, 24);
        assertEquals(56, c.msghdrSize);
        assertEquals("0000000000000000" + "0000000000000000" + "8877665544332211" + "0300000000000000"
                + "0807060504030201" + "1800000000000000" + "0000000000000000", hex(b, 0, 56));
    }

    @Test
    void msghdrIlp32Linux() {
        NativeConstants c = linux32();
        ByteBuffer b = buffer(c.msghdrSize);
        MessageCodec.putMsghdr(c, b, 0, 0x11223344L, 1, 0, 0);
        assertEquals(28, c.msghdrSize);
        assertEquals("00000000" + "00000000" + "44332211" + "01000000" + "00000000" + "00000000" + "00000000",
                hex(b, 0, 28));
    }

    @Test
    void msghdrLp64Bsd() {
        NativeConstants c = bsd64();
        ByteBuffer b = buffer(c.msghdrSize);
        MessageCodec.putMsghdr(c, b, 0, 0x1122334455667788L, 2, 0x0102030405060708L, 16);
        assertEquals(48, c.msghdrSize);
        assertEquals("0000000000000000" + "0000000000000000" + "8877665544332211" + "0200000000000000"
                + "0807060504030201" + "10000000" + "00000000", hex(b, 0, 48));
    }

    @Test
    void iovecsLp64AndIlp32() {
        NativeConstants c = linux64();
        ByteBuffer b = buffer(32);
        MessageCodec.putIovec(c, b, 0, 1, 0xAABBCCDDL, 7);
        assertEquals("eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee" + "ddccbbaa00000000" + "0700000000000000", hex(b, 0, 32));
        NativeConstants d = linux32();
        ByteBuffer e = buffer(16);
        MessageCodec.putIovec(d, e, 0, 1, 0xAABBCCDDL, 7);
        assertEquals("eeeeeeeeeeeeeeee" + "ddccbbaa" + "07000000", hex(e, 0, 16));
    }

    @Test
    void rightsLp64LinuxThreeDescriptors() {
        NativeConstants c = linux64();
        ByteBuffer b = buffer(64);
        int space = MessageCodec.putRights(c, b, 0, new int[] {7, 8, 9}, 3);
        // cmsghdr { size_t cmsg_len = CMSG_LEN(12) = 28; int level = SOL_SOCKET; int type = SCM_RIGHTS; } + 3 ints,
        // padded to CMSG_SPACE(12) = 32
        assertEquals(32, space);
        assertEquals("1c00000000000000" + "01000000" + "01000000" + "07000000" + "08000000" + "09000000"
                + "00000000", hex(b, 0, 32));
        assertEquals("ee", hex(b, 32, 1), "nothing beyond CMSG_SPACE");
    }

    @Test
    void rightsLp64BsdOneDescriptor() {
        NativeConstants c = bsd64();
        ByteBuffer b = buffer(32);
        int space = MessageCodec.putRights(c, b, 0, new int[] {5}, 1);
        // cmsghdr { socklen_t cmsg_len; int level; int type; } is 12 bytes; CMSG_DATA at ALIGN(12) = 16, so
        // CMSG_LEN(4) = 20 and CMSG_SPACE(4) = 16 + ALIGN(4) = 24
        assertEquals(24, space);
        assertEquals("14000000" + "ffff0000" + "01000000" + "00000000" + "05000000" + "00000000", hex(b, 0, 24));
    }

    @Test
    void controlWalkFindsEveryMessageAndStopsAtAMalformedOne() {
        NativeConstants c = linux64();
        ByteBuffer b = buffer(96);
        int first = MessageCodec.putRights(c, b, 0, new int[] {3}, 1);
        int second = MessageCodec.putRights(c, b, first, new int[] {4, 5}, 2);
        // a malformed header after them: cmsg_len smaller than a header
        b.putLong(first + second, 4);
        List<String> seen = new ArrayList<>();
        MessageCodec.forEachControl(c, b, 0, first + second + 16, (level, type, at, len) -> {
            StringBuilder s = new StringBuilder(level + "/" + type + ":");
            for (int i = 0; i < len; i += 4) {
                s.append(' ').append(b.getInt(at + i));
            }
            seen.add(s.toString());
        });
        assertEquals(List.of("1/1: 3", "1/1: 4 5"), seen);
    }

    @Test
    void mmsghdrIsAMsghdrAndALengthPaddedToAPointer() {
        assertEquals(64, MessageCodec.mmsghdrSize(linux64()));
        assertEquals(32, MessageCodec.mmsghdrSize(linux32()));
        NativeConstants c = linux64();
        ByteBuffer b = buffer(128);
        b.putInt(64 + 56, 42);
        assertEquals(42, MessageCodec.mmsgLength(c, b, 1));
        byte[] word = new byte[8];
        ByteBuffer w = ByteBuffer.wrap(word).order(ByteOrder.LITTLE_ENDIAN);
        MessageCodec.putWord(w, 0, 4, 0xFFFFFFFFL);
        assertEquals(0xFFFFFFFFL, MessageCodec.getWord(w, 0, 4), "lengths read unsigned");
        assertArrayEquals(new byte[] {-1, -1, -1, -1, 0, 0, 0, 0}, word);
    }
}
