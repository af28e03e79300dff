package io.querk.jdbc.event;

import io.querk.migration.StepRef;

import java.time.Duration;
import java.time.Instant;

/**
 * A statement ended, successfully or not.
 *
 * @param took     from send to answer
 * @param sqlState null if it succeeded, else the error's SQLSTATE
 */
public record StatementFinished(Instant at, StepRef step, String sql, Duration took, String sqlState)
        implements QuerkEvent {
}
