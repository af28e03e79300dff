package io.querk.jdbc.event;

import io.querk.Api;
import io.querk.jdbc.Blocker;
import io.querk.migration.StepRef;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A statement is waiting for a lock, and these sessions are in its way.
 *
 * @param waited   how long the statement has been running when they were seen
 * @param blockers who blocks it
 */
@Api(status = Api.Status.STABLE, since = "0.1")
public record LockWaiting(Instant at, StepRef step, String sql, Duration waited, List<Blocker> blockers)
        implements QuerkEvent {
    /**
     * Copies {@code blockers}: an event does not change once published.
     *
     * @param at       when the blockers were seen
     * @param step     the step whose statement waits
     * @param sql      the waiting statement
     * @param waited   how long the statement has been running when they were seen
     * @param blockers who blocks it
     */
    public LockWaiting {
        blockers = List.copyOf(blockers);
    }
}
