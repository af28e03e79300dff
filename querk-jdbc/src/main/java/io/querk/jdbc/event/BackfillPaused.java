package io.querk.jdbc.event;

import io.querk.Api;
import io.querk.migration.StepRef;

import java.time.Duration;
import java.time.Instant;

/**
 * A backfill held off because the database is under stress (or it was asked to pause).
 *
 * @param reason  why, e.g. "dead tuples 23% of shipments, above the 20% limit"
 * @param pause   how long it waits before looking again
 */
@Api(status = Api.Status.STABLE, since = "0.1")
public record BackfillPaused(Instant at, StepRef step, String reason, Duration pause) implements QuerkEvent {
}
