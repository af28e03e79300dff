package io.querk.jdbc.internal.guard;

import io.querk.jdbc.event.LocksHeld;
import io.querk.plan.LockMode;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the relation locks the connection's own backend holds, inside its open transaction. Under a
 * savepoint: if the read fails (a catalog locked away, a statement timeout), the transaction goes
 * on as if it had not been tried, and the capture is simply missing.
 */
final class HeldLocks {

    private static final String QUERY = "SELECT l.relation::bigint, n.nspname, c.relname, l.mode FROM pg_locks l"
            + " JOIN pg_class c ON c.oid = l.relation JOIN pg_namespace n ON n.oid = c.relnamespace"
            + " WHERE l.locktype = 'relation' AND l.pid = pg_backend_pid() AND l.granted"
            + " AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())"
            + " ORDER BY n.nspname, c.relname, l.mode";

    private HeldLocks() {
    }

    /** @return the locks held, or null if they could not be read */
    static List<LocksHeld.Lock> read(Connection c) {
        Savepoint sp;
        try {
            sp = c.setSavepoint();
        } catch (SQLException e) {
            return null;
        }
        try {
            List<LocksHeld.Lock> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(QUERY); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    LockMode mode = LockMode.of(rs.getString(4));
                    // The query's own footprint: ACCESS SHARE on the catalogs it reads.
                    if (mode == LockMode.ACCESS_SHARE && rs.getString(2).equals("pg_catalog")) {
                        continue;
                    }
                    out.add(new LocksHeld.Lock(rs.getLong(1), rs.getString(2), rs.getString(3), mode));
                }
            }
            c.releaseSavepoint(sp);
            return out;
        } catch (SQLException | RuntimeException e) {
            try {
                c.rollback(sp);
            } catch (SQLException ignored) {
                // The transaction's own commit or rollback reports a broken connection.
            }
            return null;
        }
    }
}
