package io.querk.jdbc.internal.backfill;

import io.querk.internal.render.BackfillSql;
import io.querk.sql.QualifiedName;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Splits a table into contiguous key ranges, one per worker, of about equal row counts. The
 * split points are read off the key's index at row offsets derived from the estimate, so a
 * split costs index-only scans and no count of the table. The arithmetic ({@link #offsets}) and
 * the de-duplication of split points ({@link #distinct}) are pure.
 */
final class RangePlanner {

    /** Below this many rows per worker a table is walked by one: splitting it would cost more than it saves. */
    static final long MIN_ROWS_PER_WORKER = 1_000;

    private RangePlanner() {
    }

    /**
     * @param estimate the rows to walk, from statistics; -1 when unknown
     * @param workers  the workers asked for
     * @return the row offsets of the split points, ascending; none for one range
     */
    static List<Long> offsets(long estimate, int workers) {
        List<Long> out = new ArrayList<>();
        if (workers <= 1 || estimate < (long) workers * MIN_ROWS_PER_WORKER) {
            return out;
        }
        for (int i = 1; i < workers; i++) {
            out.add(estimate * i / workers);
        }
        return out;
    }

    /**
     * @param points split keys in ascending order, as read; a table smaller than its estimate
     *               repeats its last key or ends early
     * @return the points with repeats removed, so no range is empty by construction
     */
    static List<List<String>> distinct(List<List<String>> points) {
        List<List<String>> out = new ArrayList<>();
        for (List<String> p : points) {
            if (out.isEmpty() || !out.get(out.size() - 1).equals(p)) {
                out.add(p);
            }
        }
        return out;
    }

    /** @return the split keys of {@code workers} ranges over {@code table}; none for a single range */
    static List<List<String>> splitPoints(Connection c, QualifiedName table, BackfillSql.Key key, int workers,
                                          long estimate) throws SQLException {
        List<Long> offsets = offsets(estimate, workers);
        List<List<String>> points = new ArrayList<>();
        if (offsets.isEmpty()) {
            return points;
        }
        try (PreparedStatement ps = c.prepareStatement(BackfillSql.keyAtOffset(table, key))) {
            for (long offset : offsets) {
                ps.setLong(1, offset);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        break;
                    }
                    points.add(Arrays.asList((String[]) rs.getArray(1).getArray()));
                }
            }
        }
        return distinct(points);
    }
}
