package io.querk.review.internal.catalog;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the catalog and the statistics views say about one table the query reads.
 *
 * @param schema        its schema
 * @param name          its name
 * @param reltuples     the planner's row estimate ({@code pg_class.reltuples}); negative if never analyzed
 * @param relpages      heap pages
 * @param allVisible    pages the visibility map marks all-visible (index-only scans skip the heap for them)
 * @param heapBytes     the heap's size on disk
 * @param columns       columns by name
 * @param indexes       its indexes, valid or not
 * @param foreignKeys   foreign keys from this table
 * @param writes        write counters, or null where the statistics views had none
 */
public record TableInfo(String schema, String name, double reltuples, long relpages, long allVisible, long heapBytes,
                        Map<String, ColumnInfo> columns, List<ExistingIndex> indexes, List<ForeignKey> foreignKeys,
                        WriteStats writes) {

    /** Copies the collections. */
    public TableInfo {
        columns = Map.copyOf(columns);
        indexes = List.copyOf(indexes);
        foreignKeys = List.copyOf(foreignKeys);
    }

    /** @return true if ANALYZE (or autovacuum) has ever run on it */
    public boolean analyzed() {
        return reltuples >= 0;
    }

    /** @return the row estimate, at least 1 */
    public double rows() {
        return Math.max(1, reltuples);
    }

    /** @return the column, if the table has it */
    public Optional<ColumnInfo> column(String name) {
        return Optional.ofNullable(columns.get(name));
    }

    /** @return e.g. "shipments" in public, "audit.log" elsewhere: how SQL should name it */
    public String sqlName() {
        String n = io.querk.sql.Identifier.of(name).sql();
        return schema == null || schema.equals("public") ? n : io.querk.sql.Identifier.of(schema).sql() + "." + n;
    }

    /**
     * One column.
     *
     * @param name      its name
     * @param type      its type as {@code format_type} writes it
     * @param notNull   NOT NULL
     * @param collation its collation's name, or null for a non-collatable type
     * @param stats     its {@code pg_stats} row, or null if it has none
     */
    public record ColumnInfo(String name, String type, boolean notNull, String collation, ColumnStats stats) {
    }

    /**
     * One column's {@code pg_stats} row.
     *
     * @param nullFrac    fraction of NULLs
     * @param nDistinct   distinct values; negative means minus that fraction of the rows
     * @param avgWidth    average width in bytes
     * @param correlation physical order against logical order, -1 to 1
     * @param mcv         most common values, as text
     * @param mcf         their frequencies
     * @param histogram   histogram bounds, as text, of the values outside {@code mcv}
     */
    public record ColumnStats(double nullFrac, double nDistinct, int avgWidth, double correlation, List<String> mcv,
                              List<Double> mcf, List<String> histogram) {
        /** Copies the lists. */
        public ColumnStats {
            mcv = List.copyOf(mcv);
            mcf = List.copyOf(mcf);
            histogram = List.copyOf(histogram);
        }

        /**
         * @param rows the table's rows
         * @return the number of distinct values, at least 1
         */
        public double distinct(double rows) {
            return Math.max(1, nDistinct >= 0 ? nDistinct : -nDistinct * rows);
        }
    }

    /**
     * An index the table already has.
     *
     * @param name       its name
     * @param method     btree, gin, hash ...
     * @param keys       its key columns or expressions
     * @param include    INCLUDE columns
     * @param predicate  the partial index's predicate, or null
     * @param unique     UNIQUE
     * @param valid      usable by queries ({@code indisvalid})
     * @param sizeBytes  its size
     * @param definition {@code pg_get_indexdef}
     */
    public record ExistingIndex(String name, String method, List<Key> keys, List<String> include, String predicate,
                                boolean unique, boolean valid, long sizeBytes, String definition) {
        /** Copies the lists. */
        public ExistingIndex {
            keys = List.copyOf(keys);
            include = List.copyOf(include);
        }

        /** @return the first key's column name (unquoted) when it is a plain column, else null */
        public String leadingColumn() {
            return keys.isEmpty() ? null : Keys.columnOf(keys.get(0).expression());
        }

        /** @return true if {@code column} is one of its key or INCLUDE columns, or used by an expression key */
        public boolean touches(String column) {
            for (Key k : keys) {
                String c = Keys.columnOf(k.expression());
                if (column.equals(c) || (c == null && Keys.mentions(k.expression(), column))) {
                    return true;
                }
            }
            return include.contains(column) || (predicate != null && Keys.mentions(predicate, column));
        }
    }

    /**
     * One key of an existing index.
     *
     * @param expression the column or expression, as {@code pg_get_indexdef(index, n, true)} writes it
     * @param opclass    its operator class when not the type's default, else null
     * @param descending DESC
     */
    public record Key(String expression, String opclass, boolean descending) {
    }

    /**
     * A foreign key.
     *
     * @param name              the constraint
     * @param columns           its columns on this table
     * @param referencedTable   the referenced table, schema-qualified
     * @param referencedColumns the referenced columns
     */
    public record ForeignKey(String name, List<String> columns, String referencedTable, List<String> referencedColumns) {
        /** Copies the lists. */
        public ForeignKey {
            columns = List.copyOf(columns);
            referencedColumns = List.copyOf(referencedColumns);
        }
    }

    /**
     * Write counters from {@code pg_stat_user_tables}, since the statistics were last reset.
     *
     * @param inserts    rows inserted
     * @param updates    rows updated
     * @param hotUpdates of those, HOT updates (no index touched)
     * @param deletes    rows deleted
     * @param seconds    seconds the counters cover (since the reset, or the server's start)
     */
    public record WriteStats(long inserts, long updates, long hotUpdates, long deletes, double seconds) {
        /** @return rows written per second over the window */
        public double perSecond() {
            return seconds <= 0 ? 0 : (inserts + updates + deletes) / seconds;
        }
    }
}
