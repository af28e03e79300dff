package io.querk.testkit.traffic;

import io.querk.Api;
import java.time.Instant;
import java.util.List;

/**
 * What a participant session of the traffic did: a long-running or idle-in-transaction session,
 * with each of its statements timed and its transaction's end.
 *
 * @param name        the participant's name, e.g. "report-job"
 * @param application its {@code application_name}: {@code querk-testkit/<name>}
 * @param pid         its server process
 * @param begin       when its transaction began
 * @param end         when its transaction ended (its COMMIT or ROLLBACK returned)
 * @param statements  its statements, in order
 * @param error       the error that ended it early, or null
 */
@Api(status = Api.Status.STABLE, since = "0.1")
public record SessionRun(String name, String application, int pid, Instant begin, Instant end,
                         List<Statement> statements, String error) {

    /**
     * Copies {@code statements}.
     *
     * @param name        the participant's name
     * @param application its application_name
     * @param pid         its server process
     * @param begin       when its transaction began
     * @param end         when it ended
     * @param statements  its statements
     * @param error       the error, or null
     */
    public SessionRun {
        statements = List.copyOf(statements);
    }

    /**
     * One statement of a participant.
     *
     * @param sql   the statement
     * @param start when it was sent
     * @param end   when it answered
     */
    public record Statement(String sql, Instant start, Instant end) {
    }
}
