package io.querk.jdbc.event;

import io.querk.Api;
import io.querk.migration.StepRef;

import java.time.Duration;
import java.time.Instant;

/**
 * A backfill vacuumed its table, on a connection of its own while its batches went on, because
 * dead row versions passed the configured share of the table. Published from the vacuum's
 * thread when it ends.
 *
 * @param reason why, e.g. "dead tuples are 11% of orders (110234 dead, 889766 live), above the 10% limit"
 * @param took   how long the VACUUM ran
 */
@Api(status = Api.Status.STABLE, since = "0.1")
public record BackfillVacuumed(Instant at, StepRef step, String reason, Duration took) implements QuerkEvent {
}
