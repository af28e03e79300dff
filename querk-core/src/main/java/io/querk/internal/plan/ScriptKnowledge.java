package io.querk.internal.plan;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What earlier statements of the same script told the analyzer: tables they created (which
 * no running application uses yet, so locking or rewriting them hurts no one), foreign keys
 * they added (so that a later {@code VALIDATE CONSTRAINT} can name the table it also locks), and
 * what makes a column's NOT NULL free: a {@code CHECK (column IS NOT NULL)} added and validated
 * (a later {@code SET NOT NULL} needs no scan), columns made NOT NULL, and the columns of indexes
 * built (a later {@code PRIMARY KEY USING INDEX} over NOT NULL columns needs no scan either). The
 * safe three-step NOT NULL reads as safe, written by hand or rendered by a typed step.
 */
final class ScriptKnowledge {

    private final Set<String> createdTables = new HashSet<>();
    private final Map<String, SqlName> foreignKeys = new HashMap<>();
    private final Map<String, String> notNullChecks = new HashMap<>();
    private final Set<String> notNull = new HashSet<>();
    private final Map<String, List<String>> indexColumns = new HashMap<>();

    /** @return knowledge of nothing: a statement analysed on its own */
    static ScriptKnowledge none() {
        return new ScriptKnowledge();
    }

    void created(SqlName table) {
        createdTables.add(table.normalized());
    }

    boolean isCreated(SqlName table) {
        return createdTables.contains(table.normalized());
    }

    void foreignKey(SqlName table, String constraint, SqlName referenced) {
        foreignKeys.put(key(table, constraint), referenced);
    }

    /** @return the table the named foreign key of {@code table} references, or null if not known */
    SqlName referencedBy(SqlName table, String constraint) {
        return foreignKeys.get(key(table, constraint));
    }

    /**
     * A {@code CHECK (column IS NOT NULL)} was added; if {@code validated} (added without NOT VALID,
     * or validated since) it proves the column has no NULL.
     */
    void notNullCheck(SqlName table, String constraint, String column, boolean validated) {
        if (constraint != null) {
            notNullChecks.put(key(table, constraint), column);
        }
        if (validated) {
            notNull.add(key(table, column));
        }
    }

    /** A constraint was validated: if it is a NOT NULL check, its column is proven. */
    void validated(SqlName table, String constraint) {
        String column = notNullChecks.get(key(table, constraint));
        if (column != null) {
            notNull.add(key(table, column));
        }
    }

    /** The column was made NOT NULL. */
    void madeNotNull(SqlName table, String column) {
        notNull.add(key(table, column));
    }

    /** @return true if an earlier statement proves or made the column NOT NULL */
    boolean isNotNull(SqlName table, String column) {
        return notNull.contains(key(table, column));
    }

    /** An index over plain columns was built. */
    void index(SqlName index, List<String> columns) {
        indexColumns.put(index.normalized(), List.copyOf(columns));
    }

    /** @return the columns of an index an earlier statement built, or null if not known */
    List<String> indexColumns(SqlName index) {
        return indexColumns.get(index.normalized());
    }

    private static String key(SqlName table, String constraint) {
        return table.normalized() + '\u0000' + constraint;
    }
}
