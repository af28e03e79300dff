package io.querk.jdbc.plan;

import io.querk.plan.LockMode;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Observes the table locks a statement really takes, from pg_locks.
 *
 * <p>A statement that can run in a transaction is run in one, and the locks its session holds
 * are read before the transaction ends: every lock it took is still held then, so the strongest
 * mode per relation is exact.
 *
 * <p>A statement that must run alone (CONCURRENTLY, VACUUM) commits as it goes, so it is watched
 * from outside instead, and made to wait where its locks can be seen: a blocker session holds
 * SHARE UPDATE EXCLUSIVE on each table it is predicted to lock, and pg_locks shows the mode the
 * statement asks for while it waits; the blocker then lets it through. SHARE UPDATE EXCLUSIVE,
 * not ACCESS EXCLUSIVE, because VACUUM first looks the table up under ACCESS SHARE and only
 * then asks for its real lock: the weaker blocker lets the look-up through and stops the real
 * request. Every statement that must run alone locks at SHARE UPDATE EXCLUSIVE or stronger. An index cannot be
 * locked with LOCK TABLE, so for an index the blocker holds ROW EXCLUSIVE on the index's table
 * instead, which the CONCURRENTLY forms wait out after taking their locks: the locks they hold
 * while they wait are the ones read.
 */
final class LockObserver {

    private static final Duration GIVE_UP = Duration.ofSeconds(60);

    private final Callable<Connection> connect;

    /** @param connect opens a new autocommit session on the database under test */
    LockObserver(Callable<Connection> connect) {
        this.connect = connect;
    }

