package io.querk.jdbc.internal.guard;

import java.sql.SQLException;

/**
 * How a failure reaches the user: the server's own SQLSTATE and message first, and never hidden
 * behind what the engine did afterwards. When a session dies mid-step (57P01, terminated by an
 * administrator), every later call on it fails with 08003 (connection closed); a cleanup that
 * runs in a {@code finally} would throw that one instead, and the user would read about a closed
 * connection rather than about who ended it.
 */
public final class Failures {

    private Failures() {
    }

    /** Work that may fail with a database error. */
    @FunctionalInterface
    public interface SqlWork {
        /** Does it. */
        void run() throws SQLException;
    }

    /**
     * @return {@code [SQLSTATE 57P01] terminating connection due to administrator command}: the
     *         root cause of a database error as the server said it, for the front of a message
     */
    public static String rootCause(SQLException e) {
        SQLException first = e;
        // A batch update error wraps the statement's own error; the driver's top message repeats it.
        if (e.getNextException() != null && e.getSQLState() == null) {
            first = e.getNextException();
        }
        String message = first.getMessage() == null ? "(no message)" : first.getMessage().strip();
        return "[SQLSTATE " + first.getSQLState() + "] " + message;
    }

    /**
     * Cleans up after {@code primary} failed: a failure of the cleanup is kept as a suppressed
     * exception of the primary one, never thrown in its place.
     */
    public static void cleanUpAfter(Throwable primary, SqlWork cleanup) {
        try {
            cleanup.run();
        } catch (SQLException | RuntimeException e) {
            primary.addSuppressed(e);
        }
    }
}
