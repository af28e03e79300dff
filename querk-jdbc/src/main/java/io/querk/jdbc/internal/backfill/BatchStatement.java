package io.querk.jdbc.internal.backfill;

import io.querk.internal.render.BackfillSql;
import io.querk.internal.step.Backfill;
import io.querk.jdbc.StepFailedException;
import io.querk.jdbc.internal.guard.Failures;
import io.querk.jdbc.internal.guard.GuardedExecutor;
import io.querk.jdbc.internal.guard.Retrier;
import io.querk.jdbc.internal.guard.RetryableFailure;
import io.querk.jdbc.internal.guard.TimeoutPolicy;
import io.querk.jdbc.internal.guard.WorkSession;
import io.querk.jdbc.internal.store.HistoryStore;
import io.querk.jdbc.internal.store.RangeRecord;
import io.querk.migration.StepRef;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One worker's batches: the batch statement ({@link BackfillSql#batch}) prepared once per shape
 * and kept for the whole walk, so that after the driver's first few executions the server runs
 * it as a named prepared statement without parsing or planning it again; each batch one round
 * trip, retried on lock timeouts under the guard's timeouts.
 */
final class BatchStatement implements RangeWalker.Batches, AutoCloseable {

    private final WorkSession session;
    private final GuardedExecutor guard;
    private final Retrier retrier;
    private final StepRef ref;
    private final Backfill step;
    private final BackfillSql.Key key;
    private final HistoryStore history;
    // Up to four shapes: with or without a lower bound (the first batch of the first range has
    // none), with or without an upper bound (the last range has none).
    private final Map<List<Boolean>, Prepared> prepared = new HashMap<>();

    private record Prepared(String sql, PreparedStatement statement) {
    }

    BatchStatement(WorkSession session, GuardedExecutor guard, Retrier retrier, StepRef ref, Backfill step,
                   BackfillSql.Key key, HistoryStore history) {
        this.session = session;
        this.guard = guard;
        this.retrier = retrier;
        this.ref = ref;
        this.step = step;
        this.key = key;
        this.history = history;
    }

    @Override
    public RangeWalker.Batch next(RangeRecord range, List<String> expected, boolean hasFrom, int size)
            throws SQLException {
        Prepared p = prepared(hasFrom, range.upper() != null);
        long t0 = System.nanoTime();
        Retrier.Result<RangeWalker.Batch> r = retrier.run(ref, attempt -> {
            TimeoutPolicy.Timeouts t = guard.timeouts().forAttempt(TimeoutPolicy.Kind.BLOCKS_APPLICATION, attempt);
            session.timeouts(t);
            return once(p.statement(), p.sql(), range.rangeNo(), expected, size, t.lock());
        });
        RangeWalker.Batch b = r.value();
        return new RangeWalker.Batch(b.cursor(), b.scanned(), b.updated(), Duration.ofNanos(System.nanoTime() - t0),
                r.attempts());
    }

    private Prepared prepared(boolean hasFrom, boolean hasUpper) throws SQLException {
        List<Boolean> shape = List.of(hasFrom, hasUpper);
        Prepared p = prepared.get(shape);
        if (p == null) {
            String sql = BackfillSql.batch(step, key, history.rangesTable(), hasFrom, hasUpper);
            p = new Prepared(sql, session.connection().prepareStatement(sql));
            prepared.put(shape, p);
        }
        return p;
    }

    private RangeWalker.Batch once(PreparedStatement ps, String sql, int rangeNo, List<String> expected, int size,
                                   Duration lockTimeout) throws SQLException, RetryableFailure {
        Connection c = session.connection();
        int i = 1;
        i = bindRangeRow(ps, i, rangeNo);
        if (expected == null) {
            ps.setNull(i++, Types.OTHER);
        } else {
            ps.setArray(i++, c.createArrayOf("text", expected.toArray()));
        }
        i = guard.runnerLock().bindHolder(ps, i);
        ps.setInt(i++, size);
        bindRangeRow(ps, i, rangeNo);
        try (var watch = guard.watch(session.backendPid(), ref, sql, lockTimeout)) {
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    Array a = rs.getArray(1);
                    return new RangeWalker.Batch(Arrays.asList((String[]) a.getArray()), rs.getLong(2), rs.getLong(3),
                            Duration.ZERO, 1);
                }
            } catch (SQLException e) {
                if (RetryableFailure.isRetryable(e)) {
                    throw new RetryableFailure(e, sql, watch.lastBlockers(), lockTimeout);
                }
                throw failure(e, sql);
            }
        }
        // No row: the range is walked, its cursor is not the one this run saved, or the lock is gone.
        if (!guard.runnerLock().heldOn(c)) {
            throw guard.runnerLock().lost("the next batch of " + ref);
        }
        List<String> now = currentCursor(c, rangeNo);
        if (!Objects.equals(now, expected)) {
            throw new StepFailedException("Backfill " + ref + ": the cursor of range " + rangeNo + " moved under"
                    + " this run (expected " + expected + ", found " + now + "). Another runner is working on it;"
                    + " this run stops.", ref, sql, null, null);
        }
        return new RangeWalker.Batch(null, 0, 0, Duration.ZERO, 1);
    }

    private int bindRangeRow(PreparedStatement ps, int from, int rangeNo) throws SQLException {
        ps.setString(from, ref.migrationId());
        ps.setString(from + 1, ref.phase().label());
        ps.setInt(from + 2, ref.number());
        ps.setInt(from + 3, rangeNo);
        return from + 4;
    }

    private List<String> currentCursor(Connection c, int rangeNo) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT cursor FROM " + history.rangesTable().sql()
                + " WHERE migration_id = ? AND phase = ? AND step_no = ? AND range_no = ?")) {
            bindRangeRow(ps, 1, rangeNo);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                Array a = rs.getArray(1);
                return a == null ? null : Arrays.asList((String[]) a.getArray());
            }
        }
    }

    private StepFailedException failure(SQLException e, String sql) {
        String advice = "57014".equals(e.getSQLState())
                ? " A batch ran past the statement timeout; make batches smaller (batchSize) or the expression cheaper."
                : "";
        return new StepFailedException(Failures.rootCause(e) + " Backfill " + ref + " failed on a batch." + advice
                + " The batches before it are committed; fix the cause and run again to resume.", ref, sql,
                e.getSQLState(), e);
    }

    @Override
    public void close() {
        for (Prepared p : prepared.values()) {
            try {
                p.statement().close();
            } catch (SQLException ignored) {
                // The session may be gone; closing it frees the statement anyway.
            }
        }
        prepared.clear();
    }
}
