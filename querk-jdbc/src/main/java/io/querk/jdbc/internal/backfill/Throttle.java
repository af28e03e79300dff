package io.querk.jdbc.internal.backfill;

import io.querk.jdbc.BackfillSettings;
import io.querk.jdbc.event.BackfillPaused;
import io.querk.sql.QualifiedName;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Optional;

/**
 * Looks at the database between batches and says whether the backfill should hold off, and
 * why: dead tuples piling up on its table, another vacuum working on it, a standby falling
 * behind. One query, at most once per check interval, so that a fast backfill does not pay a
 * round trip per batch for it. The reading ({@link #read}) is kept apart from the judgement
 * ({@link #assess}), which is pure.
 */
final class Throttle {

    /** What is wrong, of which kind, and whether vacuuming the table ourselves is the cure. */
    record Stress(String reason, BackfillPaused.Cause cause, boolean vacuumCures) {
    }

    /**
     * What the statistics say now.
     *
     * @param dead     dead tuples on the table
     * @param live     live tuples on the table
     * @param vacuums  vacuums of the table running in other sessions than ours
     * @param lagBytes the largest replay lag of a standby, in bytes of WAL
     * @param laggards the standbys behind the limit, for the message
     */
    record Reading(long dead, long live, long vacuums, long lagBytes, String laggards) {
    }

    private static final String QUERY = "SELECT"
            + " (SELECT n_dead_tup FROM pg_stat_user_tables WHERE relid = to_regclass(?)),"
            + " (SELECT n_live_tup FROM pg_stat_user_tables WHERE relid = to_regclass(?)),"
            + " (SELECT count(*) FROM pg_stat_progress_vacuum WHERE relid = to_regclass(?) AND pid <> pg_backend_pid()"
            + "   AND pid <> ?),"
            + " (SELECT max(pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn))::bigint FROM pg_stat_replication"
            + "   WHERE replay_lsn IS NOT NULL),"
            + " (SELECT string_agg(coalesce(application_name, '') || '@' || coalesce(client_addr::text, 'local'), ', ')"
            + "   FROM pg_stat_replication WHERE pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn) > ?)";

    private final BackfillSettings settings;
    private final QualifiedName table;
    private long lastCheck;

    Throttle(BackfillSettings settings, QualifiedName table) {
        this.settings = settings;
        this.table = table;
    }

    static String bytes(long b) {
        if (b < 10 * 1024) {
            return b + " bytes";
        }
        if (b < 10L * 1024 * 1024) {
            return (b >> 10) + " kB";
        }
        return (b >> 20) + " MB";
    }

    /** @return true if a check is due (the interval has passed since the last one) */
    synchronized boolean due() {
        return System.nanoTime() - lastCheck >= settings.throttleCheckInterval().toNanos();
    }

    /**
     * Reads the statistics and judges them.
     *
     * @param ownDead      the dead tuples this backfill itself made since its last vacuum: exact and
     *                     immediate, where the statistics lag by up to a second
     * @param ownVacuumPid the backend running our own VACUUM, or 0; it is not someone else's vacuum
     * @return the stress the database is under, if any is above its limit
     */
    synchronized Optional<Stress> check(Connection c, long ownDead, int ownVacuumPid) throws SQLException {
        lastCheck = System.nanoTime();
        return assess(read(c, ownVacuumPid), ownDead, settings, table);
    }

    private Reading read(Connection c, int ownVacuumPid) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(QUERY)) {
            String t = table.regclassText();
            ps.setString(1, t);
            ps.setString(2, t);
            ps.setString(3, t);
            ps.setInt(4, ownVacuumPid);
            ps.setLong(5, settings.maxReplicationLagBytes());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new Reading(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getString(5));
            }
        }
    }

    /**
     * @return the first stress above its limit, in the order: someone else's vacuum, dead tuples,
     *         replication lag; empty when the database is fine
     */
    static Optional<Stress> assess(Reading r, long ownDead, BackfillSettings settings, QualifiedName table) {
        if (settings.pauseWhileVacuumRuns() && r.vacuums() > 0) {
            return Optional.of(new Stress("a vacuum is running on " + table.sql(), BackfillPaused.Cause.VACUUM_RUNNING,
                    false));
        }
        long dead = Math.max(r.dead(), ownDead);
        double ratio = dead + r.live() == 0 ? 0 : (double) dead / (dead + r.live());
        if (ratio > settings.maxDeadTupleRatio()) {
            return Optional.of(new Stress(String.format(Locale.ROOT,
                    "dead tuples are %.0f%% of %s (%d dead, %d live), above the %.0f%% limit", ratio * 100,
                    table.sql(), dead, r.live(), settings.maxDeadTupleRatio() * 100), BackfillPaused.Cause.DEAD_TUPLES,
                    settings.vacuum()));
        }
        if (settings.maxReplicationLagBytes() > 0 && r.lagBytes() > settings.maxReplicationLagBytes()) {
            return Optional.of(new Stress("standby " + r.laggards() + " is " + bytes(r.lagBytes())
                    + " of WAL behind, above the " + bytes(settings.maxReplicationLagBytes()) + " limit",
                    BackfillPaused.Cause.REPLICATION_LAG, false));
        }
        return Optional.empty();
    }
}
