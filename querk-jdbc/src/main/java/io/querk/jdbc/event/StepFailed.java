package io.querk.jdbc.event;

import io.querk.Api;
import io.querk.QuerkException;
import io.querk.migration.StepRef;

import java.time.Instant;

/** A step failed; the run stops and {@code error} is thrown from {@code migrate()}. */
@Api(status = Api.Status.STABLE, since = "0.1")
public record StepFailed(Instant at, StepRef step, QuerkException error) implements QuerkEvent {
}
