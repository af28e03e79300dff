package io.querk.jdbc;

import io.querk.Api;
import io.querk.jdbc.internal.guard.Failures;
import io.querk.migration.StepRef;

/**
 * A step failed for a reason retrying cannot fix: a SQL error, a precondition that does not
 * hold, a statement that ran past its statement timeout while holding a strong lock. Nothing
 * half-done is left behind: each statement group ran in its own transaction, and running
 * {@code migrate()} again after fixing the cause resumes at this step.
 */
@Api(status = Api.Status.STABLE, since = "0.1")
public class StepFailedException extends StepException {

    private static final long serialVersionUID = 1L;

    /**
     * Made by the engine.
     *
     * @param message  what failed and what to do about it
     * @param step     the step that failed
     * @param sql      the statement that failed, or {@code null}
     * @param sqlState the SQLSTATE of the database error, or {@code null} if the failure was not one
     * @param cause    the underlying cause, or {@code null}
     */
    public StepFailedException(String message, StepRef step, String sql, String sqlState, Throwable cause) {
        super(message, step, sql, sqlState, cause);
    }

    /**
     * Wraps a database error of a statement, with advice matched to the error.
     *
     * @param step the step that failed
     * @param sql  the statement that failed, or {@code null} if it was one of Querk's own (its
     *             history, the session's settings)
     * @param e    the database error
     * @return the exception, its message leading with the server's SQLSTATE and message, then
     *         the step, the statement and what to do
     */
    public static StepFailedException of(StepRef step, String sql, java.sql.SQLException e) {
        String state = e.getSQLState();
        String advice;
        if ("57014".equals(state)) {
            advice = "The statement ran past its statement timeout and was cancelled. A statement that holds a lock"
                    + " blocking the application must be quick; this one scans or rewrites the table. Use the step's"
                    + " safe form, or raise statementTimeout if the table is small and the wait acceptable.";
        } else if (state != null && (state.startsWith("08") || state.startsWith("57P"))) {
            advice = "The session ended under the step (terminated, or the connection was lost). Each statement"
                    + " group ran in its own transaction, so nothing is half-applied.";
        } else {
            advice = "";
        }
        String where = sql == null ? "while Querk recorded the step's progress in its history"
                : "on: " + abbreviate(sql);
        return new StepFailedException(Failures.rootCause(e) + " Step " + step + " failed " + where + "."
                + (advice.isEmpty() ? "" : " " + advice) + " Fix the cause and run migrate() again: applied steps"
                + " stay applied and this step resumes.", step, sql, state, e);
    }

    private static String abbreviate(String sql) {
        String s = sql.replaceAll("\\s+", " ").strip();
        return s.length() > 300 ? s.substring(0, 297) + "..." : s;
    }

}
