package io.querk.jdbc.internal.run;

import io.querk.QuerkException;
import io.querk.jdbc.internal.guard.RunnerLock;
import io.querk.jdbc.internal.guard.SessionStability;
import io.querk.jdbc.internal.event.EventBus;
import io.querk.internal.migration.PhaseChecksum;
import io.querk.internal.render.StepUndo;
import io.querk.internal.step.Backfill;
import io.querk.internal.step.RawSql;
import io.querk.internal.step.StepDefinition;
import io.querk.jdbc.AbortReport;
import io.querk.jdbc.CannotAbortException;
import io.querk.jdbc.ChecksumMismatchException;
import io.querk.jdbc.MigrationHandle;
import io.querk.jdbc.MigrationReport;
import io.querk.jdbc.OutOfOrderMigrationException;
import io.querk.jdbc.PhaseState;
import io.querk.jdbc.QuerkConfig;
import io.querk.jdbc.RunnerLockException;
import io.querk.jdbc.StepFailedException;
import io.querk.migration.StepRef;
import io.querk.jdbc.StepResult;
import io.querk.jdbc.event.BackfillProgress;
import io.querk.jdbc.event.MigrationAborted;
import io.querk.jdbc.event.PhaseFinished;
import io.querk.jdbc.event.PhaseStarted;
import io.querk.jdbc.event.RunFinished;
import io.querk.jdbc.event.RunStarted;
import io.querk.jdbc.event.StepFailed;
import io.querk.jdbc.event.StepFinished;
import io.querk.jdbc.event.StepSkipped;
import io.querk.jdbc.event.StepStarted;
import io.querk.jdbc.internal.backfill.BackfillEngine;
import io.querk.jdbc.internal.guard.BlockerMonitor;
import io.querk.jdbc.internal.guard.GuardedExecutor;
import io.querk.jdbc.internal.store.BaselineReader;
import io.querk.jdbc.internal.store.HistoryStore;
import io.querk.jdbc.internal.store.PhaseRecord;
import io.querk.jdbc.internal.store.StepRecord;
import io.querk.jdbc.internal.guard.Retrier;
import io.querk.jdbc.internal.guard.TimeoutPolicy;
import io.querk.jdbc.internal.guard.WorkSession;
import io.querk.migration.Migration;
import io.querk.migration.Phase;
import io.querk.migration.Step;
import io.querk.plan.MigrationPlan;
import io.querk.plan.Planner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Runs migrations: finds what is pending, takes the runner lock only if something is, and
 * applies phase after phase, recording each step in the history.
 *
 * <p>The no-op path (every start of every instance, nothing pending) costs one connection
 * borrow and four round trips (read the session settings it will restore, check the history
 * table exists, read it, restore the settings), and takes no lock: about 5 ms over 200 applied
 * migrations (docs/benchmarks.md, start-up).
 */
public final class Runner {

    private static final Logger LOG = LoggerFactory.getLogger("io.querk");
    // A logger of its own, so that the plan can be silenced or kept independently of progress lines.
    private static final Logger PLAN_LOG = LoggerFactory.getLogger("io.querk.plan");

    private final QuerkConfig config;
    private final EventBus events;
    private final HistoryStore history;
    private final TimeoutPolicy timeouts;
    private final long lockKey;

    /** @param config the sealed configuration */
    public Runner(QuerkConfig config) {
        this.config = config;
        this.events = new EventBus(config.listeners());
        this.history = new HistoryStore(config.historyTable(), runBy());
        this.timeouts = new TimeoutPolicy(config);
        this.lockKey = RunnerLock.keyFor(config.historyTable());
    }

    private record Work(Migration migration, Phase phase) {
        @Override
        public String toString() {
            return migration.id() + " " + phase.label();
        }
    }

    /**
     * @param registers some configured migration is new to the history: the run must record it
     *                  (under the runner lock) even if nothing else is to be done
     */
    private record Plan(List<Work> work, List<String> pendingContracts, boolean registers) {
        boolean idle() {
            return work.isEmpty() && !registers;
        }
    }

