package io.querk.review.internal.db;

import io.querk.review.QueryReviewException;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The review's connection: one {@code READ ONLY} transaction with a statement and lock timeout,
 * rolled back at the end, after which every prepared statement and hypothetical index the review
 * made is removed, so that a pooled connection goes back as it came.
 */
public final class Session implements AutoCloseable {

    private static final AtomicLong NAMES = new AtomicLong();

    private final Connection c;
    private final List<String> prepared = new ArrayList<>();
    private final List<Long> hypothetical = new ArrayList<>();
    private int savepoints;

    /**
     * Opens the transaction.
     *
     * @param c       a connection in autocommit mode; the caller closes it
     * @param timeout the statement and lock timeout for every statement of the review
     * @throws SQLException if the server refuses the settings
     */
    public Session(Connection c, Duration timeout) throws SQLException {
        if (!c.getAutoCommit()) {
            throw new QueryReviewException("The connection is inside a transaction (autocommit is off). Give the review"
                    + " a DataSource whose connections start in autocommit mode: it runs its own read-only transaction"
                    + " and rolls it back.");
        }
        this.c = c;
        c.setAutoCommit(false);
        long ms = Math.max(1, timeout.toMillis());
        execute("SET TRANSACTION READ ONLY");
        execute("SET LOCAL statement_timeout = " + ms);
        execute("SET LOCAL lock_timeout = " + lockTimeout(timeout).toMillis());
        execute("SET LOCAL standard_conforming_strings = on");
        execute("SET LOCAL application_name = 'querk/review'");
    }

    /** The longest a review waits for a lock on a table it plans: not long behind a migration holding it. */
    public static final Duration MAX_LOCK_WAIT = Duration.ofSeconds(2);

    /**
     * @param statementTimeout the review's statement timeout
     * @return its lock timeout: a little under the statement timeout (so that a lock wait says so), at most
     *         {@link #MAX_LOCK_WAIT}
     */
    public static Duration lockTimeout(Duration statementTimeout) {
        long ms = Math.max(1, statementTimeout.toMillis() * 9 / 10);
        return Duration.ofMillis(Math.min(ms, MAX_LOCK_WAIT.toMillis()));
    }

    /** @return a fresh name for a prepared statement of this review */
    public String prepareName() {
        return "querk_review_" + ProcessHandle.current().pid() + "_" + NAMES.incrementAndGet();
    }

    /**
     * {@code PREPARE name AS sql}; the statement is deallocated when the session closes.
     *
     * @param name a name from {@link #prepareName()}
     * @param sql  one statement
     * @throws SQLException as the server reports it (parse and analysis errors)
     */
    public void prepare(String name, String sql) throws SQLException {
        execute("PREPARE " + name + " AS " + sql);
        prepared.add(name);
    }

    /** Deallocates a prepared statement now. */
    public void deallocate(String name) throws SQLException {
        if (prepared.remove(name)) {
            execute("DEALLOCATE " + name);
        }
    }

    /**
     * Runs a statement that returns nothing the review reads.
     *
     * @param sql the statement
     * @throws SQLException as reported
     */
    public void execute(String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.setEscapeProcessing(false);
            s.execute(sql);
        }
    }

    /**
     * @param sql    a query returning one text column in one row (EXPLAIN (FORMAT JSON) does)
     * @return that value
     * @throws SQLException as reported
     */
    public String text(String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.setEscapeProcessing(false);
            try (ResultSet rs = s.executeQuery(sql)) {
                if (!rs.next()) {
                    throw new SQLException("No row from: " + sql);
                }
                return rs.getString(1);
            }
        }
    }

    /**
     * Runs a query and reads every row as an array of objects; SQL arrays become Java lists.
     *
     * @param sql  the query, with {@code ?} placeholders
     * @param args the values
     * @return the rows
     * @throws SQLException as reported
     */
    public List<Object[]> rows(String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                int n = rs.getMetaData().getColumnCount();
                List<Object[]> out = new ArrayList<>();
                while (rs.next()) {
                    Object[] row = new Object[n];
                    for (int i = 0; i < n; i++) {
                        Object v = rs.getObject(i + 1);
                        if (v instanceof Array a) {
                            v = Arrays.asList((Object[]) a.getArray());
                        }
                        row[i] = v;
                    }
                    out.add(row);
                }
                return out;
            }
        }
    }

    /**
     * Runs work in a savepoint: if it fails, the transaction rolls back to the savepoint and goes
     * on, so one refused hypothetical index or a timed-out ANALYZE does not end the review.
     *
     * @param work the statements
     * @param <T>  what they return
     * @return their result
     * @throws SQLException what the work threw, after the rollback to the savepoint
     */
    public <T> T inSavepoint(SqlWork<T> work) throws SQLException {
        String sp = "querk_review_sp" + (++savepoints);
        execute("SAVEPOINT " + sp);
        try {
            T v = work.run();
            execute("RELEASE SAVEPOINT " + sp);
            return v;
        } catch (SQLException | RuntimeException e) {
            execute("ROLLBACK TO SAVEPOINT " + sp);
            throw e;
        }
    }

    /** Statements run in a savepoint. */
    @FunctionalInterface
    public interface SqlWork<T> {
        /**
         * @return the result
         * @throws SQLException as the server reports it
         */
        T run() throws SQLException;
    }

    /**
     * Records a hypothetical index for removal at the end.
     *
     * @param oid its oid, from {@code hypopg_create_index}
     */
    public void hypothetical(long oid) {
        hypothetical.add(oid);
    }

    /**
     * Drops a hypothetical index now.
     *
     * @param oid its oid
     * @throws SQLException as reported
     */
    public void dropHypothetical(long oid) throws SQLException {
        if (hypothetical.contains(Long.valueOf(oid))) {
            rows("SELECT hypopg_drop_index(?::oid)", oid);
            // Forgotten only once dropped: if this failed (an aborted transaction), close() drops it.
            hypothetical.remove(Long.valueOf(oid));
        }
    }

    /** @return the position (from 1) the server's error points at in the statement it ran, or 0 */
    public static int position(SQLException e) {
        if (e instanceof PSQLException p && p.getServerErrorMessage() != null) {
            return p.getServerErrorMessage().getPosition();
        }
        return 0;
    }

    /** @return the server's message without the driver's additions, with its hint and detail */
    public static String serverMessage(SQLException e) {
        if (e instanceof PSQLException p && p.getServerErrorMessage() != null) {
            ServerErrorMessage m = p.getServerErrorMessage();
            StringBuilder b = new StringBuilder(m.getMessage() == null ? e.getMessage() : m.getMessage());
            if (m.getDetail() != null) {
                b.append(" (").append(m.getDetail()).append(')');
            }
            if (m.getHint() != null) {
                b.append(". Hint: ").append(m.getHint());
            }
            return b.toString();
        }
        return e.getMessage();
    }

    /**
     * Rolls the transaction back, then removes the review's prepared statements and hypothetical
     * indexes (neither is transactional) and puts autocommit back.
     */
    @Override
    public void close() throws SQLException {
        SQLException first = null;
        try {
            c.rollback();
        } catch (SQLException e) {
            first = e;
        }
        try {
            c.setAutoCommit(true);
            for (String name : List.copyOf(prepared)) {
                execute("DEALLOCATE " + name);
            }
            prepared.clear();
            for (Long oid : List.copyOf(hypothetical)) {
                rows("SELECT hypopg_drop_index(?::oid)", oid);
            }
            hypothetical.clear();
        } catch (SQLException e) {
            if (first == null) {
                first = e;
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
