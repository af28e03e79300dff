package io.querk.jdbc.event;

import io.querk.Api;
import io.querk.migration.StepRef;

import java.time.Duration;
import java.time.Instant;

/** A step was applied. @param attempts how many it took @param took how long, retries included */
@Api(status = Api.Status.STABLE, since = "0.1")
public record StepFinished(Instant at, StepRef step, int attempts, Duration took) implements QuerkEvent {
}
