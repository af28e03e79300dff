package io.querk.jdbc.event;

import io.querk.Api;
import io.querk.migration.StepRef;

import java.time.Instant;

/**
 * A step began.
 *
 * @param at       when
 * @param step     the step
 * @param runToken six characters naming this run of the step (a retry is the same run; a resumption
 *                 after a crash is a new one). Every session the run opens carries it in its
 *                 {@code application_name}, {@code querk/<phase>#<step>/<runToken>/<migration id>},
 *                 so a session can be traced to its step run however long the migration id
 */
@Api(status = Api.Status.STABLE, since = "0.1")
public record StepStarted(Instant at, StepRef step, String runToken) implements QuerkEvent {
}
