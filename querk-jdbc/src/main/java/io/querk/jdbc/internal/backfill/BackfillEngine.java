package io.querk.jdbc.internal.backfill;

import io.querk.internal.step.Assignment;
import io.querk.internal.step.Backfill;
import io.querk.internal.step.BackfillTuning;
import io.querk.jdbc.BackfillSettings;
import io.querk.jdbc.StepFailedException;
import io.querk.jdbc.StepRef;
import io.querk.jdbc.event.BackfillProgress;
import io.querk.jdbc.event.BackfillResized;
import io.querk.jdbc.internal.event.EventBus;
import io.querk.jdbc.internal.guard.GuardedExecutor;
import io.querk.jdbc.internal.history.HistoryStore;
import io.querk.jdbc.internal.history.StepRecord;
import io.querk.jdbc.internal.retry.Retrier;
import io.querk.jdbc.internal.retry.RetryableFailure;
import io.querk.jdbc.internal.session.WorkSession;
import io.querk.sql.Identifier;
import io.querk.sql.QualifiedName;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The backfill engine: walks a table by key in batches, each batch one statement that updates
 * its rows and moves the cursor in the history table, so that the update and the checkpoint
 * commit together and every row is updated exactly once, whatever happens between batches.
 *
 * <p>One batch is a single round trip:
 * <pre>
 * WITH cur     AS (the step's history row, if its cursor is still ours, FOR UPDATE),
 *      batch   AS (the next N keys after the cursor),
 *      last    AS (the greatest of them),
 *      updated AS (UPDATE the rows in (cursor, last] RETURNING 1)
 * UPDATE history SET cursor = last, counts += ... RETURNING ...
 * </pre>
 * The update ranges over the key interval rather than joining the batch, so that the planner
 * always walks the key's index; the batch CTE and the update share one snapshot, so the interval
 * holds exactly the batch's rows. A row another transaction updates meanwhile is waited for
 * (under the lock timeout) and then updated from its new version: never stale.
 */
public final class BackfillEngine {

    private static final Pattern PLAN_ROWS = Pattern.compile("\"Plan Rows\":\\s*(\\d+)");

    private final GuardedExecutor guard;
    private final Retrier retrier;
    private final EventBus events;
    private final HistoryStore history;
    private final BackfillSettings defaults;
    private final Duration statementTimeout;

    /** Made once per run. */
    public BackfillEngine(GuardedExecutor guard, Retrier retrier, EventBus events, HistoryStore history,
                          BackfillSettings defaults, Duration statementTimeout) {
        this.guard = guard;
        this.retrier = retrier;
        this.events = events;
        this.history = history;
        this.defaults = defaults;
        this.statementTimeout = statementTimeout;
    }

    /** What a backfill did in this run; {@code attempts} is 1 plus the batches retried. */
    public record Outcome(long rowsUpdated, int attempts) {
    }

    /**
     * Runs (or resumes) a backfill to its end.
     *
     * @param record its history row, with the cursor of an earlier run
     */
    public Outcome run(StepRef ref, Backfill step, StepRecord record) throws SQLException {
        WorkSession s = guard.session();
        Connection c = s.connection();
        s.timeouts(retrier.baseLockTimeout(), statementTimeout);
        s.applicationName(GuardedExecutor.applicationName(ref));
        TableKey key = resolveKey(c, ref, step.target());
        checkAssignments(c, ref, step, key);
        long estimate = estimate(c, step.target());
        history.estimate(c, ref, estimate);

        Pacing pacing = new Pacing(step.tuning(), defaults);
        String first = batchSql(step, key, true);
        String next = batchSql(step, key, false);
        List<String> cursor = record == null ? null : record.cursor();
        long updatedBefore = record == null ? 0 : record.rowsUpdated();
        long scannedBefore = record == null ? 0 : record.rowsScanned();
        long updated = 0;
        long scanned = 0;
        int retries = 0;
        long startNanos = System.nanoTime();
        long lastReport = startNanos;
        while (true) {
            final List<String> from = cursor;
            final int size = pacing.batchSize;
            long t0 = System.nanoTime();
            Retrier.Result<BatchResult> r = retrier.run(ref, (attempt, lockTimeout) -> {
                s.timeouts(lockTimeout, statementTimeout);
                return batch(ref, from == null ? first : next, from, size, lockTimeout);
            });
            retries += r.attempts() - 1;
            Duration took = Duration.ofNanos(System.nanoTime() - t0);
            BatchResult b = r.value();
            updated += b.updated;
            scanned += b.scanned;
            boolean done = b.scanned < size;
            if (b.cursor != null) {
                cursor = b.cursor;
            }
            long now = System.nanoTime();
            if (done || now - lastReport >= pacing.progressInterval.toNanos()) {
                lastReport = now;
                progress(ref, updatedBefore + updated, scannedBefore + scanned, estimate, scanned, now - startNanos,
                        pacing.batchSize);
            }
            if (done) {
                return new Outcome(updated, 1 + retries);
            }
            pacing.adapt(ref, took, events);
            sleep(pacing.pause, ref);
        }
    }

    private void progress(StepRef ref, long updated, long scanned, long estimate, long scannedThisRun, long nanos,
                          int batchSize) {
        double seconds = nanos / 1e9;
        double rate = seconds > 0 ? scannedThisRun / seconds : 0;
        Duration eta = estimate > 0 && rate > 0 && scanned < estimate
                ? Duration.ofMillis((long) ((estimate - scanned) / rate * 1000)) : null;
        events.publish(new BackfillProgress(Instant.now(), ref, updated, scanned, estimate, rate, eta, batchSize));
    }

    private static void sleep(Duration d, StepRef ref) {
        if (d.isZero()) {
            return;
        }
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StepFailedException("Backfill " + ref + " was interrupted; its cursor is saved, run again to resume.",
                    ref, null, null, e);
        }
    }

    private record BatchResult(List<String> cursor, long scanned, long updated) {
    }

    private BatchResult batch(StepRef ref, String sql, List<String> from, int size, Duration lockTimeout)
            throws SQLException, RetryableFailure {
        Connection c = guard.session().connection();
        try (var watch = guard.watch(ref, sql, lockTimeout);
             PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            ps.setString(i++, ref.migrationId());
            ps.setString(i++, ref.phase().label());
            ps.setInt(i++, ref.number());
            if (from == null) {
                ps.setNull(i++, Types.OTHER);
            } else {
                ps.setArray(i++, c.createArrayOf("text", from.toArray()));
            }
            ps.setInt(i++, size);
            ps.setString(i++, ref.migrationId());
            ps.setString(i++, ref.phase().label());
            ps.setInt(i, ref.number());
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    Array a = rs.getArray(1);
                    return new BatchResult(Arrays.asList((String[]) a.getArray()), rs.getLong(2), rs.getLong(3));
                }
            } catch (SQLException e) {
                if (RetryableFailure.isRetryable(e)) {
                    throw new RetryableFailure(e, sql, watch.lastBlockers());
                }
                throw failure(ref, e, sql);
            }
        }
        // No row: either the walk is over, or the cursor is not the one this run saved.
        List<String> now = currentCursor(c, ref);
        if (!Objects.equals(now, from)) {
            throw new StepFailedException("Backfill " + ref + ": the cursor in the history table moved under this run"
                    + " (expected " + from + ", found " + now + "). Another runner is working on it; this run stops.",
                    ref, sql, null, null);
        }
        return new BatchResult(null, 0, 0);
    }

    private List<String> currentCursor(Connection c, StepRef ref) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT cursor FROM " + history.stepsTable().sql()
                + " WHERE migration_id = ? AND phase = ? AND step_no = ?")) {
            ps.setString(1, ref.migrationId());
            ps.setString(2, ref.phase().label());
            ps.setInt(3, ref.number());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                Array a = rs.getArray(1);
                return a == null ? null : Arrays.asList((String[]) a.getArray());
            }
        }
    }

    private StepFailedException failure(StepRef ref, SQLException e, String sql) {
        String why = "57014".equals(e.getSQLState())
                ? "a batch ran past the statement timeout; make batches smaller (batchSize) or the expression cheaper"
                : e.getMessage();
        return new StepFailedException("Backfill " + ref + " failed: " + why + " (SQLSTATE " + e.getSQLState()
                + "). The batches before it are committed; fix the cause and run again to resume.", ref, sql,
                e.getSQLState(), e);
    }

    String batchSql(Backfill step, TableKey key, boolean first) {
        String t = step.target().sql();
        String set = step.assignments().stream().map(Assignment::sql).collect(Collectors.joining(", "));
        String lower = first ? "" : key.row() + " > " + key.cursorRow() + " AND ";
        String where = step.where() == null ? "" : " AND (" + step.where() + ")";
        return "WITH cur AS (\n"
                + "    SELECT cursor FROM " + history.stepsTable().sql()
                + " WHERE migration_id = ? AND phase = ? AND step_no = ? AND cursor IS NOT DISTINCT FROM CAST(? AS text[])"
                + " FOR UPDATE\n"
                + "), batch AS (\n"
                + "    SELECT " + key.list() + " FROM " + t + " WHERE " + lower + "EXISTS (SELECT 1 FROM cur)"
                + " ORDER BY " + key.list() + " LIMIT ?\n"
                + "), last AS (\n"
                + "    SELECT " + key.list() + " FROM batch ORDER BY " + key.listDescending() + " LIMIT 1\n"
                + "), updated AS (\n"
                + "    UPDATE " + t + " SET " + set + " WHERE " + lower + key.row() + " <= " + key.lastRow() + where
                + " RETURNING 1\n"
                + ")\n"
                + "UPDATE " + history.stepsTable().sql() + " AS h SET cursor = (SELECT " + key.asTextArray() + " FROM last),"
                + " rows_updated = h.rows_updated + (SELECT count(*) FROM updated),"
                + " rows_scanned = h.rows_scanned + (SELECT count(*) FROM batch)\n"
                + "WHERE h.migration_id = ? AND h.phase = ? AND h.step_no = ? AND EXISTS (SELECT 1 FROM last)\n"
                + "RETURNING h.cursor, (SELECT count(*) FROM batch), (SELECT count(*) FROM updated)";
    }

    private TableKey resolveKey(Connection c, StepRef ref, QualifiedName table) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            ps.setString(1, table.regclassText());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                if (!rs.getBoolean(1)) {
                    throw new StepFailedException("Backfill " + ref + ": table " + table.sql() + " does not exist.",
                            ref, null, null, null);
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT i.indisprimary,"
                + " array_agg(a.attname::text ORDER BY k.ord), array_agg(format_type(a.atttypid, a.atttypmod) ORDER BY k.ord)"
                + " FROM pg_index i CROSS JOIN LATERAL unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)"
                + " JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum"
                + " WHERE i.indrelid = to_regclass(?) AND i.indisunique AND i.indisvalid AND i.indimmediate"
                + " AND i.indpred IS NULL AND k.ord <= i.indnkeyatts AND NOT (0 = ANY (i.indkey::int2[]))"
                + " GROUP BY i.indexrelid, i.indisprimary HAVING bool_and(a.attnotnull)"
                + " ORDER BY i.indisprimary DESC, count(*), i.indexrelid LIMIT 1")) {
            ps.setString(1, table.regclassText());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new StepFailedException("Backfill " + ref + ": table " + table.sql() + " has no primary key and"
                            + " no unique, NOT NULL, non-partial key to walk it by. Add one first (addPrimaryKey or"
                            + " addUnique in an earlier expand) so that each batch can pick up where the last stopped.",
                            ref, null, null, null);
                }
                List<Identifier> cols = new ArrayList<>();
                for (String n : (String[]) rs.getArray(2).getArray()) {
                    cols.add(Identifier.of(n));
                }
                return new TableKey(cols, Arrays.asList((String[]) rs.getArray(3).getArray()), rs.getBoolean(1));
            }
        }
    }

    private void checkAssignments(Connection c, StepRef ref, Backfill step, TableKey key) throws SQLException {
        for (Assignment a : step.assignments()) {
            if (key.columns().contains(a.column())) {
                throw new StepFailedException("Backfill " + ref + " sets " + a.column().sql() + ", a column of the key it"
                        + " walks the table by; a backfill must not change its own key.", ref, null, null, null);
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid ="
                    + " to_regclass(?) AND attname = ? AND attnum > 0 AND NOT attisdropped)")) {
                ps.setString(1, step.target().regclassText());
                ps.setString(2, a.column().name());
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    if (!rs.getBoolean(1)) {
                        throw new StepFailedException("Backfill " + ref + " sets column " + a.column().sql()
                                + ", which table " + step.target().sql() + " does not have.", ref, null, null, null);
                    }
                }
            }
        }
        // EXPLAIN parses, resolves and plans without touching a row: unknown columns or functions
        // and type mismatches surface here, before the first batch.
        String probe = "EXPLAIN UPDATE " + step.target().sql() + " SET "
                + step.assignments().stream().map(Assignment::sql).collect(Collectors.joining(", "))
                + (step.where() == null ? "" : " WHERE (" + step.where() + ")");
        try (Statement s = c.createStatement()) {
            s.execute(probe);
        } catch (SQLException e) {
            throw new StepFailedException("Backfill " + ref + ": its SQL does not work on " + step.target().sql() + ": "
                    + e.getMessage() + ". Nothing was updated.", ref, probe, e.getSQLState(), e);
        }
    }

    private static long estimate(Connection c, QualifiedName table) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("EXPLAIN (FORMAT JSON) SELECT 1 FROM " + table.sql())) {
            StringBuilder sb = new StringBuilder();
            while (rs.next()) {
                sb.append(rs.getString(1));
            }
            Matcher m = PLAN_ROWS.matcher(sb);
            return m.find() ? Long.parseLong(m.group(1)) : -1;
        }
    }

    /** The batch size and pause of one backfill, adapted as it runs. */
    static final class Pacing {
        int batchSize;
        final Duration pause;
        final Duration target;
        final int min;
        final int max;
        final Duration progressInterval;

        Pacing(BackfillTuning t, BackfillSettings d) {
            this.batchSize = t.batchSize() != null ? t.batchSize() : d.batchSize();
            this.pause = t.pause() != null ? t.pause() : d.pause();
            this.target = t.targetBatchTime() != null ? t.targetBatchTime() : d.targetBatchTime();
            this.min = t.minBatchSize() != null ? t.minBatchSize() : d.minBatchSize();
            this.max = t.maxBatchSize() != null ? t.maxBatchSize() : d.maxBatchSize();
            this.progressInterval = d.progressInterval();
        }

        void adapt(StepRef ref, Duration took, EventBus events) {
            if (target == null || took.isZero()) {
                return;
            }
            double ratio = (double) target.toNanos() / took.toNanos();
            ratio = Math.max(0.5, Math.min(2.0, ratio));
            int proposed = (int) Math.max(min, Math.min(max, Math.round(batchSize * ratio)));
            if (Math.abs(proposed - batchSize) >= Math.max(1, batchSize / 10)) {
                events.publish(new BackfillResized(Instant.now(), ref, batchSize, proposed, String.format(Locale.ROOT,
                        "last batch took %d ms, target %d ms", took.toMillis(), target.toMillis())));
                batchSize = proposed;
            }
        }
    }
}
