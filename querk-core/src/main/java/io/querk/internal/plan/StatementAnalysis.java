package io.querk.internal.plan;

import io.querk.plan.Hazard;
import io.querk.plan.PlannedLock;
import io.querk.plan.TableEffect;

import java.util.List;

/**
 * What the raw-SQL analyzer found in one statement.
 *
 * @param sql            the statement
 * @param mustRunAlone   true if it cannot run inside a transaction block (CONCURRENTLY, VACUUM ...)
 * @param locks          the table-level locks it takes, strongest per relation
 * @param effect         whether it scans or rewrites a table
 * @param table          the table it mainly changes, as written (for messages), or null
 * @param tableKey       the same table's catalog name (for live facts), or null
 * @param hazards        what is wrong with it, worst first
 * @param summary        one line in words: "adds column c to t (catalog only)"
 */
public record StatementAnalysis(String sql, boolean mustRunAlone, List<PlannedLock> locks, TableEffect effect,
                                String table, String tableKey, List<Hazard> hazards, String summary) {
    public StatementAnalysis {
        locks = List.copyOf(locks);
        hazards = List.copyOf(hazards);
    }
}