    /**
     * The opening every call shares: a work session borrowed, the history read and its checksums
     * verified, the pending work planned. Closing it hands the session back unless a run took it
     * over ({@link #handOver()}).
     */
    private final class Opening implements AutoCloseable {
        private final WorkSession ws;
        private final Plan plan;
        private final Map<String, PhaseRecord> records;
        private boolean handedOver;

        Opening(List<String> releases, boolean allPhases) throws SQLException {
            this.ws = WorkSession.open(config.dataSource());
            try {
                Map<String, PhaseRecord> seen = history.readPhases(ws.connection());
                // Migrations the baseline covers count as applied; the run records them, under the lock.
                List<Migration> adopted = adoptable(ws, seen);
                seen = withAdopted(seen, adopted);
                verifyChecksums(seen);
                verifyOrder(seen);
                this.records = seen;
                Plan p = plan(seen, releases, allPhases);
                this.plan = adopted.isEmpty() ? p : new Plan(p.work(), p.pendingContracts(), true);
            } catch (SQLException | RuntimeException e) {
                ws.close();
                throw e;
            }
        }

        /** @return the session, now owned by the caller */
        WorkSession handOver() {
            handedOver = true;
            return ws;
        }

        @Override
        public void close() {
            if (!handedOver) {
                ws.close();
            }
        }
    }

    /**
     * Runs everything pending, synchronously.
     *
     * @param releases        migrations named as released (configured, or by contract(id)): contracts of these
     *                        and of every migration seen before them may run
     * @param allPhases       run every contract regardless
     */
    public MigrationReport run(List<String> releases, boolean allPhases) {
        Instant started = Instant.now();
        long t0 = System.nanoTime();
        try (Opening o = new Opening(releases, allPhases)) {
            Plan plan = o.plan;
            if (plan.idle()) {
                return report(started, t0, List.of(), plan, false);
            }
            checkSafety(o.ws, plan);
            try (ActiveRun run = new ActiveRun(o.handOver(), lock(o.ws, config.runnerLockTimeout()), events)) {
                plan = run.replan(releases, allPhases);
                List<StepResult> results = new ArrayList<>();
                boolean finished = run.execute(plan.work(), results, RunControl.none());
                return run.finish(report(started, t0, results, plan, !finished));
            }
        } catch (SQLException e) {
            throw outsideSteps(e);
        }
    }

