package io.querk.jdbc.support;

import io.querk.testkit.postgres.TestDatabase;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A second session that holds a transaction open with whatever it ran, until closed: the
 * blocker of lock tests.
 */
public final class Held implements AutoCloseable {

    private final Connection connection;
    private final int pid;

    private Held(Connection connection, int pid) {
        this.connection = connection;
        this.pid = pid;
    }

    /** Opens a transaction and runs {@code sql} in it, keeping the transaction open. */
    public static Held transaction(TestDatabase db, String... sql) throws SQLException {
        return transaction(db.connect(), sql);
    }

    /** The same on a connection of {@code ds}. */
    public static Held transaction(javax.sql.DataSource ds, String... sql) throws SQLException {
        return transaction(ds.getConnection(), sql);
    }

    private static Held transaction(Connection c, String... sql) throws SQLException {
        c.setAutoCommit(false);
        int pid;
        try (Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
                rs.next();
                pid = rs.getInt(1);
            }
            for (String q : sql) {
                s.execute(q);
            }
        }
        return new Held(c, pid);
    }

    public int pid() {
        return pid;
    }

    /** Ends the transaction (rolling back) and the session. */
    @Override
    public void close() throws SQLException {
        try {
            connection.rollback();
        } finally {
            connection.close();
        }
    }
}
