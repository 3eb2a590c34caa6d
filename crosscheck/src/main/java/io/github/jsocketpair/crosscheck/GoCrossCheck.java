package io.github.jsocketpair.crosscheck;

import io.github.jsocketpair.Errno;
import io.github.jsocketpair.internal.NativeConstants;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Compares one of our tables with {@link GoTables}: every name both define, and every name we leave out ({@code 0}
 * for a flag, {@link NativeConstants#ABSENT} for a constant) that Go defines. A difference is allowed only where the
 * exceptions file lists it, with both values and a reason; an exception that no longer matches a difference is
 * reported too, so the file stays honest.
 */
public final class GoCrossCheck {
    /** One compared name: our value ({@code null} = we leave it out) and Go's. */
    public record Check(String name, Long ours, Optional<Long> go) {
        boolean differs() {
            return go.isPresent() && !Objects.equals(ours, go.get());
        }

        /** The form the exceptions file uses: {@code NAME ours=0x10 go=0x20}. */
        String describe() {
            return name + " ours=" + hex(ours) + " go=" + hex(go.orElse(null));
        }
    }

    /** One line of the exceptions file. */
    public record Exception(String platform, String name, String ours, String go, String reason, int line) {
        /** Whether this line is about {@code goPlatform} ("freebsd/*" is about every FreeBSD architecture). */
        public boolean appliesTo(String goPlatform) {
            return platform.equals(goPlatform) || platform.endsWith("/*")
                    && goPlatform.startsWith(platform.substring(0, platform.length() - 1));
        }

        boolean covers(String goPlatform, Check c) {
            return appliesTo(goPlatform) && name.equals(c.name()) && ours.equals(hex(c.ours()))
                    && go.equals(hex(c.go().orElse(null)));
        }
    }

    private static final Pattern LINE = Pattern.compile(
            "^(\\S+/\\S+)\\s+(\\S+)\\s+ours=(\\S+)\\s+go=(\\S+)\\s*:\\s*(\\S.*)$");

    private GoCrossCheck() {
    }

    public static String hex(Long v) {
        return v == null ? "absent" : v < 0 ? "-0x" + Long.toHexString(-v) : "0x" + Long.toHexString(v);
    }

    /** Reads an exceptions file from the test resources: {@code os/arch NAME ours=V go=V : reason}. */
    public static List<Exception> exceptions(Class<?> anchor, String resource) {
        List<Exception> out = new ArrayList<>();
        try (InputStream in = anchor.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("no " + resource + " next to " + anchor.getName());
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String l;
            int n = 0;
            while ((l = r.readLine()) != null) {
                n++;
                String t = l.strip();
                if (t.isEmpty() || t.startsWith("#")) {
                    continue;
                }
                Matcher m = LINE.matcher(t);
                if (!m.matches()) {
                    throw new IllegalStateException(resource + ":" + n + ": not 'os/arch NAME ours=V go=V : reason': "
                            + l);
                }
                out.add(new Exception(m.group(1), m.group(2), m.group(3), m.group(4), m.group(5), n));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /**
     * The checks for a {@link NativeConstants} table: its C-named fields, its errno table and the msghdr, cmsghdr
     * and iovec layouts.
     */
    public static List<Check> table(Object table, GoTables go) throws IllegalAccessException {
        // Object in the signature: the backends' tests compile as their named modules, and core exports the
        // internal package (NativeConstants) to them, not to this unnamed one, so no signature here may name it.
        NativeConstants c = (NativeConstants) table;
        Map<String, Long> ours = new LinkedHashMap<>();
        for (Field f : NativeConstants.class.getFields()) {
            if (f.getType() != int.class || Modifier.isStatic(f.getModifiers()) || !isCName(f.getName())) {
                continue;
            }
            int v = f.getInt(c);
            ours.put(f.getName(), v == NativeConstants.ABSENT || v == 0 && isFlag(f.getName()) ? null : (long) v);
        }
        c.errnoTable().forEach((name, number) -> ours.put(name.name(), (long) number));
        List<Check> checks = new ArrayList<>();
        ours.forEach((name, v) -> checks.add(new Check(name, v, go.constant(name))));
        // Names Go has that we do not map at all are not ours to check; Errno names we lack are.
        for (Errno e : Errno.values()) {
            if (e != Errno.UNKNOWN && !ours.containsKey(e.name()) && go.constant(e.name()).isPresent()
                    && !sameNumberAsMapped(c, e, go)) {
                checks.add(new Check(e.name(), null, go.constant(e.name())));
            }
        }
        checks.addAll(layout(c, go));
        return checks;
    }

    // ENOTSUP is EOPNOTSUPP's number on FreeBSD, DragonFly and Linux: one number, one name in our table.
    private static boolean sameNumberAsMapped(NativeConstants c, Errno e, GoTables go) {
        long n = go.constant(e.name()).orElseThrow();
        return c.toErrno((int) n) != Errno.UNKNOWN;
    }

    private static List<Check> layout(NativeConstants c, GoTables go) {
        List<Check> checks = new ArrayList<>();
        checks.add(new Check("sizeof(void *)", (long) c.pointerSize, go.constant("SizeofPtr")));
        checks.add(new Check("sizeof(struct msghdr)", (long) c.msghdrSize, go.constant("SizeofMsghdr")));
        checks.add(new Check("sizeof(struct cmsghdr)", (long) c.cmsgHeaderSize(), go.constant("SizeofCmsghdr")));
        checks.add(new Check("sizeof(struct iovec)", (long) c.iovecSize(), go.constant("SizeofIovec")));
        Optional<GoTables.Struct> msg = go.struct("Msghdr");
        checks.add(offset("msghdr.msg_iov", c.msgIovOffset, msg, "Iov"));
        checks.add(offset("msghdr.msg_iovlen", c.msgIovlenOffset, msg, "Iovlen"));
        checks.add(size("msghdr.msg_iovlen", c.msgIovlenSize, msg, "Iovlen"));
        checks.add(offset("msghdr.msg_control", c.msgControlOffset, msg, "Control"));
        checks.add(offset("msghdr.msg_controllen", c.msgControllenOffset, msg, "Controllen"));
        checks.add(size("msghdr.msg_controllen", c.msgControllenSize, msg, "Controllen"));
        checks.add(offset("msghdr.msg_flags", c.msgFlagsOffset, msg, "Flags"));
        checks.add(new Check("sizeof(struct msghdr) from its fields", (long) c.msghdrSize,
                msg.map(s -> (long) s.size())));
        Optional<GoTables.Struct> cmsg = go.struct("Cmsghdr");
        checks.add(size("cmsghdr.cmsg_len", c.cmsgLenSize, cmsg, "Len"));
        checks.add(offset("cmsghdr.cmsg_level", c.cmsgLenSize, cmsg, "Level"));
        checks.add(offset("cmsghdr.cmsg_type", c.cmsgLenSize + 4, cmsg, "Type"));
        Optional<GoTables.Struct> iov = go.struct("Iovec");
        checks.add(offset("iovec.iov_len", c.pointerSize, iov, "Len"));
        checks.add(size("iovec.iov_len", c.pointerSize, iov, "Len"));
        return checks;
    }

    public static Check offset(String name, int ours, Optional<GoTables.Struct> s, String field) {
        return new Check("offsetof(" + name + ")", (long) ours, s.flatMap(x -> x.field(field))
                .map(f -> (long) f.offset()));
    }

    public static Check size(String name, int ours, Optional<GoTables.Struct> s, String field) {
        return new Check("sizeof(" + name + ")", (long) ours, s.flatMap(x -> x.field(field)).map(f -> (long) f.size()));
    }

    /**
     * Checks for a flavour's own {@code public static final int} constants whose C name Go defines too
     * ({@code SOL_LOCAL}, {@code LOCAL_PEERCRED}, {@code SO_PEERCRED}, ...).
     */
    public static List<Check> namedConstants(Class<?> holder, GoTables go) throws IllegalAccessException {
        List<Check> checks = new ArrayList<>();
        for (Field f : holder.getFields()) {
            int m = f.getModifiers();
            if (f.getType() == int.class && Modifier.isStatic(m) && Modifier.isFinal(m) && isCName(f.getName())
                    && go.constant(f.getName()).isPresent()) {
                checks.add(new Check(f.getName(), (long) f.getInt(null), go.constant(f.getName())));
            }
        }
        return checks;
    }

    /** C names are upper case ({@code SOL_SOCKET}, {@code EINTR}); our layout fields ({@code msghdrSize}) are not. */
    private static boolean isCName(String n) {
        return n.matches("[A-Z][A-Z0-9_]+");
    }

    /** Flag bits whose absence the tables write as 0. */
    private static boolean isFlag(String n) {
        return n.startsWith("MSG_") || n.startsWith("SOCK_") && !n.equals("SOCK_STREAM") && !n.equals("SOCK_DGRAM")
                && !n.equals("SOCK_SEQPACKET");
    }

    /**
     * Every difference no exception covers, and every exception for {@code goPlatform} that covers no difference.
     *
     * @return one line per problem; empty when the tables agree but for the listed exceptions
     */
    public static List<String> problems(String goPlatform, List<Check> checks, List<Exception> exceptions,
            List<Exception> used) {
        List<String> problems = new ArrayList<>();
        for (Check c : checks) {
            if (!c.differs()) {
                continue;
            }
            Optional<Exception> e = exceptions.stream().filter(x -> x.covers(goPlatform, c)).findFirst();
            if (e.isPresent()) {
                used.add(e.get());
            } else {
                problems.add(goPlatform + " " + c.describe() + " : (no exception lists this difference)");
            }
        }
        return problems;
    }

    /**
     * The exceptions that matched no difference on the platforms checked ({@code checked}; only platforms whose
     * tables are present can tell, another directory may lack some), each described for the failure message.
     */
    public static List<String> stale(List<Exception> exceptions, List<Exception> used, List<String> checked) {
        List<String> stale = new java.util.ArrayList<>();
        for (Exception e : exceptions) {
            if (!used.contains(e) && checked.stream().anyMatch(e::appliesTo)) {
                stale.add("line " + e.line() + ": " + e.platform() + " " + e.name() + " ours=" + e.ours() + " go="
                        + e.go());
            }
        }
        return stale;
    }
}