    /**
     * Runs the leading expand phases now, on the caller's thread, and everything after them (from
     * the first pending backfill on, in order) on a background thread.
     *
     * <p>If another instance holds the runner lock and nothing pending is an expand phase (it is
     * running the backfills), there is nothing this instance must wait for: the run ends at once as
     * {@link MigrationHandle.State#RUNNING_ELSEWHERE}.
     */
    public BackgroundRun runInBackground(List<String> releases, Executor executor) {
        Instant started = Instant.now();
        long t0 = System.nanoTime();
        BackgroundRun handle = new BackgroundRun();
        EventBus bus = events.with(e -> {
            if (e instanceof BackfillProgress p) {
                handle.progress(p);
            }
        });
        ActiveRun run = null;
        try (Opening o = new Opening(releases, false)) {
            Plan plan = o.plan;
            if (plan.idle()) {
                handle.end(report(started, t0, List.of(), plan, false), MigrationHandle.State.SUCCEEDED);
                return handle;
            }
            checkSafety(o.ws, plan);
            // Expand first: the application must wait for it. Anything else (a backfill, or only new
            // migrations to record) another instance already running does just as well.
            boolean expandFirst = !plan.work().isEmpty() && plan.work().get(0).phase() == Phase.EXPAND;
            RunnerLock lock = lock(o.ws, expandFirst ? config.runnerLockTimeout() : Duration.ZERO);
            if (lock == null) {
                handle.end(report(started, t0, List.of(), plan, false), MigrationHandle.State.RUNNING_ELSEWHERE);
                return handle;
            }
            run = new ActiveRun(o.handOver(), lock, bus);
            plan = run.replan(releases, false);
            List<Work> now = new ArrayList<>();
            List<Work> later = new ArrayList<>();
            for (Work w : plan.work()) {
                (later.isEmpty() && w.phase() == Phase.EXPAND ? now : later).add(w);
            }
            List<StepResult> results = new ArrayList<>();
            run.execute(now, results, handle.control());
            if (later.isEmpty()) {
                handle.end(run.finish(report(started, t0, results, plan, false)), MigrationHandle.State.SUCCEEDED);
                run.close();
                return handle;
            }
            ActiveRun background = run;
            Plan finalPlan = plan;
            Runnable rest = () -> {
                try (background) {
                    boolean finished = background.execute(later, results, handle.control());
                    MigrationReport r = background.finish(report(started, t0, results, finalPlan, !finished));
                    handle.end(r, finished ? MigrationHandle.State.SUCCEEDED : MigrationHandle.State.CANCELLED);
                } catch (SQLException e) {
                    handle.fail(outsideSteps(e));
                } catch (RuntimeException e) {
                    handle.fail(e);
                }
            };
            try {
                executor.execute(rest);
            } catch (RejectedExecutionException e) {
                QuerkException refused = new QuerkException("The executor refused the background part of the"
                        + " migration (" + e.getMessage() + "). The leading expand phases are applied; the rest"
                        + " runs at the next start. Give migrateInBackground an executor that accepts a task.",
                        null, null, null, e);
                handle.fail(refused);
                throw refused;
            }
            return handle;
        } catch (SQLException | RuntimeException e) {
            if (run != null) {
                run.close();
            }
            throw e instanceof SQLException sql ? outsideSteps(sql) : (RuntimeException) e;
        }
    }

    /**
     * Plans the pending work with the live server version and table facts, logs the plan and
     * refuses it, before any lock is taken or anything runs, if a step carries a hazard no
     * override accepts.
     */
    private void checkSafety(WorkSession ws, Plan plan) throws SQLException {
        MigrationPlan safety = safetyPlan(ws, plan);
        if (PLAN_LOG.isInfoEnabled()) {
            PLAN_LOG.info("querk: {}", safety.toText());
        }
        safety.requireAccepted();
    }

    private MigrationPlan safetyPlan(WorkSession ws, Plan plan) throws SQLException {
        try {
            return Planner.forServer(ws.serverVersionNum() / 10000)
                    .withStatistics(new LiveFacts(ws.connection(), config.lockTimeout()))
                    .plan(plan.work().stream().map(w -> new Planner.PhaseOf(w.migration(), w.phase())).toList());
        } catch (LiveFacts.LiveFactsException e) {
            throw e.getCause();
        }
    }

    /**
     * Plans what {@link #run} would do now, without running, locking or creating anything.
     *
     * @param releases        migrations named as released (configured, or by contract(id)): contracts of these
     *                        and of every migration seen before them may run
     * @param allPhases       plan every contract regardless
     */
    public MigrationPlan planOnly(List<String> releases, boolean allPhases) {
        try (Opening o = new Opening(releases, allPhases)) {
            return safetyPlan(o.ws, o.plan);
        } catch (SQLException e) {
            throw new QuerkException("Could not plan the pending migrations: " + e.getMessage() + " [SQLSTATE "
                    + e.getSQLState() + "]. Check the DataSource and the database's availability.", null, null, null, e);
        }
    }

    /** Takes the runner lock, once the work session is proven to be one stable server session. */
    private RunnerLock lock(WorkSession ws, Duration timeout) throws SQLException {
        SessionStability.require(config.dataSource(), ws);
        if (timeout.isZero()) {
            return RunnerLock.tryAcquire(config.dataSource(), lockKey);
        }
        return RunnerLock.acquire(config.dataSource(), lockKey, timeout,
                holder -> LOG.info("querk: another runner is migrating ({}); waiting up to {}", holder,
                        EventBus.ms(timeout)));
    }

