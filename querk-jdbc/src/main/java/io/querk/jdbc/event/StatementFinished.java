package io.querk.jdbc.event;

import io.querk.Api;
import io.querk.migration.StepRef;

import java.time.Duration;
import java.time.Instant;

/**
 * A statement ended, successfully or not.
 *
 * @param took     from send to answer
 * @param sqlState null if it succeeded, else the error's SQLSTATE
 */
@Api(status = Api.Status.STABLE, since = "0.1")
public record StatementFinished(Instant at, StepRef step, String sql, Duration took, String sqlState)
        implements QuerkEvent {
}
