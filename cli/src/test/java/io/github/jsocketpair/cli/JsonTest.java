package io.github.jsocketpair.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {

    @Test
    void quoteAndBackslashAreEscaped() {
        assertEquals("\"say \\\"hi\\\" to C:\\\\tmp\"", Json.quote("say \"hi\" to C:\\tmp"));
    }

    @Test
    void shortEscapesForTheCommonControlCharacters() {
        assertEquals("\"\\b\\f\\n\\r\\t\"", Json.quote("\b\f\n\r\t"));
    }

    @Test
    void everyOtherControlCharacterIsAUnicodeEscape() {
        assertEquals("\"\\u0000\\u0001\\u001f\\u007f\"", Json.quote("\u0000\u0001\u001f\u007f"));
        for (char c = 0; c < 0x20; c++) {
            String q = Json.quote(String.valueOf(c));
            for (int i = 1; i < q.length() - 1; i++) {
                assertEquals(true, q.charAt(i) >= 0x20, () -> "raw control character in " + q);
            }
        }
    }

    @Test
    void javascriptLineTerminatorsAreEscaped() {
        assertEquals("\"a\\u2028b\\u2029c\"", Json.quote("a\u2028b\u2029c"));
    }

    @Test
    void nonAsciiTextAndSurrogatePairsStayAsTheyAre() {
        assertEquals("\"✓ grüße \uD83D\uDE00\"", Json.quote("✓ grüße \uD83D\uDE00"));
        assertEquals("\"/ stays\"", Json.quote("/ stays"));
    }

    @Test
    void unpairedSurrogatesAreEscapedSoTheOutputStaysValidUtf8() {
        assertEquals("\"\\ud83d\"", Json.quote("\uD83D"));
        assertEquals("\"x\\ude00y\"", Json.quote("x\uDE00y"));
        assertEquals("\"\\ude00\\ud83d\"", Json.quote("\uDE00\uD83D")); // reversed pair: both unpaired
    }

    @Test
    void objectsAreIndentedAndScalarArraysStayOnOneLine() {
        Map<String, Object> inner = new LinkedHashMap<>();
        inner.put("flags", List.of("NONBLOCK", "CLOEXEC"));
        inner.put("none", List.of());
        inner.put("max", 253);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("backend", "linux");
        m.put("missing", null);
        m.put("ok", true);
        m.put("big", 1L << 40);
        m.put("caps", inner);
        m.put("empty", Map.of());
        m.put("kind", Selftest.Status.PASS);
        assertEquals("""
                {
                  "backend": "linux",
                  "missing": null,
                  "ok": true,
                  "big": 1099511627776,
                  "caps": {
                    "flags": ["NONBLOCK", "CLOEXEC"],
                    "none": [],
                    "max": 253
                  },
                  "empty": {},
                  "kind": "PASS"
                }""", Json.write(m));
    }

    @Test
    void arraysOfObjectsGoOneElementPerLine() {
        assertEquals("[\n  {\n    \"a\": 1\n  },\n  [1, 2]\n]", Json.write(List.of(Map.of("a", 1), List.of(1, 2))));
    }

    @Test
    void keysAreEscapedToo() {
        assertEquals("{\n  \"a\\\"b\": \"c\\nd\"\n}", Json.write(Map.of("a\"b", "c\nd")));
    }

    @Test
    void valuesJsonCannotCarryAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> Json.write(1.5));
        assertThrows(IllegalArgumentException.class, () -> Json.write(Map.of(1, "x")));
        assertThrows(IllegalArgumentException.class, () -> Json.write(new Object()));
    }
}
