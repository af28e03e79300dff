package io.querk.jdbc.event;

import io.querk.Api;
import io.querk.migration.Phase;

import java.time.Instant;

/**
 * A phase of a migration began.
 *
 * @param steps   how many steps it has
 * @param resumed true if an earlier run started it and did not finish
 */
@Api(status = Api.Status.STABLE, since = "0.1")
public record PhaseStarted(Instant at, String migrationId, Phase phase, int steps, boolean resumed)
        implements QuerkEvent {
}
