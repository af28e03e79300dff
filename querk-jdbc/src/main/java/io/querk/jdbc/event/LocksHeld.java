package io.querk.jdbc.event;

import io.querk.Api;
import io.querk.migration.StepRef;
import io.querk.plan.LockMode;

import java.time.Instant;
import java.util.List;

/**
 * The table locks a transactional action held just before it committed, read from
 * {@code pg_locks} for its own backend inside its own transaction. Published only to listeners
 * that ask for it ({@link QuerkListener#capturesHeldLocks()}), after the commit.
 *
 * <p>Unlike sampling {@code pg_locks} from outside, this sees every lock, however short: each
 * was requested no earlier than {@code transactionStart} and released at the commit, just before
 * {@code at}. Statements that run outside a transaction ({@code CREATE INDEX CONCURRENTLY},
 * backfill batches) are not captured; their locks are weak and long, which sampling sees.
 *
 * @param at               when the commit returned: the locks were released by then
 * @param step             the step the action belongs to
 * @param backendPid       the server process that held them
 * @param statements       the action's statements, in order
 * @param transactionStart just before the first statement was sent
 * @param locks            the relation locks held, without the {@code ACCESS SHARE} locks the
 *                         capture query itself takes on system catalogs
 */
@Api(status = Api.Status.EXPERIMENTAL, since = "0.1")
public record LocksHeld(Instant at, StepRef step, int backendPid, List<String> statements, Instant transactionStart,
                        List<Lock> locks) implements QuerkEvent {

    /**
     * Copies the lists: an event does not change once published.
     *
     * @param at               when the commit returned
     * @param step             the step
     * @param backendPid       the server process
     * @param statements       the action's statements
     * @param transactionStart just before the first statement was sent
     * @param locks            the relation locks held
     */
    public LocksHeld {
        statements = List.copyOf(statements);
        locks = List.copyOf(locks);
    }

    /**
     * One relation lock held.
     *
     * @param relationOid the relation's oid
     * @param schema      its schema
     * @param name        its name (a table, index, sequence or view)
     * @param mode        the lock mode
     */
    public record Lock(long relationOid, String schema, String name, LockMode mode) {
    }
}
