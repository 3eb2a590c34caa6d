package io.github.jsocketpair.crosscheck;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The second source: the constants and struct layouts of Go's {@code golang.org/x/sys/unix}, which
 * {@code mkerrors.sh} and {@code cgo -godefs} generate by compiling against each OS's real headers
 * ({@code zerrors_<os>_<arch>.go}, {@code ztypes_<os>_<arch>.go}, and on Linux the shared {@code zerrors_linux.go},
 * {@code ztypes_linux.go}). Debian ships them in {@code golang-golang-x-sys-dev}; nothing here is Go code run, only
 * its generated tables read.
 */
public final class GoTables {
    /** Where Debian's package puts the files; {@code -Djsocketpair.gotables=DIR} points elsewhere. */
    public static final Path DEBIAN = Path.of("/usr/share/gocode/src/golang.org/x/sys/unix");

    // "\tNAME = 0x1f", "\tEAGAIN = syscall.Errno(0x23)", "\tSIGPIPE = syscall.Signal(0xd)"
    private static final Pattern CONSTANT = Pattern.compile(
            "^\\s+([A-Za-z_][A-Za-z0-9_]*)\\s*=\\s*(?:syscall\\.(?:Errno|Signal)\\()?(-?(?:0x[0-9a-fA-F]+|\\d+))\\)?"
                    + "\\s*(?://.*)?$");
    private static final Pattern STRUCT = Pattern.compile("^type (\\w+) struct \\{\\s*$");
    private static final Pattern FIELD = Pattern.compile("^\\s+(\\w+)\\s+(\\S+)\\s*(?://.*)?$");
    private static final Pattern ARRAY = Pattern.compile("^\\[(\\d+)\\](.+)$");

    /** One field of a Go struct as cgo laid it out. */
    public record Field(String name, int offset, int size) {
    }

    /** A struct: its fields in order and its size. */
    public record Struct(String name, List<Field> fields, int size) {
        /** The field called {@code name}, if there is one. */
        Optional<Field> field(String fieldName) {
            return fields.stream().filter(f -> f.name().equals(fieldName)).findFirst();
        }
    }

    private final String label;
    private final Map<String, Long> constants;
    private final Map<String, List<String[]>> rawStructs;
    private final int pointerSize;

    private GoTables(String label, Map<String, Long> constants, Map<String, List<String[]>> rawStructs) {
        this.label = label;
        this.constants = constants;
        this.rawStructs = rawStructs;
        Long p = constants.get("SizeofPtr");
        this.pointerSize = p == null ? 8 : p.intValue();
    }

    /** The directory of the tables, or empty if the package is not installed. */
    public static Optional<Path> directory() {
        String d = System.getProperty("jsocketpair.gotables");
        Path p = d == null || d.isBlank() ? DEBIAN : Path.of(d);
        return Files.isDirectory(p) && hasZerrors(p) ? Optional.of(p) : Optional.empty();
    }

    private static boolean hasZerrors(Path p) {
        try (var s = Files.list(p)) {
            return s.anyMatch(f -> f.getFileName().toString().startsWith("zerrors_"));
        } catch (IOException e) {
            return false;
        }
    }

    /** Whether {@code dir} holds the tables of {@code goos}/{@code goarch}. */
    public static boolean has(Path dir, String goos, String goarch) {
        return Files.isRegularFile(dir.resolve("zerrors_" + goos + "_" + goarch + ".go"))
                && Files.isRegularFile(dir.resolve("ztypes_" + goos + "_" + goarch + ".go"));
    }

