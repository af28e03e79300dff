package io.querk.testkit;

import io.querk.migration.StepRef;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A step as the rehearsal saw it run: when, which statements on which sessions, and whether it failed.
 *
 * @param step       the step
 * @param start      when it started
 * @param end        when it ended (or the rehearsal ended, if it never did)
 * @param statements what it sent, in order
 * @param failed     true if it failed
 */
public record StepRun(StepRef step, Instant start, Instant end, List<StatementRun> statements, boolean failed) {
    /**
     * Copies {@code statements}: a report does not change once made.
     *
     * @param step       the step
     * @param start      when it started
     * @param end        when it ended (or the rehearsal ended, if it never did)
     * @param statements what it sent, in order
     * @param failed     true if it failed
     */
    public StepRun {
        statements = List.copyOf(statements);
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
     * A statement a step sent.
     *
     * @param sql   the statement
     * @param pid   the session that ran it
     * @param start when it was sent
     * @param end   when it answered
     */
    public record StatementRun(String sql, int pid, Instant start, Instant end) {
    }
}
