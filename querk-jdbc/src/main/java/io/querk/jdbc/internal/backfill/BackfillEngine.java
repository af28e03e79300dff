package io.querk.jdbc.internal.backfill;

import io.querk.internal.render.BackfillSql;
import io.querk.internal.step.Assignment;
import io.querk.internal.step.Backfill;
import io.querk.internal.step.BackfillTuning;
import io.querk.jdbc.BackfillSettings;
import io.querk.jdbc.StepFailedException;
import io.querk.jdbc.event.BackfillPaused;
import io.querk.jdbc.event.BackfillResized;
import io.querk.jdbc.internal.event.EventBus;
import io.querk.jdbc.internal.guard.Failures;
import io.querk.jdbc.internal.guard.GuardedExecutor;
import io.querk.jdbc.internal.guard.PreStepChecks;
import io.querk.jdbc.internal.guard.Retrier;
import io.querk.jdbc.internal.guard.TimeoutPolicy;
import io.querk.jdbc.internal.guard.WorkSession;
import io.querk.jdbc.internal.run.RunControl;
import io.querk.jdbc.internal.store.HistoryStore;
import io.querk.jdbc.internal.store.RangeRecord;
import io.querk.migration.StepRef;
import io.querk.sql.QualifiedName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The backfill engine: resolves the key a table is walked by ({@link KeyResolver}), splits it
 * into ranges for its workers ({@link RangePlanner}), and lets each worker walk ranges
 * ({@link RangeWalker}) with its own session, its own prepared batch ({@link BatchStatement}) and
 * its own pacing ({@link Pacer}), while the throttles ({@link Throttle}) and a vacuum alongside
 * ({@link Vacuumer}) look after the database and {@link Progress} reports over all of them.
 *
 * <p>Exactly once: each batch updates its rows and moves its range's cursor in one statement,
 * so the rows and the checkpoint commit together, whatever happens between batches.
 */
public final class BackfillEngine {

    private static final Pattern PLAN_ROWS = Pattern.compile("\"Plan Rows\":\\s*(\\d+)");
    private static final Logger LOG = LoggerFactory.getLogger("io.querk");
    /** At least this many rows are updated between two vacuums of ours, whatever the statistics say. */
    static final long VACUUM_SPACING_ROWS = 1_000;

    private final DataSource dataSource;
    private final GuardedExecutor guard;
    private final Retrier retrier;
    private final EventBus events;
    private final HistoryStore history;
    private final BackfillSettings settings;

    /** Made once per run. */
    public BackfillEngine(DataSource dataSource, GuardedExecutor guard, Retrier retrier, EventBus events,
                          HistoryStore history, BackfillSettings settings) {
        this.dataSource = dataSource;
        this.guard = guard;
        this.retrier = retrier;
        this.events = events;
        this.history = history;
        this.settings = settings;
    }

    /**
     * What a backfill did in this run.
     *
     * @param attempts  1 plus the batches retried
     * @param cancelled true if the run was cancelled between batches (the cursor is saved)
     */
    public record Outcome(long rowsUpdated, int attempts, boolean cancelled) {
    }

    /** Runs (or resumes) a backfill to its end. */
    public Outcome run(StepRef ref, Backfill step, RunControl control) throws SQLException {
        WorkSession s = guard.session();
        Connection c = s.connection();
        prepare(s, ref);
        BackfillSql.Key key = KeyResolver.resolve(c, ref, step.target());
        checkAssignments(c, ref, step, key);
        long estimate = estimate(c, step.target());
        history.estimate(c, ref, estimate);
        BackfillTuning pacing = Pacer.merged(step.tuning(), settings);
        List<RangeRecord> ranges = history.readRanges(c, ref);
        if (ranges.isEmpty()) {
            history.createRanges(c, ref, RangePlanner.splitPoints(c, step.target(), key, pacing.workers(), estimate));
            ranges = history.readRanges(c, ref);
        }
        Outcome outcome;
        try {
            outcome = new Walk(ref, step, key, estimate, control, ranges, pacing).run();
        } catch (SQLException | RuntimeException e) {
            Failures.cleanUpAfter(e, () -> history.totalRanges(c, ref));
            throw e;
        }
        history.totalRanges(c, ref);
        return outcome;
    }

    private void prepare(WorkSession s, StepRef ref) throws SQLException {
        s.timeouts(guard.timeouts().forAttempt(TimeoutPolicy.Kind.BLOCKS_APPLICATION, 1));
        s.applicationName(guard.sessionName(ref));
    }

    /** One run of one backfill: its ranges, its workers and what they share. */
    private final class Walk {
        private final StepRef ref;
        private final Backfill step;
        private final BackfillSql.Key key;
        private final RunControl control;
        private final BackfillTuning pacing;
        private final Queue<RangeRecord> pending = new ConcurrentLinkedQueue<>();
        private final int workers;
        private final Progress progress;
        private final Throttle throttle;
        private final AtomicReference<Exception> failure = new AtomicReference<>();
        private final AtomicInteger retried = new AtomicInteger();
        private volatile boolean stop;
        private volatile boolean cancelled;
        private long vacuumFloor;
        private long updatedAtLastVacuum;
        private Vacuumer vacuumer;

