package io.github.jsocketpair.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class TableTest {

    @Test
    void columnsAlignOnTheWidestCellAndMarksTakeOneColumn() {
        Table t = Table.withHeader("", "domain", "type", "detail")
                .row("✓", "UNIX", "SEQPACKET", "")
                .row("✗", "TIPC", "DGRAM", "socketpair failed");
        assertEquals(List.of(
                "   domain  type       detail",
                "✓  UNIX    SEQPACKET",
                "✗  TIPC    DGRAM      socketpair failed"), t.lines());
    }

    @Test
    void everyColumnStartsAtTheSameOffsetInEveryLine() {
        Table t = Table.withColumns(3).row("a", "bb", "c").row("dddd", "e", "ffffff").row("✓✗", "", "g");
        List<String> lines = t.lines();
        int third = lines.get(0).indexOf('c');
        assertEquals(third, lines.get(1).indexOf('f'));
        assertEquals(third, lines.get(2).indexOf('g'));
        assertEquals("dddd".length() + 2, lines.get(0).indexOf("bb"));
    }

    @Test
    void noLineEndsInBlanks() {
        Table t = Table.withColumns(3).row("key", "", "").row("a much longer key", "v", "");
        for (String line : t.lines()) {
            assertEquals(line.strip(), line.stripLeading(), () -> "trailing blanks in [" + line + "]");
        }
        assertEquals(List.of("key", "a much longer key  v"), t.lines());
    }

    @Test
    void renderEndsEachLineWithANewline() {
        assertEquals("k   v\nkk  w\n",
                Table.withColumns(2).row("k", "v").row("kk", "w").render());
    }

    @Test
    void lineBreaksInACellDoNotTearTheRow() {
        List<String> lines = Table.withColumns(2).row("x", "two\nlines\r\nhere").lines();
        assertEquals(List.of("x  two lines here"), lines);
    }

    @Test
    void widthCountsCodePointsNotChars() {
        assertEquals(1, Table.width("✓"));
        assertEquals(1, Table.width("\uD83D\uDE00")); // one code point, two chars
        assertEquals(0, Table.width(""));
    }

    @Test
    void rowsMustFitTheColumns() {
        Table t = Table.withColumns(2);
        assertThrows(IllegalArgumentException.class, () -> t.row("only one"));
        assertThrows(IllegalArgumentException.class, () -> t.row("a", "b", "c"));
        assertThrows(NullPointerException.class, () -> t.row("a", null));
        assertThrows(IllegalArgumentException.class, () -> Table.withColumns(0));
    }
}
