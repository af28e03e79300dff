package io.querk.review.internal.index;

import io.querk.review.internal.catalog.TableInfo;

import java.time.Duration;

/**
 * Rough sizes and build times of an index, where HypoPG cannot say: b-tree leaf tuples of the
 * keys' average widths plus their headers at the default 90% fill, and a build that reads the
 * table twice ({@code CONCURRENTLY}) and sorts its entries.
 */
public final class IndexSize {

    /** Bytes a b-tree entry adds beyond its key: tuple header, line pointer, alignment. */
    static final int ENTRY_OVERHEAD = 16;
    /** Table bytes read per second by an index build, and entries sorted per second: rough, for one core. */
    static final double SCAN_BYTES_PER_SECOND = 400e6;
    static final double SORTED_ENTRIES_PER_SECOND = 2.5e6;

    private IndexSize() {
    }

    /**
     * @param c          the index
     * @param t          its table
     * @param rowShare   the share of rows it holds (1, or a partial index's predicate's selectivity)
     * @return its size in bytes
     */
    public static long bytes(Candidate c, TableInfo t, double rowShare) {
        double rows = t.rows() * rowShare;
        double width = 0;
        for (Candidate.Key k : c.keys()) {
            width += k.column() == null ? 8 : avgWidth(t, k.column());
        }
        for (String col : c.include()) {
            width += avgWidth(t, col);
        }
        if (c.method().equals("gin")) {
            // A trigram per character, each with its posting entry: several times the text.
            return (long) Math.max(8192, rows * width * 3);
        }
        double perPage = Math.max(1, Math.floor(8192 * 0.9 / (width + ENTRY_OVERHEAD)));
        return (long) (Math.ceil(rows / perPage) * 8192 + 8192);
    }

    /**
     * @param t        the table
     * @param rowShare the share of rows the index holds
     * @param gin      whether it is a GIN index (slower to build per row)
     * @return a rough build time for {@code CREATE INDEX CONCURRENTLY}
     */
    public static Duration buildTime(TableInfo t, double rowShare, boolean gin) {
        double scan = 2 * t.heapBytes() / SCAN_BYTES_PER_SECOND;
        double entries = t.rows() * rowShare;
        double sort = entries / SORTED_ENTRIES_PER_SECOND * (gin ? 8 : 1);
        return Duration.ofMillis((long) ((scan + sort) * 1000));
    }

    private static double avgWidth(TableInfo t, String column) {
        return t.column(column).map(ci -> ci.stats() == null ? 8.0 : Math.max(1, ci.stats().avgWidth())).orElse(8.0);
    }
}