    /** @return the relation's OID, or null if no such relation exists now */
    static Long oid(Connection c, String relationAsWritten) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT to_regclass(?)::oid")) {
            ps.setString(1, relationAsWritten);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                long v = rs.getLong(1);
                return rs.wasNull() ? null : v;
            }
        }
    }

    /** @return pg_class.relkind of the relation */
    static String relkind(Connection c, long oid) throws SQLException {
        return single(c, "SELECT relkind::text FROM pg_class WHERE oid = ?", oid);
    }

    /** @return the relation's file node, or null for a relation without storage of its own (view, partitioned table, index) */
    static Long relfilenode(Connection c, long oid) throws SQLException {
        String v = single(c, "SELECT CASE WHEN relkind IN ('r', 'm', 't') THEN relfilenode::text END FROM pg_class"
                + " WHERE oid = ?", oid);
        return v == null ? null : Long.valueOf(v);
    }

    private static String single(Connection c, String sql, long oid) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, oid);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    /** @return the strongest granted relation lock per OID that the session of {@code c} holds */
    static Map<Long, LockMode> ownLocks(Connection c) throws SQLException {
        Map<Long, LockMode> out = new HashMap<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT relation, mode FROM pg_locks"
                + " WHERE pid = pg_backend_pid() AND locktype = 'relation' AND granted"
                + " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())")) {
            while (rs.next()) {
                merge(out, rs.getLong(1), LockMode.of(rs.getString(2)));
            }
        }
        return out;
    }

    private static void merge(Map<Long, LockMode> into, long oid, LockMode mode) {
        into.merge(oid, mode, (a, b) -> a.compareTo(b) >= 0 ? a : b);
    }

    /**
     * Runs statements in one transaction on {@code c} and reads the session's locks before it ends.
     *
     * @param commit true to keep the effect, false to roll it back
     */
    static Map<Long, LockMode> inTransaction(Connection c, List<String> statements, boolean commit) throws SQLException {
        c.setAutoCommit(false);
        try {
            try (Statement s = c.createStatement()) {
                for (String sql : statements) {
                    s.execute(sql);
                }
            }
            Map<Long, LockMode> held = ownLocks(c);
            if (commit) {
                c.commit();
            }
            return held;
        } finally {
            if (!commit) {
                c.rollback();
            }
            c.setAutoCommit(true);
        }
    }

    /**
     * Runs a statement that cannot run in a transaction block from a session of its own and
     * watches the locks it takes on the given relations.
     *
     * @param relations the OIDs the statement is predicted to lock
     * @return the strongest mode seen per OID; a relation it never locked is absent
     */
    Map<Long, LockMode> alone(String statement, List<Long> relations) throws Exception {
        try (Connection admin = connect.call()) {
            Map<Long, String> kinds = new LinkedHashMap<>();
            for (long oid : relations) {
                kinds.put(oid, relkind(admin, oid));
            }
            boolean viaIndex = kinds.values().stream().anyMatch(k -> k.equals("i") || k.equals("I"));
            Map<Long, Connection> blockers = new LinkedHashMap<>();
            try {
                for (Map.Entry<Long, String> e : kinds.entrySet()) {
                    if (viaIndex) {
                        long table = e.getValue().startsWith("i") || e.getValue().startsWith("I")
                                ? Long.parseLong(single(admin, "SELECT indrelid::text FROM pg_index WHERE indexrelid = ?",
                                e.getKey())) : e.getKey();
                        if (!blockers.containsKey(table)) {
                            blockers.put(table, block(admin, table, "ROW EXCLUSIVE"));
                        }
                    } else {
                        blockers.put(e.getKey(), block(admin, e.getKey(), "SHARE UPDATE EXCLUSIVE"));
                    }
                }
                return viaIndex ? watchWhileWaiting(admin, statement, blockers)
                        : watchRequests(admin, statement, blockers);
            } finally {
                for (Connection b : blockers.values()) {
                    release(b);
                }
            }
        }
    }

    private Connection block(Connection admin, long oid, String mode) throws Exception {
        String name = single(admin, "SELECT oid::regclass::text FROM pg_class WHERE oid = ?", oid);
        Connection b = connect.call();
        b.setAutoCommit(false);
        try (Statement s = b.createStatement()) {
            s.execute("LOCK TABLE ONLY " + name + " IN " + mode + " MODE");
        }
        return b;
    }

    private static void release(Connection b) throws SQLException {
        if (!b.isClosed()) {
            b.commit();
            b.close();
        }
    }

    /** Records the mode of each lock request the statement waits on, and lets it through. */
    private Map<Long, LockMode> watchRequests(Connection admin, String statement, Map<Long, Connection> blockers)
            throws Exception {
        Map<Long, LockMode> seen = new HashMap<>();
        Running run = start(statement);
        try (PreparedStatement waiting = admin.prepareStatement("SELECT relation, mode FROM pg_locks WHERE pid = ?"
                + " AND NOT granted AND locktype = 'relation'")) {
            waiting.setInt(1, run.pid);
            long deadline = System.nanoTime() + GIVE_UP.toNanos();
            while (!run.done()) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("'" + statement + "' neither finished nor waited within " + GIVE_UP);
                }
                try (ResultSet rs = waiting.executeQuery()) {
                    while (rs.next()) {
                        long oid = rs.getLong(1);
                        merge(seen, oid, LockMode.of(rs.getString(2)));
                        Connection b = blockers.get(oid);
                        if (b != null) {
                            release(b);
                        }
                    }
                }
                java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
            }
        }
        run.rethrow();
        return seen;
    }

    /** Waits until the statement waits on anything, then reads the locks it holds meanwhile. */
    private Map<Long, LockMode> watchWhileWaiting(Connection admin, String statement, Map<Long, Connection> blockers)
            throws Exception {
        Map<Long, LockMode> seen = new HashMap<>();
        Running run = start(statement);
        try (PreparedStatement waiting = admin.prepareStatement("SELECT count(*) FROM pg_locks WHERE pid = ? AND NOT granted");
             PreparedStatement held = admin.prepareStatement("SELECT relation, mode FROM pg_locks WHERE pid = ?"
                     + " AND granted AND locktype = 'relation'")) {
            waiting.setInt(1, run.pid);
            held.setInt(1, run.pid);
            long deadline = System.nanoTime() + GIVE_UP.toNanos();
            while (!run.done()) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("'" + statement + "' neither finished nor waited within " + GIVE_UP);
                }
                boolean isWaiting;
                try (ResultSet rs = waiting.executeQuery()) {
                    rs.next();
                    isWaiting = rs.getLong(1) > 0;
                }
                if (isWaiting) {
                    try (ResultSet rs = held.executeQuery()) {
                        while (rs.next()) {
                            merge(seen, rs.getLong(1), LockMode.of(rs.getString(2)));
                        }
                    }
                    for (Connection b : blockers.values()) {
                        release(b);
                    }
                }
                java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
            }
        }
        run.rethrow();
        return seen;
    }

    private Running start(String statement) throws Exception {
        Connection c = connect.call();
        int pid;
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
            rs.next();
            pid = rs.getInt(1);
        }
        Running run = new Running(pid);
        Thread t = new Thread(() -> {
            try (c; Statement s = c.createStatement()) {
                s.execute(statement);
            } catch (SQLException e) {
                run.failure.set(e);
            }
        }, "lock-observer-statement");
        run.thread = t;
        t.start();
        return run;
    }

    private static final class Running {
        final int pid;
        final AtomicReference<SQLException> failure = new AtomicReference<>();
        Thread thread;

        Running(int pid) {
            this.pid = pid;
        }

        boolean done() {
            return !thread.isAlive();
        }

        void rethrow() throws SQLException {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (failure.get() != null) {
                throw failure.get();
            }
        }
    }

    /** @return the OIDs of the relations, in order, null where a relation does not exist */
    static List<Long> oids(Connection c, List<String> relationsAsWritten) throws SQLException {
        List<Long> out = new ArrayList<>();
        for (String r : relationsAsWritten) {
            out.add(oid(c, r));
        }
        return out;
    }
}
