package io.querk.testkit;

import io.querk.testkit.trace.LockInterval;

import java.time.Duration;

/**
 * One stretch of time during which a migration step kept the application from reading or writing
 * a table: it held, or waited for, a lock that conflicts with the application's.
 *
 * @param step     the step, or null if no step could be matched (a session of Querk's between steps)
 * @param interval the lock and when
 */
public record Blocking(StepRun step, LockInterval interval) {

    /** @return how long */
    public Duration duration() {
        return interval.duration();
    }

    /** @return a sentence for a failure message */
    public String describe() {
        String who = step == null ? "A Querk session (" + interval.application() + ")" : "Step " + step.describe();
        return who + " " + interval.state() + " " + interval.mode().sqlName() + " on " + interval.relation() + " for "
                + interval.duration().toMillis() + " ms, while running: " + abbreviate(interval.query());
    }

    private static String abbreviate(String sql) {
        return sql.length() > 200 ? sql.substring(0, 197) + "..." : sql;
    }
}