    private static MigrationReport report(Instant started, long t0, List<StepResult> results, Plan plan,
                                          boolean cancelled) {
        return new MigrationReport(started, Duration.ofNanos(System.nanoTime() - t0), results, plan.pendingContracts(),
                cancelled);
    }

    private static QuerkException outsideSteps(SQLException e) {
        return new QuerkException("Migration run failed on a database error outside any step: " + e.getMessage()
                + " [SQLSTATE " + e.getSQLState() + "]. Check the DataSource and the database's availability;"
                + " running again resumes where this run stopped.", null, null, null, e);
    }

    /** A run holding the runner lock: its session, monitor and executors. */
    private final class ActiveRun implements AutoCloseable {
        private final WorkSession ws;
        private final RunnerLock lock;
        private final BlockerMonitor monitor;
        private final EventBus bus;
        private final StepExecutor steps;
        private final BackfillEngine backfills;
        private final GuardedExecutor guard;
        private Map<String, PhaseRecord> records;
        private boolean announced;

        ActiveRun(WorkSession ws, RunnerLock lock, EventBus bus) throws SQLException {
            this.ws = ws;
            this.lock = lock;
            this.bus = bus;
            this.monitor = new BlockerMonitor(lock, bus);
            Retrier retrier = Retrier.sleeping(timeouts, bus);
            this.guard = new GuardedExecutor(ws, monitor, lock, bus, timeouts);
            this.steps = new StepExecutor(guard, retrier, bus, history);
            this.backfills = new BackfillEngine(config.dataSource(), guard, retrier, bus, history, config.backfill());
            ws.prepareForMigration();
            history.ensureTables(ws.connection());
        }

        /**
         * Reads the history again under the lock (another runner may have done the work meanwhile)
         * and announces what this run will do.
         */
        Plan replan(List<String> releases, boolean allPhases) throws SQLException {
            records = history.readPhases(ws.connection());
            List<Migration> adopted = adoptable(ws, records);
            if (!adopted.isEmpty()) {
                adopt(ws, adopted);
                records = history.readPhases(ws.connection());
            }
            verifyChecksums(records);
            verifyOrder(records);
            Plan plan = plan(records, releases, allPhases);
            register(ws, records);
            if (!plan.work().isEmpty()) {
                announced = true;
                LOG.info("querk: running with {}", config);
                bus.publish(new RunStarted(Instant.now(), plan.work().stream().map(Work::toString).toList()));
            }
            return plan;
        }

        /** @return false if cancelled before the end */
        boolean execute(List<Work> work, List<StepResult> results, RunControl control) throws SQLException {
            for (Work w : work) {
                if (!runPhase(w, results, control)) {
                    return false;
                }
            }
            return true;
        }

        MigrationReport finish(MigrationReport report) {
            if (announced) {
                bus.publish(new RunFinished(Instant.now(), report));
            }
            return report;
        }

