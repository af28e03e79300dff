package io.querk.jdbc;

import io.querk.Api;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What one call to {@code migrate()} did. A run that fails throws instead of returning a
 * report; the history table keeps what it had done.
 *
 * @param startedAt when the call began
 * @param took      how long it took
 * @param steps     the steps it looked at, in order
 * @param pendingContracts migrations whose contract phase is pending but not released
 * @param cancelled true if the run was cancelled before it finished (see {@link MigrationHandle#cancel()})
 */
@Api(status = Api.Status.STABLE, since = "0.1")
public record MigrationReport(Instant startedAt, Duration took, List<StepResult> steps, List<String> pendingContracts,
                              boolean cancelled) {
    /**
     * Copies the lists: a report does not change once made.
     *
     * @param startedAt        when the call began
     * @param took             how long it took
     * @param steps            the steps it looked at, in order
     * @param pendingContracts migrations whose contract phase is pending but not released
     * @param cancelled        true if the run was cancelled before it finished
     */
    public MigrationReport {
        steps = List.copyOf(steps);
        pendingContracts = List.copyOf(pendingContracts);
    }

    /** @return true if there was nothing to do */
    public boolean nothingPending() {
        return steps.isEmpty();
    }

    /** @return the steps this run applied */
    public List<StepResult> applied() {
        return steps.stream().filter(s -> s.outcome() == StepResult.Outcome.APPLIED).toList();
    }
}
