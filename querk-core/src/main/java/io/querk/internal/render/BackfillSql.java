package io.querk.internal.render;

import io.querk.internal.step.Assignment;
import io.querk.internal.step.Backfill;
import io.querk.sql.Identifier;
import io.querk.sql.QualifiedName;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Every statement a backfill runs, rendered in one place: the batch that updates one key range
 * and moves its cursor in the same statement, the probe that compiles the update before the
 * first batch, the query that finds split points for workers, and the statement the planner
 * shows. Pure; the engine binds the parameters.
 *
 * <p>One batch is a single statement in autocommit, so the rows and the cursor commit together
 * and every row is updated exactly once whatever happens between batches:
 * <pre>
 * WITH cur     AS (the range's history row, if its cursor is still the one this run saw, FOR UPDATE),
 *      batch   AS (the next N keys after the cursor, within the range),
 *      last    AS (the greatest of them),
 *      updated AS (UPDATE the rows in (cursor, last] RETURNING 1)
 * UPDATE range row SET cursor = last, counts += ... RETURNING cursor, scanned, updated
 * </pre>
 * The update ranges over the key interval rather than joining the batch, so the planner always
 * walks the key's index and a row another transaction changed meanwhile is re-checked on its new
 * version; the CTEs share one snapshot, so the interval holds exactly the batch's rows.
 */
public final class BackfillSql {

    /**
     * The key a backfill walks its table by.
     *
     * @param columns the key columns, in index order
     * @param types   their types as {@code format_type} writes them: the cursor, kept as text, is cast back with these
     */
    public record Key(List<Identifier> columns, List<String> types) {
        public Key {
            columns = List.copyOf(columns);
            types = List.copyOf(types);
            if (columns.isEmpty() || columns.size() != types.size()) {
                throw new IllegalArgumentException("A key needs one type per column: " + columns + " " + types);
            }
        }

        String list() {
            return columns.stream().map(Identifier::sql).collect(Collectors.joining(", "));
        }

        /** @return the key as a row, {@code (a, b)}; a single column stays bare so its index is used as is */
        String row() {
            return columns.size() == 1 ? columns.get(0).sql() : "(" + list() + ")";
        }

        /** @return the key as text[], the form cursors are kept in */
        String asTextArray() {
            return "ARRAY[" + columns.stream().map(c -> c.sql() + "::text").collect(Collectors.joining(", ")) + "]";
        }

        /** @return a text[] key held in {@code cur.column}, cast back to the key's types, as a row */
        String fromCursor(String column) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < columns.size(); i++) {
                sb.append(i > 0 ? ", " : "").append("(SELECT ").append(column).append('[').append(i + 1)
                        .append("] FROM cur)::").append(types.get(i));
            }
            return columns.size() == 1 ? sb.toString() : "(" + sb + ")";
        }

        /** @return the batch's last key, from the {@code last} CTE, as a row */
        String last() {
            String cols = columns.stream().map(c -> "(SELECT " + c.sql() + " FROM last)").collect(Collectors.joining(", "));
            return columns.size() == 1 ? cols : "(" + cols + ")";
        }
    }

    private BackfillSql() {
    }

    /** @return the SET list: {@code a = expr, b = expr} */
    public static String setList(Backfill b) {
        return b.assignments().stream().map(Assignment::sql).collect(Collectors.joining(", "));
    }

    /** @return the update as the planner shows it, one batch's key range left symbolic */
    public static String planned(Backfill b) {
        return "UPDATE " + b.target().sql() + " SET " + setList(b) + " WHERE <key range of one batch>"
                + (b.where() == null ? "" : " AND (" + b.where() + ")");
    }

    /**
     * @return {@code EXPLAIN UPDATE ...} of the whole backfill: it parses, resolves and plans the
     *         expressions against the live table without touching a row
     */
    public static String probe(Backfill b) {
        return "EXPLAIN UPDATE " + b.target().sql() + " SET " + setList(b) + (b.where() == null ? "" : " WHERE (" + b.where() + ")");
    }

    /** @return the key at a row offset, as text[]: {@code ?} is the offset; used to split a table among workers */
    public static String keyAtOffset(QualifiedName table, Key key) {
        return "SELECT " + key.asTextArray() + " FROM " + table.sql() + " ORDER BY " + key.list() + " OFFSET ? LIMIT 1";
    }

    /**
     * True while the session with the given pid holds the runner's advisory lock; its parameters
     * are the pid and the lock key's high and low 32 bits. The batch statement carries it, so a
     * runner whose lock session ended (another runner may have taken over) commits no further
     * batch; the runner checks it before every change it commits for the same reason.
     */
    public static final String RUNNER_LOCK_HELD = "EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory'"
            + " AND granted AND pid = ? AND classid::bigint = ? AND objid::bigint = ? AND objsubid = 1)";

    /**
     * The statement of one batch in one key range. Parameters, in order: the range row's key
     * (migration id, phase, step number, range number), the cursor this run expects (text[], null
     * before the first batch), the runner lock's holder ({@link #RUNNER_LOCK_HELD}: pid, key high,
     * key low), the batch size, and the range row's key again. It returns one row (the new cursor,
     * rows walked, rows updated) or none when the range is walked, its cursor is not the expected
     * one, or the runner lock is no longer held.
     *
     * @param b        the backfill
     * @param key      the key it walks by
     * @param ranges   the history's range table
     * @param hasFrom  the range has a lower bound or a cursor: keys start after it
     * @param hasUpper the range ends at its upper bound rather than at the table's last key
     */
    public static String batch(Backfill b, Key key, QualifiedName ranges, boolean hasFrom, boolean hasUpper) {
        String t = b.target().sql();
        String lower = hasFrom ? key.row() + " > " + key.fromCursor("from_key") + " AND " : "";
        String upper = hasUpper ? key.row() + " <= " + key.fromCursor("upper_key") + " AND " : "";
        String where = b.where() == null ? "" : " AND (" + b.where() + ")";
        String r = ranges.sql();
        String rangeRow = "migration_id = ? AND phase = ? AND step_no = ? AND range_no = ?";
        return "WITH cur AS (\n"
                + "    SELECT coalesce(cursor, lower_key) AS from_key, upper_key FROM " + r + " WHERE " + rangeRow
                + " AND cursor IS NOT DISTINCT FROM CAST(? AS text[]) AND " + RUNNER_LOCK_HELD + " FOR UPDATE\n"
                + "), batch AS (\n"
                + "    SELECT " + key.list() + " FROM " + t + " WHERE " + lower + upper + "EXISTS (SELECT 1 FROM cur)"
                + " ORDER BY " + key.list() + " LIMIT ?\n"
                + "), last AS (\n"
                // Ordered, not max(): many orderable key types (uuid among them) have no max aggregate.
                + "    SELECT " + key.list() + " FROM batch ORDER BY "
                + key.columns().stream().map(c -> c.sql() + " DESC").collect(Collectors.joining(", ")) + " LIMIT 1\n"
                + "), updated AS (\n"
                + "    UPDATE " + t + " SET " + setList(b) + " WHERE " + lower + key.row() + " <= " + key.last() + where
                + " RETURNING 1\n"
                + ")\n"
                + "UPDATE " + r + " AS h SET cursor = (SELECT " + key.asTextArray() + " FROM last),"
                + " rows_updated = h.rows_updated + (SELECT count(*) FROM updated),"
                + " rows_scanned = h.rows_scanned + (SELECT count(*) FROM batch)\n"
                + "WHERE h." + rangeRow.replace(" AND ", " AND h.") + " AND EXISTS (SELECT 1 FROM last)\n"
                + "RETURNING h.cursor, (SELECT count(*) FROM batch), (SELECT count(*) FROM updated)";
    }
}
