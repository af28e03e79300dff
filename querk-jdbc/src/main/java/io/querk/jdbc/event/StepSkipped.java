package io.querk.jdbc.event;

import io.querk.Api;
import io.querk.migration.StepRef;

import java.time.Instant;

/** A step was not run because the history says an earlier run applied it. @param reason why */
@Api(status = Api.Status.STABLE, since = "0.1")
public record StepSkipped(Instant at, StepRef step, String reason) implements QuerkEvent {
}
