package io.querk.internal.render;

import io.querk.plan.LockMode;
import io.querk.plan.TableEffect;

import java.util.Comparator;
import java.util.List;

/**
 * The unit the engine executes: one or more statements that run together (in one
 * transaction, or alone outside any when {@code transactional} is false), guarded by a
 * catalog probe that tells whether its effect is already there, which is what makes every
 * step resumable after a crash.
 *
 * @param purpose       what it achieves, for logs ("validate check shipments_weight_check")
 * @param statements    the SQL, in order
 * @param transactional false if it must run alone, outside a transaction block
 * @param locks         the table-level locks it takes
 * @param skipWhen      when this probe returns true the action is already done; null: always run
 * @param preconditions facts that must hold before it runs
 * @param effect        what it does to the rows of the locked table: the planner reports scans
 *                      (index builds, validation) so that a reviewer sees which actions grow
 *                      with the table
 */
public record Action(String purpose, List<String> statements, boolean transactional, List<RelationLock> locks,
                     Probe skipWhen, List<Precondition> preconditions, TableEffect effect) {
    public Action {
        statements = List.copyOf(statements);
        locks = List.copyOf(locks);
        preconditions = List.copyOf(preconditions);
        if (!transactional && statements.size() != 1) {
            throw new IllegalArgumentException("A non-transactional action runs exactly one statement: " + purpose);
        }
    }

    /** An action that touches the catalog only. */
    public Action(String purpose, List<String> statements, boolean transactional, List<RelationLock> locks,
                  Probe skipWhen, List<Precondition> preconditions) {
        this(purpose, statements, transactional, locks, skipWhen, preconditions, TableEffect.NONE);
    }

    /** @return the same action, reading every row of its table */
    public Action scanning() {
        return new Action(purpose, statements, transactional, locks, skipWhen, preconditions, TableEffect.SCAN);
    }

    /** @return the strongest lock mode taken, or null if none */
    public LockMode strongestLock() {
        return locks.stream().map(RelationLock::mode).max(Comparator.naturalOrder()).orElse(null);
    }

    /**
     * @return true if the action only takes locks that leave reads and writes alone (SHARE UPDATE
     *         EXCLUSIVE at most) and may legitimately run for a long time (CONCURRENTLY, VALIDATE):
     *         such an action gets the long lock timeout and no statement timeout
     */
    public boolean longRunningWeakLock() {
        LockMode m = strongestLock();
        return m != null && m.compareTo(LockMode.SHARE_UPDATE_EXCLUSIVE) <= 0
                && locks.stream().anyMatch(l -> l.mode() == LockMode.SHARE_UPDATE_EXCLUSIVE);
    }
}
