package io.querk.jdbc.event;

import io.querk.Api;
import io.querk.migration.StepRef;

import java.time.Instant;

/**
 * Part of a step was not run because the catalog shows its effect already there, typically
 * when resuming after an interruption.
 *
 * @param purpose what that part does
 */
@Api(status = Api.Status.STABLE, since = "0.1")
public record ActionSkipped(Instant at, StepRef step, String purpose) implements QuerkEvent {
}
