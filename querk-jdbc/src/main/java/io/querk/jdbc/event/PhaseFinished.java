package io.querk.jdbc.event;

import io.querk.Api;
import io.querk.migration.Phase;

import java.time.Duration;
import java.time.Instant;

/** A phase of a migration was applied completely. @param took how long this run spent on it */
@Api(status = Api.Status.STABLE, since = "0.1")
public record PhaseFinished(Instant at, String migrationId, Phase phase, Duration took) implements QuerkEvent {
}