        private boolean runPhase(Work w, List<StepResult> results, RunControl control) throws SQLException {
            Migration m = w.migration();
            Phase phase = w.phase();
            List<Step> list = m.steps(phase);
            long phaseStart = System.nanoTime();
            history.startPhase(ws.connection(), m.id(), phase, m.description(), m.checksum(phase), list.size());
            bus.publish(new PhaseStarted(Instant.now(), m.id(), phase, list.size(),
                    startedBefore(records.get(HistoryStore.key(m.id(), phase)))));
            Map<Integer, StepRecord> done = history.readSteps(ws.connection(), m.id(), phase);
            for (int i = 0; i < list.size(); i++) {
                Step step = list.get(i);
                StepRef ref = new StepRef(m.id(), phase, i + 1, list.size(), step.kind(), step.description());
                String checksum = PhaseChecksum.ofStep((StepDefinition) step);
                StepRecord sr = done.get(i + 1);
                if (sr != null && sr.done()) {
                    if (!sr.checksum().equals(checksum)) {
                        throw new ChecksumMismatchException("Step " + ref + " was applied with another definition and"
                                + " has been edited since. Revert the edit; put changes into a new migration.", m.id());
                    }
                    bus.publish(new StepSkipped(Instant.now(), ref, "applied by an earlier run"));
                    results.add(new StepResult(ref, StepResult.Outcome.ALREADY_APPLIED, 0, Duration.ZERO, 0));
                    continue;
                }
                try {
                    if (!control.awaitGo()) {
                        return false;
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
                if (!lock.stillHeld()) {
                    throw lock.lost(ref.toString());
                }
                history.startStep(ws.connection(), ref, checksum, step instanceof RawSql r ? r.overrideReason() : null);
                bus.publish(new StepStarted(Instant.now(), ref, guard.startStepRun()));
                long t = System.nanoTime();
                try {
                    int attempts;
                    long rows = 0;
                    if (step instanceof Backfill b) {
                        BackfillEngine.Outcome o = backfills.run(ref, b, control);
                        if (o.cancelled()) {
                            history.addAttempts(ws.connection(), ref, o.attempts());
                            return false;
                        }
                        attempts = o.attempts();
                        rows = o.rowsUpdated();
                    } else {
                        attempts = steps.apply(ref, step, sr);
                    }
                    Duration took = Duration.ofNanos(System.nanoTime() - t);
                    history.addAttempts(ws.connection(), ref, attempts);
                    history.finishStep(ws.connection(), ref, took);
                    bus.publish(new StepFinished(Instant.now(), ref, attempts, took));
                    results.add(new StepResult(ref, StepResult.Outcome.APPLIED, attempts, took, rows));
                } catch (QuerkException e) {
                    recordFailure(ref, e);
                    throw e;
                } catch (SQLException e) {
                    StepFailedException f = StepFailedException.of(ref, null, e);
                    recordFailure(ref, f);
                    throw f;
                }
            }
            history.finishPhase(ws.connection(), m.id(), phase);
            bus.publish(new PhaseFinished(Instant.now(), m.id(), phase, Duration.ofNanos(System.nanoTime() - phaseStart)));
            return true;
        }

        /** Undoes the expand steps of {@code m} in reverse, then records the abort. */
        AbortReport abort(Migration m, long t0) throws SQLException {
            Map<String, PhaseRecord> now = history.readPhases(ws.connection());
            refuseAbortAfterContract(m, now); // read again under the lock: another runner may have contracted
            List<Step> expand = m.steps(Phase.EXPAND);
            Map<Integer, StepRecord> ran = history.readSteps(ws.connection(), m.id(), Phase.EXPAND);
            List<String> cannot = new ArrayList<>();
            for (int i = 0; i < expand.size(); i++) {
                if (ran.containsKey(i + 1) && StepUndo.of((StepDefinition) expand.get(i)).isEmpty()) {
                    cannot.add("expand step " + (i + 1) + " (" + expand.get(i).description() + ")");
                }
            }
            if (!cannot.isEmpty()) {
                throw new CannotAbortException("Migration '" + m.id() + "' cannot be aborted: " + String.join(", ", cannot)
                        + " ran raw SQL, which Querk cannot undo by itself. Say how on the step with"
                        + " sql(script, Undo.with(\"...\")) (the undo is not part of the checksum), then abort again."
                        + " Nothing was undone.", m.id());
            }
            List<String> undone = new ArrayList<>();
            for (int i = expand.size() - 1; i >= 0; i--) {
                Step step = expand.get(i);
                List<io.querk.internal.render.Action> actions = StepUndo.of((StepDefinition) step).orElse(List.of());
                if (actions.isEmpty()) {
                    continue;
                }
                if (!lock.stillHeld()) {
                    throw new RunnerLockException("The migration lock was lost while aborting '" + m.id() + "'; run"
                            + " abort again to finish.", null);
                }
                StepRef ref = new StepRef(m.id(), Phase.EXPAND, i + 1, expand.size(), step.kind(),
                        "undo: " + step.description());
                undone.addAll(steps.run(ref, actions));
            }
            history.abort(ws.connection(), m.id());
            bus.publish(new MigrationAborted(Instant.now(), m.id(), undone));
            return new AbortReport(m.id(), undone, Duration.ofNanos(System.nanoTime() - t0));
        }

        private boolean startedBefore(PhaseRecord r) {
            return r != null && (HistoryStore.RUNNING.equals(r.status()) || HistoryStore.FAILED.equals(r.status()));
        }

        private void recordFailure(StepRef ref, QuerkException e) {
            bus.publish(new StepFailed(Instant.now(), ref, e));
            try {
                history.fail(ws.connection(), ref, e.getMessage());
            } catch (SQLException ignored) {
                // The connection may be what failed; the history keeps the step as running, which resumes the same way.
            }
        }

        @Override
        public void close() {
            monitor.close();
            lock.close();
            ws.close();
        }
    }

    /**
     * What runs now. Contract runs only when released and only in a later run than the one that
     * applied its migration's earlier phases: judged by the history read when the run began, never
     * by the order of ids. A release names a migration; it releases that one and every migration
     * first seen before it, so a branch merged late (an older id, seen later) is not released by a
     * release made before it arrived.
     */
    private Plan plan(Map<String, PhaseRecord> records, List<String> releases, boolean allPhases) {
        Map<String, Long> seen = new HashMap<>();
        records.values().forEach(r -> seen.merge(r.migrationId(), r.seenSeq(), Math::min));
        long releasedSeq = releases.stream().mapToLong(r -> seen.getOrDefault(r, Long.MAX_VALUE)).max().orElse(-1);
        List<Work> work = new ArrayList<>();
        List<String> pendingContracts = new ArrayList<>();
        for (Migration m : config.migrations()) {
            boolean earlierPhasesApplied = true;
            for (Phase p : Phase.values()) {
                if (m.steps(p).isEmpty()) {
                    continue;
                }
                PhaseRecord r = records.get(HistoryStore.key(m.id(), p));
                if (r != null && r.applied()) {
                    continue;
                }
                if (p == Phase.CONTRACT && !allPhases) {
                    boolean released = seen.containsKey(m.id()) && seen.get(m.id()) <= releasedSeq;
                    if (!released || !earlierPhasesApplied) {
                        pendingContracts.add(m.id());
                        continue;
                    }
                }
                earlierPhasesApplied = false;
                work.add(new Work(m, p));
            }
        }
        boolean registers = config.migrations().stream().anyMatch(m -> !seen.containsKey(m.id()));
        return new Plan(work, pendingContracts, registers);
    }

    /**
     * @return the configured migrations Querk's history does not know that the baseline covers; no
     *         query at all when there is no baseline or every migration is known (the no-op start)
     */
    private List<Migration> adoptable(WorkSession ws, Map<String, PhaseRecord> records) throws SQLException {
        if (config.baseline().isEmpty()) {
            return List.of();
        }
        Set<String> known = new HashSet<>();
        records.values().forEach(r -> known.add(r.migrationId()));
        List<Migration> unknown = config.migrations().stream().filter(m -> !known.contains(m.id())).toList();
        return BaselineReader.covered(ws.connection(), config.baseline().get(), unknown);
    }

    /** @return the history as it reads once the adopted migrations are recorded applied */
    private static Map<String, PhaseRecord> withAdopted(Map<String, PhaseRecord> records, List<Migration> adopted) {
        if (adopted.isEmpty()) {
            return records;
        }
        Map<String, PhaseRecord> out = new HashMap<>(records);
        long seq = records.values().stream().mapToLong(PhaseRecord::seenSeq).max().orElse(0);
        for (Migration m : adopted) {
            seq++;
            for (Phase p : Phase.values()) {
                if (!m.steps(p).isEmpty()) {
                    out.put(HistoryStore.key(m.id(), p), new PhaseRecord(m.id(), p, m.checksum(p), HistoryStore.APPLIED,
                            Instant.now(), seq));
                }
            }
        }
        return out;
    }

    private void adopt(WorkSession ws, List<Migration> adopted) throws SQLException {
        List<HistoryStore.Adopted> rows = new ArrayList<>();
        for (Migration m : adopted) {
            Map<Phase, Integer> steps = new EnumMap<>(Phase.class);
            Map<Phase, String> sums = new EnumMap<>(Phase.class);
            for (Phase p : Phase.values()) {
                if (!m.steps(p).isEmpty()) {
                    steps.put(p, m.steps(p).size());
                    sums.put(p, m.checksum(p));
                }
            }
            rows.add(new HistoryStore.Adopted(m.id(), m.description(), steps, sums));
        }
        String from = config.baseline().orElseThrow().toString();
        history.adopt(ws.connection(), rows, from);
        LOG.info("querk: adopted {} migration(s) already applied ({} .. {}) as the baseline from {}; they will not run",
                adopted.size(), adopted.get(0).id(), adopted.get(adopted.size() - 1).id(), from);
    }

    /**
     * Refuses a migration new to the database whose id sorts before an applied one (a branch merged
     * late), unless the configuration accepts out-of-order migrations.
     */
    private void verifyOrder(Map<String, PhaseRecord> records) {
        if (config.outOfOrder()) {
            return;
        }
        String lastApplied = records.values().stream().filter(PhaseRecord::applied).map(PhaseRecord::migrationId)
                .max(Migration.ID_ORDER).orElse(null);
        if (lastApplied == null) {
            return;
        }
        Set<String> known = new HashSet<>();
        records.values().forEach(r -> known.add(r.migrationId()));
        for (Migration m : config.migrations()) {
            if (!known.contains(m.id()) && Migration.ID_ORDER.compare(m.id(), lastApplied) < 0) {
                throw new OutOfOrderMigrationException(m.id(), lastApplied);
            }
        }
    }

    /** Records, as pending, the migrations this run sees first; see {@link HistoryStore#register}. */
    private void register(WorkSession ws, Map<String, PhaseRecord> records) throws SQLException {
        Set<String> known = new HashSet<>();
        records.values().forEach(r -> known.add(r.migrationId()));
        List<Map.Entry<String, List<Phase>>> fresh = new ArrayList<>();
        for (Migration m : config.migrations()) {
            if (!known.contains(m.id())) {
                List<Phase> phases = Arrays.stream(Phase.values()).filter(p -> !m.steps(p).isEmpty()).toList();
                fresh.add(Map.entry(m.id(), phases));
            }
        }
        history.register(ws.connection(), fresh);
    }

    private void verifyChecksums(Map<String, PhaseRecord> records) {
        List<String> problems = new ArrayList<>();
        String first = null;
        for (Migration m : config.migrations()) {
            for (Phase p : Phase.values()) {
                PhaseRecord r = records.get(HistoryStore.key(m.id(), p));
                if (r != null && r.applied() && !r.checksum().equals(m.checksum(p))) {
                    problems.add("'" + m.id() + "' " + p.label() + m.sourceFile().map(f -> " (file " + f + ")").orElse(""));
                    first = first == null ? m.id() : first;
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new ChecksumMismatchException("Applied phase(s) " + String.join(", ", problems) + " no longer match"
                    + " their definitions: they were edited after being applied, and their effect is already in the"
                    + " database. Revert the edit and put the change into a new migration. If the edit changes nothing"
                    + " in the database (a reformatted expression, say), accept it with querk.repairChecksums(\""
                    + first + "\") (command line: querk repair " + first + "; Maven: mvn querk:repair -Dquerk.migration="
                    + first + ").", first);
        }
    }

    /**
     * Undoes a migration's expand, under the runner lock; see {@code Querk.abort}.
     */
    public AbortReport abort(String migrationId) {
        Migration m = config.migrations().stream().filter(x -> x.id().equals(migrationId)).findFirst().orElseThrow();
        long t0 = System.nanoTime();
        try (Opening o = new Opening(List.of(), false)) {
            refuseAbortAfterContract(m, o.records);
            try (ActiveRun run = new ActiveRun(o.handOver(), lock(o.ws, config.runnerLockTimeout()), events)) {
                return run.abort(m, t0);
            }
        } catch (SQLException e) {
            throw new QuerkException("Could not abort '" + migrationId + "': " + e.getMessage() + " [SQLSTATE "
                    + e.getSQLState() + "]. Nothing is left half-undone: run abort again to finish.", migrationId, null,
                    null, e);
        }
    }

    private static void refuseAbortAfterContract(Migration m, Map<String, PhaseRecord> records) {
        PhaseRecord contract = records.get(HistoryStore.key(m.id(), Phase.CONTRACT));
        if (contract != null && !HistoryStore.PENDING.equals(contract.status())
                && !HistoryStore.ABORTED.equals(contract.status())) {
            throw new CannotAbortException("Migration '" + m.id() + "' cannot be aborted: its contract phase has"
                    + " started (" + contract.status() + "), and what a contract removes cannot be brought back by"
                    + " Querk. Undo it with a new migration instead.", m.id());
        }
    }

    /** @return the state of every non-empty phase of every configured migration */
    public List<PhaseState> status() {
        try (WorkSession ws = WorkSession.open(config.dataSource())) {
            Map<String, PhaseRecord> read = history.readPhases(ws.connection());
            Map<String, PhaseRecord> records = withAdopted(read, adoptable(ws, read));
            List<PhaseState> out = new ArrayList<>();
            for (Migration m : config.migrations()) {
                for (Phase p : Phase.values()) {
                    if (m.steps(p).isEmpty()) {
                        continue;
                    }
                    PhaseRecord r = records.get(HistoryStore.key(m.id(), p));
                    PhaseState.Status s = r == null || HistoryStore.PENDING.equals(r.status())
                            ? PhaseState.Status.PENDING
                            : r.applied() ? PhaseState.Status.APPLIED
                            : HistoryStore.FAILED.equals(r.status()) ? PhaseState.Status.FAILED
                            : HistoryStore.ABORTED.equals(r.status()) ? PhaseState.Status.ABORTED
                            : PhaseState.Status.RUNNING;
                    out.add(new PhaseState(m.id(), p, s, r == null ? null : r.finishedAt(),
                            r == null || r.checksum().equals(m.checksum(p))));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new QuerkException("Could not read the migration history: " + e.getMessage(), null, null, null, e);
        }
    }

    /** Replaces a migration's recorded checksums with its current ones, under the runner lock. */
    public int repairChecksums(String migrationId) {
        Migration m = config.migrations().stream().filter(x -> x.id().equals(migrationId)).findFirst().orElseThrow();
        try (WorkSession ws = WorkSession.open(config.dataSource());
             RunnerLock lock = lock(ws, config.runnerLockTimeout())) {
            history.ensureTables(ws.connection());
            Map<Phase, String> sums = new EnumMap<>(Phase.class);
            Map<Phase, List<String>> stepSums = new EnumMap<>(Phase.class);
            for (Phase p : Phase.values()) {
                sums.put(p, m.checksum(p));
                stepSums.put(p, m.steps(p).stream().map(s -> PhaseChecksum.ofStep((StepDefinition) s)).toList());
            }
            int n = history.repair(ws.connection(), migrationId, sums, stepSums);
            LOG.warn("querk: accepted the current definition of {} phase(s) of '{}' as applied (repairChecksums)", n,
                    migrationId);
            return n;
        } catch (SQLException e) {
            throw new QuerkException("Could not repair checksums of '" + migrationId + "': " + e.getMessage(),
                    migrationId, null, null, e);
        }
    }

    private static String runBy() {
        String host = System.getenv("HOSTNAME");
        if (host == null || host.isBlank()) {
            host = System.getenv("COMPUTERNAME");
        }
        return System.getProperty("user.name", "?") + "@" + (host == null || host.isBlank() ? "unknown-host" : host)
                + " (pid " + ProcessHandle.current().pid() + ")";
    }
}
