package io.github.jsocketpair.bsd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.jsocketpair.bsd.jna.DragonFlyConstants;
import io.github.jsocketpair.bsd.jna.FreeBsdConstants;
import io.github.jsocketpair.bsd.jna.MacOsConstants;
import io.github.jsocketpair.bsd.jna.NetBsdConstants;
import io.github.jsocketpair.bsd.jna.OpenBsdConstants;
import io.github.jsocketpair.internal.NativeConstants;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every number of every flavour's table equals the reference value typed into {@link Reference}. */
class ConstantsTableTest {

    static Stream<Arguments> tables() {
        return Stream.of(
                table("FreeBSD 14.1 amd64", FreeBsdConstants::create, BsdFlavour.FREEBSD, "14.1-RELEASE",
                        BsdArch.X86_64, Reference.FREEBSD),
                table("FreeBSD 15.0 aarch64", FreeBsdConstants::create, BsdFlavour.FREEBSD, "15.0-RELEASE",
                        BsdArch.AARCH64, Reference.FREEBSD),
                table("NetBSD 10.0 amd64", NetBsdConstants::create, BsdFlavour.NETBSD, "10.0", BsdArch.X86_64,
                        Reference.NETBSD_AMD64),
                table("NetBSD 10.0 aarch64", NetBsdConstants::create, BsdFlavour.NETBSD, "10.0", BsdArch.AARCH64,
                        Reference.NETBSD_AARCH64),
                table("OpenBSD 7.7", OpenBsdConstants::create, BsdFlavour.OPENBSD, "7.7", BsdArch.X86_64,
                        Reference.OPENBSD_77),
                table("OpenBSD 7.8", OpenBsdConstants::create, BsdFlavour.OPENBSD, "7.8", BsdArch.X86_64,
                        Reference.OPENBSD_78),
                table("OpenBSD 8.0 arm64", OpenBsdConstants::create, BsdFlavour.OPENBSD, "8.0", BsdArch.AARCH64,
                        Reference.OPENBSD_78),
                table("DragonFly 6.4", DragonFlyConstants::create, BsdFlavour.DRAGONFLY, "6.4-RELEASE",
                        BsdArch.X86_64, Reference.DRAGONFLY_64),
                table("DragonFly 5.8", DragonFlyConstants::create, BsdFlavour.DRAGONFLY, "5.8-RELEASE",
                        BsdArch.X86_64, Reference.DRAGONFLY_64),
                table("DragonFly 5.7", DragonFlyConstants::create, BsdFlavour.DRAGONFLY, "5.7-DEVELOPMENT",
                        BsdArch.X86_64, Reference.DRAGONFLY_57),
                table("DragonFly 5.6", DragonFlyConstants::create, BsdFlavour.DRAGONFLY, "5.6-RELEASE",
                        BsdArch.X86_64, Reference.DRAGONFLY_56),
                table("DragonFly 4.4", DragonFlyConstants::create, BsdFlavour.DRAGONFLY, "4.4-RELEASE",
                        BsdArch.X86_64, Reference.DRAGONFLY_56),
                table("DragonFly 4.2", DragonFlyConstants::create, BsdFlavour.DRAGONFLY, "4.2-RELEASE",
                        BsdArch.X86_64, Reference.DRAGONFLY_42),
                table("macOS 14.5 arm64", MacOsConstants::create, BsdFlavour.MACOS, "14.5", BsdArch.AARCH64,
                        Reference.MACOS_14),
                table("macOS 10.15.7 x86-64", MacOsConstants::create, BsdFlavour.MACOS, "10.15.7", BsdArch.X86_64,
                        Reference.MACOS_10));
    }

