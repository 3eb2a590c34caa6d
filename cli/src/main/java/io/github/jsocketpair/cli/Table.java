package io.github.jsocketpair.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A plain-text table: columns left-aligned to their widest cell, two spaces apart, the last column unpadded so no
 * line ends in blanks. Widths count code points, so {@code ✓} and {@code ✗} take one column as on a terminal.
 */
final class Table {
    private static final String GAP = "  ";

    private final int columns;
    private final List<String[]> rows = new ArrayList<>();

    private Table(int columns) {
        if (columns < 1) {
            throw new IllegalArgumentException("a table needs a column");
        }
        this.columns = columns;
    }

    /** A table whose first line is the given header. */
    static Table withHeader(String... titles) {
        Table t = new Table(titles.length);
        t.row(titles);
        return t;
    }

    /** A table of the given number of columns without a header line. */
    static Table withColumns(int columns) {
        return new Table(columns);
    }

    /**
     * Adds a row.
     *
     * @throws IllegalArgumentException if the number of cells differs from the number of columns
     * @throws NullPointerException if a cell is null
     */
    Table row(String... cells) {
        if (cells.length != columns) {
            throw new IllegalArgumentException("row of " + cells.length + " cells in a table of " + columns
                    + " columns");
        }
        String[] copy = new String[columns];
        for (int i = 0; i < columns; i++) {
            String cell = Objects.requireNonNull(cells[i], "cell");
            if (cell.indexOf('\n') >= 0 || cell.indexOf('\r') >= 0) {
                // a line break would tear the row apart; error messages from the kernel side never need one
                cell = cell.replace("\r\n", " ").replace('\n', ' ').replace('\r', ' ');
            }
            copy[i] = cell;
        }
        rows.add(copy);
        return this;
    }

    /** The table's lines, without line terminators. */
    List<String> lines() {
        int[] width = new int[columns];
        for (String[] row : rows) {
            for (int i = 0; i < columns; i++) {
                width[i] = Math.max(width[i], width(row[i]));
            }
        }
        // a trailing column that is empty in every row would only add a gap
        int last = columns - 1;
        while (last > 0 && width[last] == 0) {
            last--;
        }
        List<String> lines = new ArrayList<>(rows.size());
        StringBuilder sb = new StringBuilder();
        for (String[] row : rows) {
            sb.setLength(0);
            for (int i = 0; i <= last; i++) {
                if (i > 0) {
                    sb.append(GAP);
                }
                sb.append(row[i]);
                if (i < last) {
                    sb.append(" ".repeat(width[i] - width(row[i])));
                }
            }
            // cells after the first may be empty: drop the blanks they would leave at the end of the line
            int end = sb.length();
            while (end > 0 && sb.charAt(end - 1) == ' ') {
                end--;
            }
            lines.add(sb.substring(0, end));
        }
        return lines;
    }

    /** The table as one string, each line ending in {@code \n}. */
    String render() {
        StringBuilder sb = new StringBuilder();
        for (String line : lines()) {
            sb.append(line).append('\n');
        }
        return sb.toString();
    }

    /** The width a cell takes on a terminal, in columns. */
    static int width(String s) {
        return s.codePointCount(0, s.length());
    }
}
