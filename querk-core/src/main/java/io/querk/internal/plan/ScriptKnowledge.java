package io.querk.internal.plan;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * What earlier statements of the same script told the analyzer: tables they created (which
 * no running application uses yet, so locking or rewriting them hurts no one) and foreign keys
 * they added (so that a later {@code VALIDATE CONSTRAINT} can name the table it also locks).
 */
final class ScriptKnowledge {

    private final Set<String> createdTables = new HashSet<>();
    private final Map<String, SqlName> foreignKeys = new HashMap<>();

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

    private static String key(SqlName table, String constraint) {
        return table.normalized() + '\u0000' + constraint;
    }
}