    private static Arguments table(String name, Function<BsdPlatform, NativeConstants> create, BsdFlavour f,
            String version, BsdArch arch, Map<String, Integer> expected) {
        return Arguments.of(name, create.apply(BsdPlatform.of(f, version, arch)), expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tables")
    void everyConstantEqualsTheReference(String name, NativeConstants c, Map<String, Integer> expected)
            throws IllegalAccessException {
        List<String> wrong = new ArrayList<>();
        TreeSet<String> seen = new TreeSet<>();
        for (Field f : NativeConstants.class.getFields()) {
            if (f.getType() != int.class || Modifier.isStatic(f.getModifiers())) {
                continue;
            }
            seen.add(f.getName());
            Integer want = expected.get(f.getName());
            int got = f.getInt(c);
            if (want == null) {
                wrong.add(f.getName() + " has no reference value (is 0x" + Integer.toHexString(got) + ")");
            } else if (want != got) {
                wrong.add(f.getName() + ": 0x" + Integer.toHexString(got) + ", reference 0x"
                        + Integer.toHexString(want));
            }
        }
        TreeSet<String> extra = new TreeSet<>(expected.keySet());
        extra.removeAll(seen);
        assertTrue(extra.isEmpty(), "reference names no field: " + extra);
        assertTrue(wrong.isEmpty(), name + ": " + wrong);
        c.freeze(); // complete: no field left unset, the required errnos present
    }

    /** CMSG sizes from the reference's §8.2 rows, per alignment. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("tables")
    void cmsgSizesMatchTheReference(String name, NativeConstants c, Map<String, Integer> expected) {
        int align = expected.get("cmsgAlign");
        // sizeof(struct cmsghdr) 12; CMSG_DATA offset, CMSG_LEN(4), CMSG_SPACE(4), CMSG_SPACE(8) per §8.2
        int[] want = switch (align) {
            case 4 -> new int[] {12, 16, 16, 20}; // macOS; DragonFly before 5.7
            case 8 -> new int[] {16, 20, 24, 24}; // FreeBSD, OpenBSD, NetBSD amd64
            case 16 -> new int[] {16, 20, 32, 32}; // NetBSD aarch64
            default -> throw new AssertionError(align);
        };
        assertEquals(12, c.cmsgHeaderSize(), name);
        assertEquals(want[0], c.cmsgAlign(c.cmsgHeaderSize()), name + " CMSG_DATA offset");
        assertEquals(want[1], c.cmsgLen(4), name + " CMSG_LEN(4)");
        assertEquals(want[2], c.cmsgSpace(4), name + " CMSG_SPACE(4)");
        assertEquals(want[3], c.cmsgSpace(8), name + " CMSG_SPACE(8)");
        assertEquals(16, c.iovecSize(), name + " struct iovec (§8.3)");
    }

    @Test
    void peerCredentialNumbersEqualTheReference() {
        // §5.2 and §8.4
        assertEquals(0, FreeBsdConstants.SOL_LOCAL);
        assertEquals(1, FreeBsdConstants.LOCAL_PEERCRED);
        assertEquals(88, FreeBsdConstants.XUCRED_SIZE);
        assertEquals(4, FreeBsdConstants.XUCRED_UID);
        assertEquals(8, FreeBsdConstants.XUCRED_NGROUPS);
        assertEquals(12, FreeBsdConstants.XUCRED_GROUPS);
        assertEquals(80, FreeBsdConstants.XUCRED_PID);
        assertEquals(0, NetBsdConstants.SOL_LOCAL);
        assertEquals(3, NetBsdConstants.LOCAL_PEEREID);
        assertEquals(12, NetBsdConstants.UNPCBID_SIZE);
        assertEquals(0, NetBsdConstants.UNPCBID_PID);
        assertEquals(4, NetBsdConstants.UNPCBID_EUID);
        assertEquals(8, NetBsdConstants.UNPCBID_EGID);
        assertEquals(0x1022, OpenBsdConstants.SO_PEERCRED);
        assertEquals(12, OpenBsdConstants.SOCKPEERCRED_SIZE);
        assertEquals(0, OpenBsdConstants.SOCKPEERCRED_UID);
        assertEquals(4, OpenBsdConstants.SOCKPEERCRED_GID);
        assertEquals(8, OpenBsdConstants.SOCKPEERCRED_PID);
        assertEquals(0, DragonFlyConstants.SOL_LOCAL);
        assertEquals(1, DragonFlyConstants.LOCAL_PEERCRED);
        assertEquals(88, DragonFlyConstants.XUCRED_SIZE);
        assertEquals(0, MacOsConstants.SOL_LOCAL);
        assertEquals(1, MacOsConstants.LOCAL_PEERCRED);
        assertEquals(2, MacOsConstants.LOCAL_PEERPID);
        assertEquals(76, MacOsConstants.XUCRED_SIZE);
        assertEquals(12, MacOsConstants.XUCRED_GROUPS);
    }

    @Test
    void versionGatesEqualTheReleasesFound() {
        assertEquals(15, FreeBsdConstants.CLOFORK_SINCE_MAJOR); // ucored: "SOCK_CLOFORK wasn't introduced until 15.0"
        assertEquals(11, NetBsdConstants.CLOFORK_SINCE_MAJOR);
        assertEquals(7, OpenBsdConstants.CLOFORK_SINCE_MAJOR); // param.h 1.145: OpenBSD7_8
        assertEquals(8, OpenBsdConstants.CLOFORK_SINCE_MINOR);
        assertEquals(6, DragonFlyConstants.CLOFORK_SINCE_MAJOR);
        assertEquals(5, DragonFlyConstants.CLOFORK_SINCE_MINOR);
        assertEquals(11, MacOsConstants.MSG_NOSIGNAL_SINCE_MAJOR); // XN-7195
        assertEquals(4, DragonFlyConstants.ATOMIC_SINCE_MAJOR); // §12.1: 36e1dffed7, first released in v4.4.0
        assertEquals(4, DragonFlyConstants.ATOMIC_SINCE_MINOR);
        assertEquals(5, DragonFlyConstants.CMSG8_SINCE_MAJOR); // §12.1: 8 from 5.8.0
        assertEquals(8, DragonFlyConstants.CMSG8_SINCE_MINOR);
    }

    /** §12.1: the close-on-fork numbers; FreeBSD's and NetBSD's are used only after the run-time proof. */
    @Test
    void closeOnForkNumbersEqualTheReference() {
        assertEquals(0x40000000, FreeBsdConstants.SOCK_CLOFORK); // proposed for 15.0
        assertEquals(0x00400000, FreeBsdConstants.MSG_CMSG_CLOFORK);
        assertEquals(2, FreeBsdConstants.FD_CLOFORK);
        assertEquals(0x80000000, NetBsdConstants.SOCK_CLOFORK); // inferred: the free bit of SOCK_FLAGS_MASK
        assertEquals(2, NetBsdConstants.FD_CLOFORK);
        assertEquals(4, OpenBsdConstants.FD_CLOFORK); // header-verified, 7.8+
        assertEquals(0x2000, OpenBsdConstants.MSG_CMSG_CLOFORK);
    }
}
