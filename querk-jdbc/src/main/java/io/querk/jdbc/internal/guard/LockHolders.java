package io.querk.jdbc.internal.guard;

import io.querk.internal.render.RelationLock;
import io.querk.jdbc.Blocker;
import io.querk.plan.LockMode;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * After the fact: the sessions that hold a lock conflicting with one a statement needed. Used
 * when a lock timeout came before the {@link BlockerMonitor} had a chance to look.
 */
public final class LockHolders {

    private LockHolders() {
    }

    /** @return the sessions other than {@code self} holding locks that conflict with {@code wanted} */
    public static List<Blocker> of(Connection c, List<RelationLock> wanted, int self) throws SQLException {
        List<Blocker> out = new ArrayList<>();
        Set<Integer> seen = new LinkedHashSet<>();
        for (RelationLock w : wanted) {
            List<String> conflicting = new ArrayList<>();
            for (LockMode m : LockMode.values()) {
                if (w.mode().conflictsWith(m)) {
                    conflicting.add(m.pgName());
                }
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT DISTINCT " + BlockerRows.COLUMNS
                    + " FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid"
                    + " WHERE l.granted AND l.locktype = 'relation' AND l.relation = to_regclass(?)"
                    + " AND l.pid <> ? AND l.mode = ANY (?)")) {
                ps.setString(1, w.relation());
                ps.setInt(2, self);
                Array modes = c.createArrayOf("text", conflicting.toArray());
                ps.setArray(3, modes);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        if (seen.add(rs.getInt(1))) {
                            out.add(BlockerRows.read(rs));
                        }
                    }
                }
            }
        }
        return out;
    }
}
