package io.querk.plan;

import io.querk.Api;
import io.querk.migration.Phase;

import java.util.List;
import java.util.Objects;

/**
 * The planned steps of one phase of one migration.
 *
 * @param migrationId the migration
 * @param phase       the phase
 * @param steps       its steps, in the order they run
 */
@Api(status = Api.Status.STABLE, since = "0.1")
public record PlannedPhase(String migrationId, Phase phase, List<PlannedStep> steps) {
    /**
     * Copies {@code steps} and rejects nulls: a phase does not change once planned.
     *
     * @param migrationId the migration
     * @param phase       the phase
     * @param steps       its steps, in the order they run
     */
    public PlannedPhase {
        Objects.requireNonNull(migrationId, "migrationId");
        Objects.requireNonNull(phase, "phase");
        steps = List.copyOf(steps);
    }
}
