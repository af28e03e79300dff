package io.querk.jdbc.internal.guard;

import io.querk.jdbc.Blocker;

import java.sql.SQLException;
import java.time.Duration;
import java.util.List;

/**
 * An attempt failed on a lock timeout (55P03) or a deadlock (40P01): the kind of failure that
 * waiting and trying again can cure. Carries who was in the way.
 */
public final class RetryableFailure extends Exception {

    private static final long serialVersionUID = 1L;

    /** SQLSTATE of lock_not_available. */
    public static final String LOCK_NOT_AVAILABLE = "55P03";
    /** SQLSTATE of deadlock_detected. */
    public static final String DEADLOCK_DETECTED = "40P01";

    private final String sqlState;
    private final String sql;
    private final transient List<Blocker> blockers;
    private final transient Duration lockTimeout;

    /**
     * Made when a statement fails retryably.
     *
     * @param lockTimeout the lock timeout the statement waited under
     */
    public RetryableFailure(SQLException cause, String sql, List<Blocker> blockers, Duration lockTimeout) {
        super(cause.getMessage(), cause);
        this.sqlState = cause.getSQLState();
        this.sql = sql;
        this.blockers = List.copyOf(blockers);
        this.lockTimeout = lockTimeout;
    }

    /** @return the lock timeout the failed statement waited under: the application's stall */
    public Duration lockTimeout() {
        return lockTimeout;
    }

    /** @return true if a database error is worth retrying */
    public static boolean isRetryable(SQLException e) {
        return LOCK_NOT_AVAILABLE.equals(e.getSQLState()) || DEADLOCK_DETECTED.equals(e.getSQLState());
    }

    /** @return 55P03 or 40P01 */
    public String sqlState() {
        return sqlState;
    }

    /** @return the statement that failed */
    public String sql() {
        return sql;
    }

    /** @return who blocked it */
    public List<Blocker> blockers() {
        return blockers;
    }
}
