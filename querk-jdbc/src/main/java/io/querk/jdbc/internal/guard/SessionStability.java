package io.querk.jdbc.internal.guard;

import io.querk.jdbc.UnstableSessionException;

import javax.sql.DataSource;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Proves, before a run takes its lock or changes anything, that the work session is one stable
 * server session. A pooler in transaction mode (PgBouncer {@code pool_mode=transaction}, and the
 * like) hands each transaction to whichever server connection is free: a session-level advisory
 * lock then stays behind in a server session another client gets, and a {@code lock_timeout}
 * set on one transaction is gone on the next, so an {@code ALTER} may wait without bound.
 *
 * <p>The probe marks the work session with a token and asks a second connection, inside an open
 * transaction, what it sees. Poolers reuse the server connection released last first (PgBouncer
 * does by default), so on a quiet pool the second connection lands on the marked server session
 * and sees the token; on a busy pool the work session's own next transaction lands elsewhere and
 * no longer sees it, or reports another backend. Either means the session is not stable. A few
 * rounds make a miss on a busy pool unlikely; a direct or session-pooled connection passes every
 * round, at the cost of a handful of round trips per run.
 */
public final class SessionStability {

    /** Rounds of the probe. */
    static final int ROUNDS = 3;
    private static final String MARK = "querk.session_probe";
    private static final SecureRandom RANDOM = new SecureRandom();

    private SessionStability() {
    }

    /**
     * @param ds   where the work session came from, for the second connection
     * @param work the run's work session
     * @throws UnstableSessionException if the connections are not stable sessions
     * @throws SQLException             on a database error
     */
    public static void require(DataSource ds, WorkSession work) throws SQLException {
        Connection a = work.connection();
        List<String> evidence = new ArrayList<>();
        try (Connection b = ds.getConnection()) {
            boolean autoCommit = b.getAutoCommit();
            try {
                for (int round = 1; round <= ROUNDS && evidence.isEmpty(); round++) {
                    String token = Long.toUnsignedString(RANDOM.nextLong(), 36);
                    Seen marked = ask(a, "SELECT set_config('" + MARK + "', '" + token + "', false), pg_backend_pid()");
                    b.setAutoCommit(false);
                    Seen other = ask(b, "SELECT current_setting('" + MARK + "', true), pg_backend_pid()");
                    // The second connection holds its server connection in the open transaction.
                    Seen again = ask(a, "SELECT current_setting('" + MARK + "', true), pg_backend_pid()");
                    b.rollback();
                    b.setAutoCommit(true);
                    if (token.equals(other.value()) || other.pid() == marked.pid()) {
                        evidence.add("a second connection saw the first one's session (server pid " + other.pid() + ")");
                    }
                    if (!token.equals(again.value()) || again.pid() != marked.pid()) {
                        evidence.add("the first connection's next transaction ran in another server session (pid "
                                + marked.pid() + ", then " + again.pid() + ")");
                    }
                    if (work.backendPid() != marked.pid()) {
                        evidence.add("the session's server pid changed since it was opened (" + work.backendPid()
                                + ", now " + marked.pid() + ")");
                    }
                }
            } finally {
                if (!b.getAutoCommit()) {
                    b.rollback();
                }
                b.setAutoCommit(autoCommit);
            }
        }
        if (evidence.isEmpty()) {
            ask(a, "SELECT set_config('" + MARK + "', '', false), pg_backend_pid()");
            return;
        }
        throw new UnstableSessionException("The connections Querk was given are not stable database sessions: "
                + String.join("; ", evidence) + ". A pooler in transaction mode (PgBouncer pool_mode=transaction, for"
                + " one) hands each transaction to another server session, which breaks the runner lock and the lock"
                + " timeouts that keep a migration from blocking the application. Give Querk a DataSource with direct"
                + " connections, or a session-pooled URL, for migrations (for PgBouncer, a [databases] entry with"
                + " pool_mode=session). Nothing was changed and no lock was taken.");
    }

    private record Seen(String value, int pid) {
    }

    private static Seen ask(Connection c, String sql) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return new Seen(rs.getString(1), rs.getInt(2));
        }
    }
}
