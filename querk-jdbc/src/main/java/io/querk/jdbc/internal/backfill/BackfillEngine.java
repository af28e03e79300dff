package io.querk.jdbc.internal.backfill;

import io.querk.internal.step.Assignment;
import io.querk.internal.step.Backfill;
import io.querk.internal.step.BackfillTuning;
import io.querk.jdbc.BackfillSettings;
import io.querk.jdbc.StepFailedException;
import io.querk.jdbc.StepRef;
import io.querk.jdbc.event.BackfillPaused;
import io.querk.jdbc.event.BackfillProgress;
import io.querk.jdbc.event.BackfillResized;
import io.querk.jdbc.internal.event.EventBus;
import io.querk.jdbc.internal.guard.GuardedExecutor;
import io.querk.jdbc.internal.history.HistoryStore;
import io.querk.jdbc.internal.history.RangeRecord;
import io.querk.jdbc.internal.history.StepRecord;
import io.querk.jdbc.internal.retry.Retrier;
import io.querk.jdbc.internal.retry.RetryableFailure;
import io.querk.jdbc.internal.run.RunControl;
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
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
    private static final Logger LOG = LoggerFactory.getLogger("io.querk");
    /** At least this many rows are updated between two vacuums of ours, whatever the statistics say. */
    static final long VACUUM_SPACING_ROWS = 1_000;
    /** Below this many rows per worker, a table is walked by one worker: splitting it would cost more than it saves. */
    static final long MIN_ROWS_PER_WORKER = 1_000;

    private final GuardedExecutor guard;
    private final Retrier retrier;
    private final EventBus events;
    private final HistoryStore history;
    private final BackfillSettings defaults;
    private final Duration statementTimeout;
    private final Duration longLockTimeout;
    private final javax.sql.DataSource dataSource;

    /** Made once per run. */
    public BackfillEngine(javax.sql.DataSource dataSource, GuardedExecutor guard, Retrier retrier, EventBus events,
                          HistoryStore history, BackfillSettings defaults, Duration statementTimeout,
                          Duration longLockTimeout) {
        this.dataSource = dataSource;
        this.guard = guard;
        this.retrier = retrier;
        this.events = events;
        this.history = history;
        this.defaults = defaults;
        this.statementTimeout = statementTimeout;
        this.longLockTimeout = longLockTimeout;
    }

    /**
     * What a backfill did in this run.
     *
     * @param attempts  1 plus the batches retried
     * @param cancelled true if the run was cancelled between batches (the cursor is saved)
     */
    public record Outcome(long rowsUpdated, int attempts, boolean cancelled) {
    }

    /**
     * Runs (or resumes) a backfill to its end.
     *
     * @param record its history row (unused for progress: the ranges carry the cursors)
     */
    public Outcome run(StepRef ref, Backfill step, StepRecord record, RunControl control) throws SQLException {
        WorkSession s = guard.session();
        Connection c = s.connection();
        s.timeouts(retrier.baseLockTimeout(), statementTimeout);
        s.applicationName(guard.sessionName(ref));
        TableKey key = resolveKey(c, ref, step.target());
        checkAssignments(c, ref, step, key);
        long estimate = estimate(c, step.target());
        history.estimate(c, ref, estimate);
        Pacing pacing = new Pacing(step.tuning(), defaults);
        List<RangeRecord> ranges = history.readRanges(c, ref);
        if (ranges.isEmpty()) {
            history.createRanges(c, ref, splits(c, step.target(), key, pacing.workers, estimate));
            ranges = history.readRanges(c, ref);
        }
        Walk walk = new Walk(ref, step, key, estimate, control, ranges, pacing);
        try {
            return walk.run();
        } finally {
            history.totalRanges(c, ref);
        }
    }

    /**
     * Split points for {@code workers} ranges of about equal size, read off the key's index (an
     * index-only scan up to each point); none for one worker or a table too small to share.
     */
    private static List<List<String>> splits(Connection c, QualifiedName table, TableKey key, int workers,
                                             long estimate) throws SQLException {
        List<List<String>> out = new ArrayList<>();
        if (workers <= 1 || estimate < (long) workers * MIN_ROWS_PER_WORKER) {
            return out;
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT " + key.asTextArray() + " FROM " + table.sql()
                + " ORDER BY " + key.list() + " OFFSET ? LIMIT 1")) {
            for (int i = 1; i < workers; i++) {
                ps.setLong(1, estimate * i / workers);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        break;
                    }
                    List<String> split = Arrays.asList((String[]) rs.getArray(1).getArray());
                    if (out.isEmpty() || !out.get(out.size() - 1).equals(split)) {
                        out.add(split);
                    }
                }
            }
        }
        return out;
    }

    /** One run of one backfill: its ranges, its workers and what they share. */
    private final class Walk {
        private final StepRef ref;
        private final Backfill step;
        private final TableKey key;
        private final long estimate;
        private final RunControl control;
        private final Pacing pacing;
        private final Queue<RangeRecord> pending = new ConcurrentLinkedQueue<>();
        private final int workers;
        private final long updatedBefore;
        private final long scannedBefore;
        private final AtomicLong updated = new AtomicLong();
        private final AtomicLong scanned = new AtomicLong();
        private final AtomicInteger retries = new AtomicInteger();
        private final AtomicReference<Duration> longest = new AtomicReference<>(Duration.ZERO);
        private final AtomicReference<Exception> failure = new AtomicReference<>();
        private final Throttle throttle;
        private final long startNanos = System.nanoTime();
        private volatile boolean stop;
        private volatile boolean cancelled;
        private long lastReport = startNanos;
        private long vacuumFloor;
        private long updatedAtLastVacuum;
        private Vacuumer vacuumer;
        
        Walk(StepRef ref, Backfill step, TableKey key, long estimate, RunControl control, List<RangeRecord> ranges,
             Pacing pacing) {
            this.ref = ref;
            this.step = step;
            this.key = key;
            this.estimate = estimate;
            this.control = control;
            this.pacing = pacing;
            ranges.stream().filter(r -> !r.done()).forEach(pending::add);
            this.workers = Math.max(1, Math.min(pacing.workers, pending.size()));
            this.updatedBefore = ranges.stream().mapToLong(RangeRecord::rowsUpdated).sum();
            this.scannedBefore = ranges.stream().mapToLong(RangeRecord::rowsScanned).sum();
            this.throttle = new Throttle(defaults, step.target());
        }

        Outcome run() throws SQLException {
            WorkSession main = guard.session();
            main.synchronousCommit(false);
            vacuumer = new Vacuumer(dataSource, events, longLockTimeout);
            List<Thread> helpers = new ArrayList<>();
            try {
                for (int w = 1; w < workers; w++) {
                    Thread t = new Thread(this::helper, "querk-backfill-" + w);
                    t.setDaemon(true);
                    t.start();
                    helpers.add(t);
                }
                work(main, true);
            } catch (SQLException | RuntimeException e) {
                failure.compareAndSet(null, e);
                stop = true;
            } finally {
                for (Thread t : helpers) {
                    try {
                        t.join();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                vacuumer.close();
                main.synchronousCommit(true);
            }
            Exception e = failure.get();
            if (e instanceof SQLException sql) {
                throw sql;
            }
            if (e != null) {
                throw (RuntimeException) e;
            }
            report(true);
            return new Outcome(updated.get(), 1 + retries.get(), cancelled);
        }

        /** A worker on a session of its own, set up like the run's. */
        private void helper() {
            try (WorkSession ws = WorkSession.open(dataSource)) {
                ws.prepareForMigration();
                ws.timeouts(retrier.baseLockTimeout(), statementTimeout);
                ws.applicationName(guard.sessionName(ref));
                ws.synchronousCommit(false);
                work(ws, false);
            } catch (SQLException | RuntimeException e) {
                failure.compareAndSet(null, e);
                stop = true;
            }
        }

        private void work(WorkSession ws, boolean first) throws SQLException {
            Pacing mine = pacing.copy();
            RangeRecord r;
            while (!stop && (r = pending.poll()) != null) {
                walkRange(ws, r, mine, first);
            }
        }

        private void walkRange(WorkSession ws, RangeRecord range, Pacing mine, boolean first) throws SQLException {
            List<String> from = range.from();
            List<String> cursorSeen = range.cursor();
            boolean upper = range.upper() != null;
            while (!stop) {
                if (!awaitGo(first)) {
                    cancelled = true;
                    stop = true;
                    return;
                }
                if (throttle.due()) {
                    holdOff(ws.connection());
                }
                final List<String> expected = cursorSeen;
                final String sql = batchSql(step, key, from != null, upper);
                final int size = mine.batchSize;
                long t0 = System.nanoTime();
                Retrier.Result<BatchResult> res = retrier.run(ref, (attempt, lockTimeout) -> {
                    ws.timeouts(lockTimeout, statementTimeout);
                    return batch(ws, range.rangeNo(), sql, expected, size, lockTimeout);
                });
                retries.addAndGet(res.attempts() - 1);
                Duration took = Duration.ofNanos(System.nanoTime() - t0);
                longest.accumulateAndGet(took, (a, b) -> a.compareTo(b) >= 0 ? a : b);
                BatchResult b = res.value();
                updated.addAndGet(b.updated);
                scanned.addAndGet(b.scanned);
                if (b.cursor != null) {
                    from = b.cursor;
                    cursorSeen = b.cursor;
                }
                if (b.scanned < size) {
                    history.finishRange(ws.connection(), ref, range.rangeNo());
                    return;
                }
                report(false);
                mine.adapt(ref, took, events);
                sleep(mine.pause, ref);
            }
        }

        private boolean awaitGo(boolean announce) {
            if (announce && control.paused()) {
                events.publish(new BackfillPaused(Instant.now(), ref, "paused by request; resume() lets it go on",
                        Duration.ZERO));
            }
            try {
                return control.awaitGo();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }

        private synchronized void report(boolean force) {
            long now = System.nanoTime();
            if (!force && now - lastReport < pacing.progressInterval.toNanos()) {
                return;
            }
            lastReport = now;
            long scannedNow = scannedBefore + scanned.get();
            double seconds = (now - startNanos) / 1e9;
            double rate = seconds > 0 ? scanned.get() / seconds : 0;
            Duration eta = estimate > 0 && rate > 0 && scannedNow < estimate
                    ? Duration.ofMillis((long) ((estimate - scannedNow) / rate * 1000)) : null;
            events.publish(new BackfillProgress(Instant.now(), ref, updatedBefore + updated.get(), scannedNow, estimate,
                    rate, eta, mine(), longest.get()));
        }

        private int mine() {
            return pacing.batchSize;
        }

        /**
         * Holds the walk while the throttle reports stress. Dead tuples are cured by vacuuming the
         * table alongside the batches; the other kinds are waited out, up to the configured maximum,
         * after which the walk carries on and says so.
         */
        private synchronized void holdOff(Connection c) throws SQLException {
            if (!throttle.due()) {
                return;
            }
            long start = System.nanoTime();
            long total = updated.get();
            Optional<Throttle.Stress> stress = throttle.check(c, total - updatedAtLastVacuum, vacuumer.pid());
            while (stress.isPresent() && !stop) {
                Throttle.Stress st = stress.get();
                if (st.vacuumCures()) {
                    if (vacuumer.running() || total < vacuumFloor) {
                        // Our vacuum is on it, or statistics still lag behind the one just run.
                        return;
                    }
                    vacuumer.start(ref, step.target(), st.reason());
                    vacuumFloor = total + VACUUM_SPACING_ROWS;
                    updatedAtLastVacuum = total;
                    return;
                }
                if (System.nanoTime() - start > defaults.maxThrottlePause().toNanos()) {
                    LOG.warn("querk:   backfill {} carries on after {} of holding off: {}", ref.description(),
                            EventBus.ms(defaults.maxThrottlePause()), st.reason());
                    return;
                }
                Duration wait = defaults.throttleCheckInterval();
                events.publish(new BackfillPaused(Instant.now(), ref, st.reason(), wait));
                sleep(wait, ref);
                stress = throttle.check(c, updated.get() - updatedAtLastVacuum, vacuumer.pid());
            }
        }

        private BatchResult batch(WorkSession ws, int rangeNo, String sql, List<String> expected, int size,
                                  Duration lockTimeout) throws SQLException, RetryableFailure {
            Connection c = ws.connection();
            try (var watch = guard.watch(ws.backendPid(), ref, sql, lockTimeout);
                 PreparedStatement ps = c.prepareStatement(sql)) {
                int i = 1;
                ps.setString(i++, ref.migrationId());
                ps.setString(i++, ref.phase().label());
                ps.setInt(i++, ref.number());
                ps.setInt(i++, rangeNo);
                if (expected == null) {
                    ps.setNull(i++, Types.OTHER);
                } else {
                    ps.setArray(i++, c.createArrayOf("text", expected.toArray()));
                }
                ps.setInt(i++, size);
                ps.setString(i++, ref.migrationId());
                ps.setString(i++, ref.phase().label());
                ps.setInt(i++, ref.number());
                ps.setInt(i, rangeNo);
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
            // No row: either the range is walked, or its cursor is not the one this run saved.
            List<String> now = currentCursor(c, rangeNo);
            if (!Objects.equals(now, expected)) {
                throw new StepFailedException("Backfill " + ref + ": the cursor of range " + rangeNo + " moved under"
                        + " this run (expected " + expected + ", found " + now + "). Another runner is working on it;"
                        + " this run stops.", ref, sql, null, null);
            }
            return new BatchResult(null, 0, 0);
        }

        private List<String> currentCursor(Connection c, int rangeNo) throws SQLException {
            try (PreparedStatement ps = c.prepareStatement("SELECT cursor FROM " + history.rangesTable().sql()
                    + " WHERE migration_id = ? AND phase = ? AND step_no = ? AND range_no = ?")) {
                ps.setString(1, ref.migrationId());
                ps.setString(2, ref.phase().label());
                ps.setInt(3, ref.number());
                ps.setInt(4, rangeNo);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return null;
                    }
                    Array a = rs.getArray(1);
                    return a == null ? null : Arrays.asList((String[]) a.getArray());
                }
            }
        }
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

    private StepFailedException failure(StepRef ref, SQLException e, String sql) {
        String why = "57014".equals(e.getSQLState())
                ? "a batch ran past the statement timeout; make batches smaller (batchSize) or the expression cheaper"
                : e.getMessage();
        return new StepFailedException("Backfill " + ref + " failed: " + why + " (SQLSTATE " + e.getSQLState()
                + "). The batches before it are committed; fix the cause and run again to resume.", ref, sql,
                e.getSQLState(), e);
    }

    /**
     * The statement of one batch in one range.
     *
     * @param hasFrom  the range has a lower bound or a cursor: keys start after it
     * @param hasUpper the range ends at its upper bound rather than the table's last key
     */
    String batchSql(Backfill step, TableKey key, boolean hasFrom, boolean hasUpper) {
        String t = step.target().sql();
        String set = step.assignments().stream().map(Assignment::sql).collect(Collectors.joining(", "));
        String lower = hasFrom ? key.row() + " > " + key.rowFromCur("from_key") + " AND " : "";
        String upper = hasUpper ? key.row() + " <= " + key.rowFromCur("upper_key") + " AND " : "";
        String where = step.where() == null ? "" : " AND (" + step.where() + ")";
        String ranges = history.rangesTable().sql();
        return "WITH cur AS (\n"
                + "    SELECT coalesce(cursor, lower_key) AS from_key, upper_key FROM " + ranges
                + " WHERE migration_id = ? AND phase = ? AND step_no = ? AND range_no = ?"
                + " AND cursor IS NOT DISTINCT FROM CAST(? AS text[]) FOR UPDATE\n"
                + "), batch AS (\n"
                + "    SELECT " + key.list() + " FROM " + t + " WHERE " + lower + upper + "EXISTS (SELECT 1 FROM cur)"
                + " ORDER BY " + key.list() + " LIMIT ?\n"
                + "), last AS (\n"
                + "    " + key.lastOfBatch() + "\n"
                + "), updated AS (\n"
                + "    UPDATE " + t + " SET " + set + " WHERE " + lower + key.row() + " <= " + key.lastRow() + where
                + " RETURNING 1\n"
                + ")\n"
                + "UPDATE " + ranges + " AS h SET cursor = (SELECT " + key.asTextArray() + " FROM last),"
                + " rows_updated = h.rows_updated + (SELECT count(*) FROM updated),"
                + " rows_scanned = h.rows_scanned + (SELECT count(*) FROM batch)\n"
                + "WHERE h.migration_id = ? AND h.phase = ? AND h.step_no = ? AND h.range_no = ?"
                + " AND EXISTS (SELECT 1 FROM last)\n"
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

    /**
     * The rows the walk will cover, from statistics, never from a count: the planner's
     * {@code reltuples} (set by ANALYZE and VACUUM), else, for a table never analyzed, the live
     * tuples the statistics system counted, else the planner's estimate of a full scan. The
     * statistics count alone is not first: it double-counts rows inserted by a session that
     * also analyzed the table before its counts were flushed. The planner's scan estimate is last:
     * it scales by page count and overestimates a table full of dead space.
     */
    private static long estimate(Connection c, QualifiedName table) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT (SELECT n_live_tup FROM pg_stat_user_tables"
                + " WHERE relid = to_regclass(?)), (SELECT reltuples::bigint FROM pg_class WHERE oid = to_regclass(?))")) {
            ps.setString(1, table.regclassText());
            ps.setString(2, table.regclassText());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                long live = rs.getLong(1);
                long reltuples = rs.getLong(2);
                if (!rs.wasNull() && reltuples >= 0) {
                    return reltuples;
                }
                if (live > 0) {
                    return live;
                }
            }
        }
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
        final int workers;

        private Pacing(int batchSize, Duration pause, Duration target, int min, int max, Duration progressInterval,
                       int workers) {
            this.batchSize = batchSize;
            this.pause = pause;
            this.target = target;
            this.min = min;
            this.max = max;
            this.progressInterval = progressInterval;
            this.workers = workers;
        }

        /** @return a copy whose batch size adapts on its own, for one worker */
        Pacing copy() {
            return new Pacing(batchSize, pause, target, min, max, progressInterval, workers);
        }

        Pacing(BackfillTuning t, BackfillSettings d) {
            this.batchSize = t.batchSize() != null ? t.batchSize() : d.batchSize();
            this.pause = t.pause() != null ? t.pause() : d.pause();
            this.target = t.targetBatchTime() != null ? t.targetBatchTime() : d.targetBatchTime();
            this.min = t.minBatchSize() != null ? t.minBatchSize() : d.minBatchSize();
            this.max = t.maxBatchSize() != null ? t.maxBatchSize() : d.maxBatchSize();
            this.progressInterval = d.progressInterval();
            this.workers = t.workers() != null ? t.workers() : d.workers();
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
