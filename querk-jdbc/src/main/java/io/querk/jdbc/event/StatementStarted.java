package io.querk.jdbc.event;

import io.querk.migration.StepRef;

import java.time.Duration;
import java.time.Instant;

/**
 * A statement was sent.
 *
 * @param sql              the statement
 * @param backendPid       the server process running it
 * @param lockTimeout      its lock_timeout
 * @param statementTimeout its statement_timeout (zero: none)
 */
public record StatementStarted(Instant at, StepRef step, String sql, int backendPid, Duration lockTimeout,
                               Duration statementTimeout) implements QuerkEvent {
}
