package io.querk.jdbc.internal.backfill;

import io.querk.sql.Identifier;

import java.util.List;

/**
 * The key a backfill walks the table by: the primary key, or else the smallest unique, NOT NULL,
 * non-partial key.
 *
 * @param columns the key columns, in index order
 * @param types   their types, as {@code format_type} writes them (the cursor is cast back with these)
 * @param primary true if it is the primary key
 */
record TableKey(List<Identifier> columns, List<String> types, boolean primary) {

    String list() {
        return String.join(", ", columns.stream().map(Identifier::sql).toList());
    }

    String listDescending() {
        return String.join(", ", columns.stream().map(c -> c.sql() + " DESC").toList());
    }

    /**
     * @return the query for the batch's greatest key; no row when the batch is empty. Ordered, not
     *         max(): many orderable types (uuid among them) have no max aggregate.
     */
    String lastOfBatch() {
        return "SELECT " + list() + " FROM batch ORDER BY " + listDescending() + " LIMIT 1";
    }

    /** @return a row constructor of the key, as text, for the cursor */
    String asTextArray() {
        return "ARRAY[" + String.join(", ", columns.stream().map(c -> c.sql() + "::text").toList()) + "]";
    }

    /** @return the key as a row, e.g. {@code (a, b)}; a single column stays bare */
    String row() {
        return columns.size() == 1 ? columns.get(0).sql() : "(" + list() + ")";
    }

    /**
     * @param column a text[] column of the {@code cur} CTE holding a key value
     * @return that key, cast back to the key's types, as a row
     */
    String rowFromCur(String column) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < columns.size(); i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append("(SELECT ").append(column).append('[').append(i + 1).append("] FROM cur)::").append(types.get(i));
        }
        return columns.size() == 1 ? sb.toString() : "(" + sb + ")";
    }

    /** @return the last key of the batch, from the {@code last} CTE, as a row */
    String lastRow() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < columns.size(); i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append("(SELECT ").append(columns.get(i).sql()).append(" FROM last)");
        }
        return columns.size() == 1 ? sb.toString() : "(" + sb + ")";
    }
}
