package io.github.jsocketpair.cli;

import java.util.Collection;
import java.util.Map;

/**
 * Just enough JSON for {@code info --json}, with no library at run time: objects ({@link Map}, written in the map's
 * iteration order), arrays ({@link Collection}), strings, booleans, integral numbers and {@code null}. Objects are
 * indented by two spaces; arrays of scalars stay on one line.
 */
final class Json {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private Json() {
    }

    /**
     * Writes a value as pretty-printed JSON, without a final line break.
     *
     * @throws IllegalArgumentException for a value JSON cannot carry (a non-string key, a floating-point number, any
     *         other type)
     */
    static String write(Object value) {
        StringBuilder sb = new StringBuilder();
        write(sb, value, 0);
        return sb.toString();
    }

    private static void write(StringBuilder sb, Object value, int indent) {
        if (value == null) {
            sb.append("null");
        } else if (value instanceof CharSequence s) {
            quote(sb, s);
        } else if (value instanceof Enum<?> e) {
            quote(sb, e.name());
        } else if (value instanceof Boolean b) {
            sb.append(b.booleanValue());
        } else if (value instanceof Integer || value instanceof Long || value instanceof Short
                || value instanceof Byte) {
            sb.append(((Number) value).longValue());
        } else if (value instanceof Map<?, ?> map) {
            writeObject(sb, map, indent);
        } else if (value instanceof Collection<?> list) {
            writeArray(sb, list, indent);
        } else {
            throw new IllegalArgumentException("no JSON form for " + value.getClass().getName());
        }
    }

    private static void writeObject(StringBuilder sb, Map<?, ?> map, int indent) {
        if (map.isEmpty()) {
            sb.append("{}");
            return;
        }
        sb.append('{');
        String sep = "\n";
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (!(e.getKey() instanceof String key)) {
                throw new IllegalArgumentException("JSON object keys are strings, not " + e.getKey());
            }
            sb.append(sep);
            sep = ",\n";
            pad(sb, indent + 1);
            quote(sb, key);
            sb.append(": ");
            write(sb, e.getValue(), indent + 1);
        }
        sb.append('\n');
        pad(sb, indent);
        sb.append('}');
    }

    private static void writeArray(StringBuilder sb, Collection<?> list, int indent) {
        boolean scalars = list.stream().noneMatch(v -> v instanceof Map || v instanceof Collection);
        sb.append('[');
        String sep = "";
        for (Object v : list) {
            sb.append(sep);
            if (scalars) {
                sep = ", ";
            } else {
                sep = ",";
                sb.append('\n');
                pad(sb, indent + 1);
            }
            write(sb, v, indent + 1);
        }
        if (!scalars && !list.isEmpty()) {
            sb.append('\n');
            pad(sb, indent);
        }
        sb.append(']');
    }

    private static void pad(StringBuilder sb, int indent) {
        sb.append("  ".repeat(indent));
    }

    /** Returns the string as a JSON string literal, quotes included. */
    static String quote(CharSequence s) {
        StringBuilder sb = new StringBuilder(s.length() + 2);
        quote(sb, s);
        return sb.toString();
    }

    /**
     * Escapes per RFC 8259 section 7: the quote, the backslash and every control character below U+0020 must be
     * escaped. Beyond that, U+007F, U+2028/U+2029 (line terminators to JavaScript) and unpaired surrogates (which
     * are not characters and would make the output invalid UTF-8) are written as {@code \}{@code uXXXX} too.
     */
    private static void quote(StringBuilder sb, CharSequence s) {
        sb.append('"');
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f || c == '\u2028' || c == '\u2029') {
                        unicodeEscape(sb, c);
                    } else if (Character.isHighSurrogate(c)) {
                        if (i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                            sb.append(c).append(s.charAt(++i));
                        } else {
                            unicodeEscape(sb, c);
                        }
                    } else if (Character.isLowSurrogate(c)) {
                        unicodeEscape(sb, c);
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }

    private static void unicodeEscape(StringBuilder sb, char c) {
        sb.append("\\u").append(HEX[c >> 12 & 0xf]).append(HEX[c >> 8 & 0xf]).append(HEX[c >> 4 & 0xf])
                .append(HEX[c & 0xf]);
    }
}
