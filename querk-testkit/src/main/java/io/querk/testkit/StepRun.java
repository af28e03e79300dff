package io.querk.testkit;

import io.querk.Api;
import io.querk.migration.StepRef;
import io.querk.jdbc.event.LockWaiting;
import io.querk.jdbc.event.StepRetrying;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A step as the rehearsal saw it run: its run token, when, which statements on which sessions,
 * who it waited behind, its retries, and whether it failed.
 *
 * @param step       the step
 * @param token      the run's token, as in its sessions' {@code application_name}
 *                   ({@code querk/<phase>#<step>/<token>/<migration>})
 * @param start      when it started
 * @param end        when it ended (or the rehearsal ended, if it never did)
 * @param statements what it sent, in order
 * @param failed     true if it failed
 * @param waits      the engine's reports of sessions blocking its statements, in order
 * @param retries    its failed attempts that were retried, in order
 */
@Api(status = Api.Status.STABLE, since = "0.1")
public record StepRun(StepRef step, String token, Instant start, Instant end, List<StatementRun> statements,
                      boolean failed, List<LockWaiting> waits, List<StepRetrying> retries) {
    /**
     * Copies the lists: a report does not change once made.
     *
     * @param step       the step
     * @param token      the run's token
     * @param start      when it started
     * @param end        when it ended
     * @param statements what it sent
     * @param failed     true if it failed
     * @param waits      the sessions that blocked it
     * @param retries    its retried attempts
     */
    public StepRun {
        statements = List.copyOf(statements);
        waits = List.copyOf(waits);
        retries = List.copyOf(retries);
    }

    /** @return how long it took */
    public Duration took() {
        return Duration.between(start, end);
    }

    /** @return "2026-11-23.x expand 2/3 (create index ...)" */
    public String describe() {
        return step.toString();
    }

    /**
     * @return the lock timeout of each attempt that waited on a strong lock, in order: the first
     *         attempt's, then the one each retry announced; empty if it never had to retry
     */
    public List<Duration> lockTimeouts() {
        List<Duration> out = new ArrayList<>();
        if (retries.isEmpty()) {
            return out;
        }
        statements.stream().filter(s -> !s.start().isAfter(retries.get(0).at())).findFirst()
                .ifPresent(s -> out.add(s.lockTimeout()));
        retries.forEach(r -> out.add(r.nextLockTimeout()));
        return out;
    }

    /**
     * A statement a step sent.
     *
     * @param sql         the statement
     * @param pid         the session that ran it
     * @param start       when it was sent
     * @param end         when it answered
     * @param lockTimeout its lock_timeout
     * @param sqlState    null if it succeeded, else its error's SQLSTATE
     */
    public record StatementRun(String sql, int pid, Instant start, Instant end, Duration lockTimeout, String sqlState) {
    }
}
