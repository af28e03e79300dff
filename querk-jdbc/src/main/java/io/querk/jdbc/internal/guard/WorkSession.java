package io.querk.jdbc.internal.guard;

import io.querk.internal.render.Probe;
import io.querk.UnsupportedServerException;
import io.querk.plan.Planner;

import javax.sql.DataSource;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Objects;

/**
 * The connection a run does its work on: dedicated to Querk while the run lasts, with
 * {@code lock_timeout}, {@code statement_timeout} and {@code application_name} set per statement
 * group, and handed back with every setting as it was.
 */
public final class WorkSession implements AutoCloseable {


    private final Connection connection;
    private final SessionSettings saved;
    private final int backendPid;
    private String lockTimeout;
    private String statementTimeout;
    private String applicationName;

    private WorkSession(Connection connection, SessionSettings saved, int backendPid) {
        this.connection = connection;
        this.saved = saved;
        this.backendPid = backendPid;
    }

    /**
     * Borrows a connection and records its settings.
     *
     * @throws SQLException on connection failure
     */
    public static WorkSession open(DataSource ds) throws SQLException {
        Connection c = ds.getConnection();
        try {
            SessionSettings saved = SessionSettings.capture(c);
            if (saved.serverVersionNum() / 10000 < Planner.OLDEST_SUPPORTED) {
                throw new UnsupportedServerException(saved.serverVersionNum() / 10000, Planner.OLDEST_SUPPORTED);
            }
            c.setAutoCommit(true);
            return new WorkSession(c, saved, saved.backendPid());
        } catch (SQLException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    /**
     * @return the server process serving {@code c}, as the server reports it (the driver's backend
     *         key is a pooler's own when one is in between)
     */
    static int pidOf(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /** @return the raw connection, for the engine's own statements */
    public Connection connection() {
        return connection;
    }

    /** @return the server process serving this session */
    public int backendPid() {
        return backendPid;
    }

    /** @return {@code server_version_num} */
    public int serverVersionNum() {
        return saved.serverVersionNum();
    }

    /**
     * Prepares the session for migration work: it dies with its client (a killed runner leaves no
     * orphan statement holding locks), never idles in a transaction, and formats values so that a
     * backfill cursor written by one run reads back the same in the next. (DateStyle needs no care:
     * the PostgreSQL JDBC driver insists on ISO output.)
     */
    public void prepareForMigration() throws SQLException {
        set(List.of("client_connection_check_interval", "1s",
                "idle_in_transaction_session_timeout", "60s",
                "IntervalStyle", "postgres",
                "extra_float_digits", "1",
                "bytea_output", "hex"));
    }

    /**
     * Turns synchronous commit off or back to the session's original value. Backfill batches
     * commit without waiting for the WAL flush: a crash may lose the last few batches, but each
     * batch's rows and its cursor commit in one transaction, so a lost batch is simply redone and
     * no row is ever updated twice.
     */
    public void synchronousCommit(boolean on) throws SQLException {
        set(List.of("synchronous_commit", on ? saved.original("synchronous_commit") : "off"));
    }

    /** Sets the timeouts, skipping the round trip when they are already set. */
    public void timeouts(TimeoutPolicy.Timeouts t) throws SQLException {
        String l = t.lock().toMillis() + "ms";
        String s = t.statement().toMillis() + "ms";
        if (!l.equals(lockTimeout) || !s.equals(statementTimeout)) {
            set(List.of("lock_timeout", l, "statement_timeout", s));
            lockTimeout = l;
            statementTimeout = s;
        }
    }

    /**
     * Sets the timeouts for the open transaction only ({@code SET LOCAL}): they end with it, so
     * they can neither be lost nor leak into another client's transaction whatever sits between
     * Querk and the server.
     */
    public void localTimeouts(TimeoutPolicy.Timeouts t) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT set_config('lock_timeout', ?, true), set_config('statement_timeout', ?, true)")) {
            ps.setString(1, t.lock().toMillis() + "ms");
            ps.setString(2, t.statement().toMillis() + "ms");
            ps.executeQuery().close();
        }
    }

    /** Names the session in {@code pg_stat_activity}, so that a person or the testkit sees which step runs. */
    public void applicationName(String name) throws SQLException {
        if (!Objects.equals(name, applicationName)) {
            set(List.of("application_name", name));
            applicationName = name;
        }
    }

    private void set(List<String> pairs) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT 1");
        for (int i = 0; i < pairs.size(); i += 2) {
            sql.append(", set_config(?, ?, false)");
        }
        try (PreparedStatement ps = connection.prepareStatement(sql.toString())) {
            for (int i = 0; i < pairs.size(); i++) {
                ps.setString(i + 1, pairs.get(i));
            }
            ps.executeQuery().close();
        }
    }

    /** Runs a catalog probe. */
    public boolean probe(Probe probe) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(probe.sql())) {
            bind(ps, probe.params());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    /** Binds String, Integer, Long and List&lt;String&gt; (as text[]) parameters. */
    public void bind(PreparedStatement ps, List<Object> params) throws SQLException {
        for (int i = 0; i < params.size(); i++) {
            Object p = params.get(i);
            if (p instanceof List<?> list) {
                Array a = connection.createArrayOf("text", list.toArray());
                ps.setArray(i + 1, a);
            } else {
                ps.setObject(i + 1, p);
            }
        }
    }

    /**
     * Hands the connection back with its settings restored. A connection that cannot be restored
     * (its session was terminated, say) is closed all the same; the pool discards a broken one.
     */
    @Override
    public void close() {
        try {
            saved.restore(connection);
        } catch (SQLException ignored) {
            // Nothing to restore on a dead session; the error that killed it is the one reported.
        } finally {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // Same.
            }
        }
    }
}
