package io.querk.jdbc.event;

import io.querk.Api;
import io.querk.migration.StepRef;

import java.time.Instant;

/** A step began. */
@Api(status = Api.Status.STABLE, since = "0.1")
public record StepStarted(Instant at, StepRef step) implements QuerkEvent {
}
