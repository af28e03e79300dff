package io.querk.migration;

import io.querk.Api;

/**
 * Where a step stands: migration, phase and position, with its description.
 *
 * @param migrationId the migration
 * @param phase       the phase
 * @param number      the step's position in the phase, from 1
 * @param count       how many steps the phase has
 * @param kind        the kind of step
 * @param description the step in words
 */
@Api(status = Api.Status.STABLE, since = "0.1")
public record StepRef(String migrationId, Phase phase, int number, int count, StepKind kind, String description) {

    /** @return e.g. {@code 2026-11-23.shipments expand 2/3 (create index ...)} */
    @Override
    public String toString() {
        return migrationId + " " + phase.label() + " " + number + "/" + count + " (" + description + ")";
    }
}
