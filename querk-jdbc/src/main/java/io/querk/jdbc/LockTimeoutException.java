package io.querk.jdbc;

import io.querk.Api;
import io.querk.migration.StepRef;

import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A step could not get its lock within the retry budget. The blockers seen during the last
 * attempt are on the exception; ending them (or waiting for them to finish) and running again
 * resumes where the migration stopped.
 */
@Api(status = Api.Status.STABLE, since = "0.1")
public class LockTimeoutException extends StepException {

    private static final long serialVersionUID = 1L;

    /** Who blocked the last attempt. */
    private final transient List<Blocker> blockers;
    /** How many attempts were made. */
    private final int attempts;
    /** How long the step tried. */
    private final Duration elapsed;

    /**
     * Made by the engine when the budget is spent.
     *
     * @param step     the step that could not get its lock
     * @param sql      the statement that waited
     * @param blockers who blocked the last attempt, possibly none
     * @param attempts how many attempts were made
     * @param elapsed  how long the step tried
     * @param cause    the last attempt's lock timeout or deadlock error
     */
    public LockTimeoutException(StepRef step, String sql, List<Blocker> blockers, int attempts, Duration elapsed,
                                Throwable cause) {
        super(message(step, blockers, attempts, elapsed), step, sql,
                cause instanceof java.sql.SQLException e ? e.getSQLState() : null, cause);
        this.blockers = List.copyOf(blockers);
        this.attempts = attempts;
        this.elapsed = elapsed;
    }

    private static String message(StepRef step, List<Blocker> blockers, int attempts, Duration elapsed) {
        String who = blockers.isEmpty()
                ? "No blocker was caught in the act (it may have let go just before the timeout)."
                : "Blocked by: " + blockers.stream().map(Blocker::describe).collect(Collectors.joining("; ")) + ".";
        return "Step " + step + " could not get its lock after " + attempts + " attempt(s) in "
                + Blocker.human(elapsed) + ". " + who + " End or wait out the blocking transaction"
                + (blockers.isEmpty() ? "" : " (SELECT pg_terminate_backend(" + blockers.get(0).pid() + ") ends the first)")
                + ", or give the step a larger retry budget; running migrate() again resumes here.";
    }

    /** @return who blocked the last attempt */
    public List<Blocker> blockers() {
        return blockers;
    }

    /** @return how many attempts were made */
    public int attempts() {
        return attempts;
    }

    /** @return how long the step tried */
    public Duration elapsed() {
        return elapsed;
    }
}
