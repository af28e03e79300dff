package io.querk.jdbc.event;

import io.querk.Api;
import io.querk.migration.StepRef;

import java.time.Instant;

/**
 * Adaptive sizing changed the batch size.
 *
 * @param from   the old size
 * @param to     the new size
 * @param reason why, e.g. "last batch took 412 ms, target 200 ms"
 */
@Api(status = Api.Status.STABLE, since = "0.1")
public record BackfillResized(Instant at, StepRef step, int from, int to, String reason) implements QuerkEvent {
}