        Walk(StepRef ref, Backfill step, BackfillSql.Key key, long estimate, RunControl control,
             List<RangeRecord> ranges, BackfillTuning pacing) {
            this.ref = ref;
            this.step = step;
            this.key = key;
            this.control = control;
            this.pacing = pacing;
            ranges.stream().filter(r -> !r.done()).forEach(pending::add);
            this.workers = Math.max(1, Math.min(pacing.workers(), pending.size()));
            this.progress = new Progress(ref, estimate, ranges.stream().mapToLong(RangeRecord::rowsUpdated).sum(),
                    ranges.stream().mapToLong(RangeRecord::rowsScanned).sum(),
                    Collections.nCopies(workers, pacing.batchSize()), settings.progressInterval(), System::nanoTime);
            this.throttle = new Throttle(settings, step.target());
        }

        Outcome run() throws SQLException {
            WorkSession main = guard.session();
            main.synchronousCommit(false);
            vacuumer = new Vacuumer(dataSource, events, guard.timeouts().forAttempt(TimeoutPolicy.Kind.BLOCKS_NOTHING, 1));
            List<Thread> helpers = new ArrayList<>();
            try {
                for (int w = 1; w < workers; w++) {
                    int worker = w;
                    Thread t = new Thread(() -> helper(worker), "querk-backfill-" + w);
                    t.setDaemon(true);
                    t.start();
                    helpers.add(t);
                }
                work(main, 0);
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
            }
            Exception e = failure.get();
            if (e == null) {
                main.synchronousCommit(true);
            } else {
                // The session may be what failed: its reset must not replace the failure that ended the walk.
                Failures.cleanUpAfter(e, () -> main.synchronousCommit(true));
                if (e instanceof SQLException sql) {
                    throw sql;
                }
                throw (RuntimeException) e;
            }
            events.publish(progress.now());
            return new Outcome(progress.updatedThisRun(), 1 + retried.get(), cancelled);
        }

        /** A worker on a session of its own, set up like the run's. */
        private void helper(int worker) {
            try (WorkSession ws = WorkSession.open(dataSource)) {
                ws.prepareForMigration();
                prepare(ws, ref);
                ws.synchronousCommit(false);
                work(ws, worker);
            } catch (SQLException | RuntimeException e) {
                failure.compareAndSet(null, e);
                stop = true;
            }
        }

        private void work(WorkSession ws, int worker) throws SQLException {
            Pacer pacer = new Pacer(pacing);
            RangeWalker.Listener listener = new RangeWalker.Listener() {
                @Override
                public void batch(RangeWalker.Batch b, int nextSize) {
                    retried.addAndGet(b.attempts() - 1);
                    progress.batch(worker, b.scanned(), b.updated(), b.took(), nextSize);
                    progress.due().ifPresent(events::publish);
                }

                @Override
                public void resized(Pacer.Resize r) {
                    events.publish(new BackfillResized(Instant.now(), ref, r.from(), r.to(), r.reason()));
                }
            };
            try (BatchStatement batches = new BatchStatement(ws, guard, retrier, ref, step, key, history)) {
                RangeRecord r;
                while (!stop && (r = pending.poll()) != null) {
                    if (RangeWalker.walk(r, batches, pacer, () -> mayGo(ws, worker == 0), listener,
                            d -> sleep(d, ref))) {
                        history.finishRange(ws.connection(), ref, r.rangeNo());
                    }
                }
            }
        }

        private boolean mayGo(WorkSession ws, boolean announce) throws SQLException {
            if (stop) {
                return false;
            }
            if (announce && control.paused()) {
                events.publish(new BackfillPaused(Instant.now(), ref, "paused by request; resume() lets it go on",
                        Duration.ZERO, BackfillPaused.Cause.REQUESTED));
            }
            try {
                if (!control.awaitGo()) {
                    cancelled = true;
                    stop = true;
                    return false;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                cancelled = true;
                stop = true;
                return false;
            }
            if (throttle.due()) {
                holdOff(ws.connection());
            }
            return !stop;
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
            long total = progress.updatedThisRun();
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
                if (System.nanoTime() - start > settings.maxThrottlePause().toNanos()) {
                    LOG.warn("querk:   backfill {} carries on after {} of holding off: {}", ref.description(),
                            EventBus.ms(settings.maxThrottlePause()), st.reason());
                    return;
                }
                Duration wait = settings.throttleCheckInterval();
                events.publish(new BackfillPaused(Instant.now(), ref, st.reason(), wait, st.cause()));
                sleep(wait, ref);
                stress = throttle.check(c, progress.updatedThisRun() - updatedAtLastVacuum, vacuumer.pid());
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

    private void checkAssignments(Connection c, StepRef ref, Backfill step, BackfillSql.Key key) throws SQLException {
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
        String probe = BackfillSql.probe(step);
        PreStepChecks.compileError(c, probe, guard.timeouts().forAttempt(TimeoutPolicy.Kind.BLOCKS_APPLICATION, 1).lock())
                .ifPresent(error -> {
                    throw new StepFailedException("Backfill " + ref + ": its SQL does not work on " + step.target().sql()
                            + ": " + error + ". Nothing was updated.", ref, probe, null, null);
                });
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
}
