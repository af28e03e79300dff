package io.querk.jdbc;

import io.querk.Api;
import io.querk.QuerkException;
import io.querk.migration.StepRef;

/**
 * A step of a migration could not be applied: the parent of {@link StepFailedException} (an
 * error retrying cannot fix) and {@link LockTimeoutException} (the retry budget ran out waiting
 * for a lock). Both name the step; running {@code migrate()} again after dealing with the cause
 * resumes at it, applied steps staying applied.
 */
@Api(status = Api.Status.STABLE, since = "0.1")
public abstract class StepException extends QuerkException {

    private static final long serialVersionUID = 1L;

    /** The SQLSTATE of the database error behind the failure, or null. */
    private final String sqlState;

    /**
     * Made by the engine.
     *
     * @param message  what failed and what to do about it
     * @param step     the step that failed
     * @param sql      the statement that failed, or {@code null}
     * @param sqlState the SQLSTATE of the database error, or {@code null} if the failure was not one
     * @param cause    the underlying cause, or {@code null}
     */
    protected StepException(String message, StepRef step, String sql, String sqlState, Throwable cause) {
        super(message, null, java.util.Objects.requireNonNull(step, "step"), sql, cause);
        this.sqlState = sqlState;
    }

    /** @return the step that failed */
    public StepRef stepRef() {
        return step().orElseThrow();
    }

    /** @return the SQLSTATE of the database error behind the failure, or null if it was not one */
    public String sqlState() {
        return sqlState;
    }
}
