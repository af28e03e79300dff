package io.querk.jdbc.event;

import io.querk.Api;
import io.querk.jdbc.Blocker;
import io.querk.migration.StepRef;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * An attempt of a step failed on a lock timeout or deadlock, and the step will be tried again.
 *
 * @param failedAttempt   the attempt that failed, from 1
 * @param sqlState        55P03 (lock timeout) or 40P01 (deadlock)
 * @param blockers        who blocked it
 * @param backoff         how long the engine sleeps before the next attempt
 * @param nextLockTimeout the lock timeout of the next attempt
 */
@Api(status = Api.Status.STABLE, since = "0.1")
public record StepRetrying(Instant at, StepRef step, int failedAttempt, String sqlState, List<Blocker> blockers,
                           Duration backoff, Duration nextLockTimeout) implements QuerkEvent {
    /**
     * Copies {@code blockers}: an event does not change once published.
     *
     * @param at              when the attempt failed
     * @param step            the step
     * @param failedAttempt   the attempt that failed, from 1
     * @param sqlState        55P03 (lock timeout) or 40P01 (deadlock)
     * @param blockers        who blocked it
     * @param backoff         how long the engine sleeps before the next attempt
     * @param nextLockTimeout the lock timeout of the next attempt
     */
    public StepRetrying {
        blockers = List.copyOf(blockers);
    }
}