    /**
     * Reads the tables of one OS and architecture, with the OS-wide files where Go has them (Linux).
     *
     * @throws UncheckedIOException if a file cannot be read
     */
    public static GoTables read(Path dir, String goos, String goarch) {
        Map<String, Long> constants = new LinkedHashMap<>();
        Map<String, List<String[]>> structs = new LinkedHashMap<>();
        for (String f : List.of("zerrors_" + goos + ".go", "zerrors_" + goos + "_" + goarch + ".go",
                "ztypes_" + goos + ".go", "ztypes_" + goos + "_" + goarch + ".go")) {
            Path file = dir.resolve(f);
            if (Files.isRegularFile(file)) {
                parse(file, constants, structs);
            }
        }
        return new GoTables(goos + "/" + goarch, constants, structs);
    }

    private static void parse(Path file, Map<String, Long> constants, Map<String, List<String[]>> structs) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String[]> current = null;
        for (String line : lines) {
            if (current != null) {
                if (line.startsWith("}")) {
                    current = null;
                    continue;
                }
                Matcher f = FIELD.matcher(line);
                if (f.matches()) {
                    current.add(new String[] {f.group(1), f.group(2)});
                }
                continue;
            }
            Matcher s = STRUCT.matcher(line);
            if (s.matches()) {
                current = new ArrayList<>();
                structs.putIfAbsent(s.group(1), current);
                continue;
            }
            Matcher c = CONSTANT.matcher(line);
            if (c.matches()) {
                String v = c.group(2);
                boolean negative = v.startsWith("-");
                String digits = negative ? v.substring(1) : v;
                BigInteger n = digits.startsWith("0x") ? new BigInteger(digits.substring(2), 16)
                        : new BigInteger(digits);
                if (n.bitLength() < 63) { // all-ones masks (RLIM_INFINITY and the like) are none of ours
                    constants.putIfAbsent(c.group(1), negative ? -n.longValue() : n.longValue());
                }
            }
        }
    }

    /** "freebsd/amd64". */
    public String label() {
        return label;
    }

    /** The value Go gives {@code name}, if it defines it. */
    public Optional<Long> constant(String name) {
        return Optional.ofNullable(constants.get(name));
    }

    /** The layout of struct {@code name}, computed from its fields with the C rules cgo follows. */
    public Optional<Struct> struct(String name) {
        List<String[]> raw = rawStructs.get(name);
        if (raw == null) {
            return Optional.empty();
        }
        List<Field> fields = new ArrayList<>();
        int offset = 0;
        int align = 1;
        for (String[] f : raw) {
            int[] sa = sizeAndAlign(f[1]);
            offset = roundUp(offset, sa[1]);
            fields.add(new Field(f[0], offset, sa[0]));
            offset += sa[0];
            align = Math.max(align, sa[1]);
        }
        return Optional.of(new Struct(name, fields, roundUp(offset, align)));
    }

    private int[] sizeAndAlign(String type) {
        if (type.startsWith("*") || type.equals("uintptr")) {
            return new int[] {pointerSize, pointerSize};
        }
        Matcher a = ARRAY.matcher(type);
        if (a.matches()) {
            int[] e = sizeAndAlign(a.group(2));
            return new int[] {Integer.parseInt(a.group(1)) * e[0], e[1]};
        }
        int basic = switch (type) {
            case "byte", "int8", "uint8" -> 1;
            case "int16", "uint16" -> 2;
            case "int32", "uint32", "float32" -> 4;
            case "int64", "uint64", "float64" -> 8;
            case "int", "uint" -> pointerSize;
            default -> 0;
        };
        if (basic > 0) {
            // Go on 32-bit x86 and arm aligns 8-byte integers to 4, as their C ABIs do
            return new int[] {basic, Math.min(basic, Math.max(pointerSize, 4))};
        }
        Struct nested = struct(type).orElseThrow(() -> new IllegalStateException(label + ": unknown Go type " + type));
        int al = 1;
        for (Field f : nested.fields()) {
            al = Math.max(al, Math.min(f.size(), pointerSize));
        }
        return new int[] {nested.size(), al};
    }

    private static int roundUp(int n, int unit) {
        return (n + unit - 1) / unit * unit;
    }
}
