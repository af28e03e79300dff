package io.querk.internal.render;

import io.querk.sql.Identifier;
import io.querk.sql.QualifiedName;

import java.util.List;
import java.util.Optional;

/**
 * Facts about the live schema a step needs in order to render (the type of a column being
 * renamed, say). The engine answers from the database just before the step runs; the offline
 * planner answers with placeholders.
 */
public interface Catalog {

    /**
     * What a column is.
     *
     * @param type       its type as {@code format_type} writes it
     * @param notNull    whether it is NOT NULL
     * @param defaultSql its default expression, or null
     * @param comment    its comment ({@code COMMENT ON COLUMN}), or null
     */
    record ColumnFacts(String type, boolean notNull, String defaultSql, String comment) {
        /** Facts of a column without a comment. */
        public ColumnFacts(String type, boolean notNull, String defaultSql) {
            this(type, notNull, defaultSql, null);
        }
    }

    /** @return the column's facts, empty if the table or column does not exist */
    Optional<ColumnFacts> column(QualifiedName table, Identifier column);

    /**
     * @return what depends on the column ({@link ColumnDependents}), for a rename or type change to
     *         carry; empty when not known (offline), or when nothing does
     */
    default List<ColumnDependents.Dependent> dependents(QualifiedName table, Identifier column) {
        return List.of();
    }

    /** A catalog that knows nothing: renders placeholders, for plans made without a database. */
    Catalog OFFLINE = (table, column) -> Optional.of(
            new ColumnFacts("<type of " + table.sql() + "." + column.sql() + ">", false, null));
}
