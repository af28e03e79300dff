package io.querk.jdbc.event;

import io.querk.Api;
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
@Api(status = Api.Status.STABLE, since = "0.1")
public record StatementStarted(Instant at, StepRef step, String sql, int backendPid, Duration lockTimeout,
                               Duration statementTimeout) implements QuerkEvent {
}
