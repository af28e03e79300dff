package io.querk.jdbc.internal.guard;

import io.querk.internal.render.BackfillSql;
import io.querk.jdbc.RunnerLockException;
import io.querk.sql.QualifiedName;

import javax.sql.DataSource;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * The single-runner lock: a session-level advisory lock on a connection of its own that stays
 * outside any transaction. Outside a transaction, it holds no snapshot, so a
 * {@code CREATE INDEX CONCURRENTLY} run by the lock holder (or by anyone) never waits for it;
 * and it goes away with its session, so a crashed runner cannot leave it behind.
 *
 * <p>While the runner works, the same idle connection serves the blocker monitor, guarded by
 * {@link #withConnection}: one extra connection per run, not two.
 */
public final class RunnerLock implements AutoCloseable {

    private static final Duration FIRST_POLL = Duration.ofMillis(50);
    private static final Duration MAX_POLL = Duration.ofSeconds(1);

    private final Connection connection;
    private final long key;
    private final int pid;
    private final String originalApplicationName;
    private final ReentrantLock use = new ReentrantLock();

    private RunnerLock(Connection connection, long key, int pid, String originalApplicationName) {
        this.connection = connection;
        this.key = key;
        this.pid = pid;
        this.originalApplicationName = originalApplicationName;
    }

    /** @return the advisory lock key for a history table: a stable 64-bit hash of its name */
    public static long keyFor(QualifiedName historyTable) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256")
                    .digest(("querk-runner:" + historyTable.regclassText()).getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.wrap(d).getLong();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Takes the lock, polling until {@code timeout}.
     *
     * @param onWait told once, with the holder's description, if the lock is busy
     * @throws RunnerLockException if the lock stays busy past the timeout, or cannot be verified
     */
    public static RunnerLock acquire(DataSource ds, long key, Duration timeout, Consumer<String> onWait) {
        return take(ds, key, timeout, onWait, false);
    }

    /**
     * Takes the lock if it is free right now.
     *
     * @return the lock, or null if another session holds it
     */
    public static RunnerLock tryAcquire(DataSource ds, long key) {
        return take(ds, key, Duration.ZERO, holder -> { }, true);
    }

    /**
     * @param nullIfBusy return null, the connection handed back as it came, instead of failing
     *                   when the lock is still busy at the deadline
     */
    private static RunnerLock take(DataSource ds, long key, Duration timeout, Consumer<String> onWait,
                                   boolean nullIfBusy) {
        Connection c = null;
        try {
            c = ds.getConnection();
            String app = nameSession(c);
            long deadline = System.nanoTime() + timeout.toNanos();
            Duration poll = FIRST_POLL;
            boolean told = false;
            while (!tryLock(c, key)) {
                if (nullIfBusy && System.nanoTime() >= deadline) {
                    giveBackName(c, app);
                    c.close();
                    return null;
                }
                if (!told) {
                    onWait.accept(holder(c, key));
                    told = true;
                }
                if (System.nanoTime() + poll.toNanos() > deadline) {
                    throw new RunnerLockException("Another runner held the migration lock for longer than " + timeout
                            + " (" + holder(c, key) + "). Wait for it to finish, or raise runnerLockTimeout.", null);
                }
                Thread.sleep(poll.toMillis());
                poll = poll.multipliedBy(2).compareTo(MAX_POLL) > 0 ? MAX_POLL : poll.multipliedBy(2);
            }
            RunnerLock lock = new RunnerLock(c, key, WorkSession.pidOf(c), app);
            lock.verify();
            return lock;
        } catch (SQLException e) {
            closeQuietly(c);
            throw new RunnerLockException("Could not take the migration lock: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            closeQuietly(c);
            Thread.currentThread().interrupt();
            throw new RunnerLockException("Interrupted while waiting for the migration lock.", e);
        } catch (RuntimeException e) {
            closeQuietly(c);
            throw e;
        }
    }

    private static void giveBackName(Connection c, String app) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT set_config('application_name', ?, false)")) {
            ps.setString(1, app);
            ps.executeQuery().close();
        }
    }

    private void verify() {
        if (!stillHeld()) {
            String left = releaseWherever();
            close();
            throw new RunnerLockException("The migration lock was granted but is not held by this session on the"
                    + " next statement. The connection goes through a pooler in transaction mode (PgBouncer"
                    + " pool_mode=transaction, say), which breaks session-level locks and settings: give Querk a"
                    + " DataSource with direct or session-pooled connections. " + left, null);
        }
    }

    /**
     * After a grant that landed in a server session this connection no longer reaches: unlocks a
     * few times, since a pooler tends to hand back the server connection it released last, and
     * says whether the lock is still held somewhere.
     */
    private String releaseWherever() {
        try {
            for (int i = 0; i < 3; i++) {
                try (PreparedStatement ps = connection.prepareStatement("SELECT pg_advisory_unlock(?)")) {
                    ps.setLong(1, key);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (rs.next() && rs.getBoolean(1)) {
                            return "The lock was released again.";
                        }
                    }
                }
            }
            String holder = holder(connection, key);
            return holder.equals("holder not visible") ? "The lock is not held any more."
                    : "The lock is still " + holder + ": it goes when the pooler closes that server connection, or"
                    + " with pg_terminate_backend on that pid.";
        } catch (SQLException e) {
            return "Whether the lock is still held could not be checked: " + e.getMessage();
        }
    }

    /** Names the lock's session in pg_stat_activity; @return the name it had, to give back */
    private static String nameSession(Connection c) throws SQLException {
        c.setAutoCommit(true);
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT current_setting('application_name'), set_config('application_name', 'querk/runner-lock', false)");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static boolean tryLock(Connection c, long key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
            ps.setLong(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    private static String holder(Connection c, long key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT a.pid, a.application_name, a.client_addr::text,"
                + " now() - a.backend_start FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid"
                + " WHERE l.locktype = 'advisory' AND l.granted AND l.classid::bigint = ? AND l.objid::bigint = ? AND l.objsubid = 1")) {
            ps.setLong(1, key >>> 32);
            ps.setLong(2, key & 0xFFFFFFFFL);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return "holder not visible";
                }
                return "held by pid " + rs.getInt(1) + ", application '" + rs.getString(2) + "', client "
                        + rs.getString(3);
            }
        }
    }

    /** @return true if this session still holds the lock */
    public boolean stillHeld() {
        return withConnection(this::heldOn);
    }

    /**
     * Asks on any session whether the lock's session still holds it: the check made before each
     * change is committed, on the session making it, so that it costs no second connection.
     *
     * @return true if the lock's session still holds the lock
     */
    public boolean heldOn(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + BackfillSql.RUNNER_LOCK_HELD)) {
            bindHolder(ps, 1);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    /**
     * Binds the parameters of {@link BackfillSql#RUNNER_LOCK_HELD}: the lock's session and key.
     *
     * @return the next parameter index
     */
    public int bindHolder(PreparedStatement ps, int from) throws SQLException {
        ps.setInt(from, pid);
        ps.setLong(from + 1, key >>> 32);
        ps.setLong(from + 2, key & 0xFFFFFFFFL);
        return from + 3;
    }

    /**
     * @param before what the run was about to do, e.g. "the next batch of expand step 2 of 'x'"
     * @return the failure of a run that lost its lock
     */
    public RunnerLockException lost(String before) {
        return new RunnerLockException("The migration lock was lost before " + before + ": its session (pid " + pid
                + ") ended, and another runner may have taken over. This run stops so that two runners never work"
                + " at once; nothing of it was committed. Run migrate() again to resume where it stopped.", null);
    }

    /** Something to do with the lock's connection. */
    @FunctionalInterface
    public interface ConnectionWork<T> {
        /** @return the result */
        T run(Connection c) throws SQLException;
    }

    /**
     * Runs {@code work} on the lock's connection, one caller at a time. The work must not leave a
     * transaction open.
     */
    public <T> T withConnection(ConnectionWork<T> work) {
        use.lock();
        try {
            return work.run(connection);
        } catch (SQLException e) {
            throw new RunnerLockException("The migration lock's connection failed: " + e.getMessage()
                    + ". The run stops, since another runner may now take over; run again to resume.", e);
        } finally {
            use.unlock();
        }
    }

    /** Releases the lock and hands the connection back. */
    @Override
    public void close() {
        use.lock();
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT pg_advisory_unlock(?), set_config('application_name', ?, false)")) {
            ps.setLong(1, key);
            ps.setString(2, originalApplicationName);
            ps.executeQuery().close();
        } catch (SQLException ignored) {
            // The session may already be gone; its lock went with it.
        } finally {
            use.unlock();
            closeQuietly(connection);
        }
    }

    private static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // Nothing more to do with a connection that will not close.
            }
        }
    }
}
