package io.querk.micrometer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.Timer;
import io.querk.Api;
import io.querk.jdbc.Blocker;
import io.querk.jdbc.LockTimeoutException;
import io.querk.jdbc.event.BackfillPaused;
import io.querk.jdbc.event.BackfillProgress;
import io.querk.jdbc.event.BackfillResized;
import io.querk.jdbc.event.BackfillVacuumed;
import io.querk.jdbc.event.LockWaiting;
import io.querk.jdbc.event.PhaseFinished;
import io.querk.jdbc.event.QuerkEvent;
import io.querk.jdbc.event.QuerkListener;
import io.querk.jdbc.event.RunFinished;
import io.querk.jdbc.event.RunStarted;
import io.querk.jdbc.event.StatementFinished;
import io.querk.jdbc.event.StepFailed;
import io.querk.jdbc.event.StepFinished;
import io.querk.jdbc.event.StepRetrying;
import io.querk.jdbc.event.StepStarted;
import io.querk.migration.Phase;
import io.querk.migration.StepRef;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Micrometer meters for Querk runs, fed by the engine's events: a {@link QuerkListener}.
 *
 * <pre>{@code
 * Querk querk = Querk.create(QuerkConfig.custom()
 *         .dataSource(dataSource)
 *         .migrations(Migrations.all())
 *         .listener(QuerkMetrics.bindTo(meterRegistry))
 *         .build());
 * }</pre>
 *
 * <p>Names follow Micrometer's conventions (dot-separated, lower case; timers in the registry's
 * base unit, seconds for Prometheus: {@code querk.step.duration} becomes
 * {@code querk_step_duration_seconds}). Tags have bounded values only: the migration id, the
 * phase, the step's kind and number, an outcome or a cause from a fixed list. SQL, blocker queries
 * and reasons never become tags. docs/metrics.md lists every meter with an example dashboard query.
 *
 * <p>Thread-safe: the engine publishes {@code LockWaiting} from its blocker monitor's thread and
 * the rest from the migration's (or a backfill worker's) thread.
 */
@Api(status = Api.Status.EXPERIMENTAL, since = "0.1")
public final class QuerkMetrics implements QuerkListener {

    /** Timer: a run from its start to its end; tag {@code outcome} = {@code completed|cancelled}. */
    public static final String RUN_DURATION = "querk.run.duration";
    /** Gauge: 1 while a run works in this process, else 0. */
    public static final String RUN_ACTIVE = "querk.run.active";
    /** Timer: a phase of a migration; tags {@code migration}, {@code phase}. */
    public static final String PHASE_DURATION = "querk.phase.duration";
    /**
     * Timer: a step, all attempts included; tags {@code migration}, {@code phase}, {@code kind},
     * {@code outcome} = {@code applied|failed}, {@code retried} = {@code true|false}.
     */
    public static final String STEP_DURATION = "querk.step.duration";
    /**
     * Counter: attempts that failed and were retried; tags {@code migration}, {@code phase},
     * {@code reason} = {@code lock_timeout|deadlock|statement_timeout|other}.
     */
    public static final String STEP_RETRIES = "querk.step.retries";
    /**
     * Timer: statements seen waiting for a lock, from their start until the wait ended; tags
     * {@code migration}, {@code phase}, {@code outcome} = {@code acquired|lock_timeout|deadlock|failed}.
     */
    public static final String LOCK_WAIT = "querk.lock.wait";
    /**
     * Counter: sessions seen blocking a statement of Querk's (each once per statement); tags
     * {@code migration}, {@code phase}, {@code state} (the blocker's {@code pg_stat_activity.state}).
     */
    public static final String LOCK_BLOCKERS = "querk.lock.blockers";
    /** Counter: backfill rows; tags {@code migration}, {@code step}, {@code kind} = {@code updated|scanned}. */
    public static final String BACKFILL_ROWS = "querk.backfill.rows";
    /** Gauge: a backfill's rows scanned per second in this run (0 once it ended); tags {@code migration}, {@code step}. */
    public static final String BACKFILL_RATE = "querk.backfill.rate";
    /** Gauge: the fraction of a backfill's estimated rows walked, 0 to 1; tags {@code migration}, {@code step}. */
    public static final String BACKFILL_PROGRESS = "querk.backfill.progress";
    /** Time gauge: a backfill's estimated time left; tags {@code migration}, {@code step}. */
    public static final String BACKFILL_REMAINING = "querk.backfill.remaining";
    /** Gauge: the batch size each worker uses now; tags {@code migration}, {@code step}, {@code worker} (1, 2, ...). */
    public static final String BACKFILL_BATCH_SIZE = "querk.backfill.batch.size";
    /** Time gauge: this run's longest batch, the longest any row lock was held; tags {@code migration}, {@code step}. */
    public static final String BACKFILL_BATCH_LONGEST = "querk.backfill.batch.longest";
    /** Counter: batch size changes; tags {@code migration}, {@code step}, {@code direction} = {@code up|down}. */
    public static final String BACKFILL_RESIZES = "querk.backfill.resizes";
    /**
     * Timer: throttle pauses, each recorded with the time it holds the backfill off; tags
     * {@code migration}, {@code step}, {@code cause} = {@code requested|vacuum_running|dead_tuples|replication_lag}.
     */
    public static final String BACKFILL_THROTTLE = "querk.backfill.throttle.pause";
    /** Timer: vacuums a backfill ran alongside its batches; tags {@code migration}, {@code step}. */
    public static final String BACKFILL_VACUUMS = "querk.backfill.vacuums";

    private final MeterRegistry registry;
    private final Tags common;
    private final AtomicInteger activeRuns = new AtomicInteger();
    private final Map<StepRef, Long> stepStarts = new ConcurrentHashMap<>();
    private final Set<StepRef> retried = ConcurrentHashMap.newKeySet();
    private final Map<WaitKey, Wait> waits = new ConcurrentHashMap<>();
    private final Map<StepRef, BackfillGauges> backfills = new ConcurrentHashMap<>();

    private QuerkMetrics(MeterRegistry registry, Tags common) {
        this.registry = registry;
        this.common = common;
        Gauge.builder(RUN_ACTIVE, activeRuns, AtomicInteger::get).tags(common)
                .description("1 while a Querk run works in this process").register(registry);
    }

    /**
     * @param registry where the meters go
     * @return a listener to add with {@code QuerkConfig.Builder.listener(...)}
     */
    public static QuerkMetrics bindTo(MeterRegistry registry) {
        return bindTo(registry, Tags.empty());
    }

    /**
     * @param registry   where the meters go
     * @param commonTags tags on every meter, e.g. {@code Tags.of("database", "orders")} when one
     *                   process migrates several databases
     * @return a listener to add with {@code QuerkConfig.Builder.listener(...)}
     */
    public static QuerkMetrics bindTo(MeterRegistry registry, Iterable<Tag> commonTags) {
        Objects.requireNonNull(registry, "registry must not be null");
        Objects.requireNonNull(commonTags, "commonTags must not be null");
        return new QuerkMetrics(registry, Tags.of(commonTags));
    }

    @Override
    public void onEvent(QuerkEvent event) {
        if (event instanceof RunStarted) {
            activeRuns.incrementAndGet();
        } else if (event instanceof RunFinished f) {
            activeRuns.updateAndGet(n -> Math.max(0, n - 1));
            timer(RUN_DURATION, Tags.of("outcome", f.report().cancelled() ? "cancelled" : "completed"))
                    .record(f.report().took());
        } else if (event instanceof PhaseFinished f) {
            timer(PHASE_DURATION, phaseTags(f.migrationId(), f.phase())).record(f.took());
        } else if (event instanceof StepStarted s) {
            stepStarts.put(s.step(), System.nanoTime());
        } else if (event instanceof StepFinished f) {
            stepStarts.remove(f.step());
            endStep(f.step(), "applied", f.took());
        } else if (event instanceof StepFailed f) {
            Long start = stepStarts.remove(f.step());
            endWaits(f.step(), f.error() instanceof LockTimeoutException ? "lock_timeout" : "failed", null);
            endStep(f.step(), "failed", start == null ? Duration.ZERO : Duration.ofNanos(System.nanoTime() - start));
        } else if (event instanceof StepRetrying r) {
            retried.add(r.step());
            String reason = reason(r.sqlState());
            counter(STEP_RETRIES, stepTags(r.step()).and("reason", reason)).increment();
            seeBlockers(r.step(), null, r.blockers());
            endWaits(r.step(), reason.equals("lock_timeout") || reason.equals("deadlock") ? reason : "failed", null);
        } else if (event instanceof LockWaiting w) {
            seeBlockers(w.step(), w.sql(), w.blockers());
            waits.computeIfAbsent(new WaitKey(w.step(), w.sql()), k -> new Wait()).longest(w.waited());
        } else if (event instanceof StatementFinished f) {
            Wait wait = waits.remove(new WaitKey(f.step(), f.sql()));
            if (wait != null) {
                String r = f.sqlState() == null ? "acquired" : reason(f.sqlState());
                record(f.step(), r.equals("lock_timeout") || r.equals("deadlock") || r.equals("acquired") ? r : "failed",
                        f.took());
            }
        } else if (event instanceof BackfillProgress p) {
            // A batch that waited for a row lock and then went on says so only by moving on.
            endWaits(p.step(), "acquired", null);
            backfills.computeIfAbsent(p.step(), BackfillGauges::new).update(p);
        } else if (event instanceof BackfillResized r) {
            counter(BACKFILL_RESIZES, backfillTags(r.step()).and("direction", r.to() > r.from() ? "up" : "down"))
                    .increment();
        } else if (event instanceof BackfillPaused p) {
            timer(BACKFILL_THROTTLE, backfillTags(p.step()).and("cause", p.cause().name().toLowerCase(Locale.ROOT)))
                    .record(p.pause());
        } else if (event instanceof BackfillVacuumed v) {
            timer(BACKFILL_VACUUMS, backfillTags(v.step())).record(v.took());
        }
    }

    private void endStep(StepRef step, String outcome, Duration took) {
        endWaits(step, "acquired", null);
        boolean wasRetried = retried.remove(step);
        timer(STEP_DURATION, stepTags(step).and("kind", step.kind().name().toLowerCase(Locale.ROOT))
                .and("outcome", outcome).and("retried", Boolean.toString(wasRetried))).record(took);
        BackfillGauges b = backfills.get(step);
        if (b != null) {
            b.ended();
        }
    }

    /** Ends every wait still open in {@code step}, as {@code outcome}, each with its longest observed wait. */
    private void endWaits(StepRef step, String outcome, Duration took) {
        waits.entrySet().removeIf(e -> {
            if (!e.getKey().step().equals(step)) {
                return false;
            }
            record(step, outcome, took != null ? took : e.getValue().longest);
            return true;
        });
    }

    private void record(StepRef step, String outcome, Duration took) {
        timer(LOCK_WAIT, stepTags(step).and("outcome", outcome)).record(took);
    }

    private void seeBlockers(StepRef step, String sql, List<Blocker> blockers) {
        Wait wait = sql == null ? null : waits.computeIfAbsent(new WaitKey(step, sql), k -> new Wait());
        for (Blocker b : blockers) {
            if (wait == null || wait.firstSight(b.pid())) {
                counter(LOCK_BLOCKERS, stepTags(step).and("state", b.state() == null ? "unknown" : b.state())).increment();
            }
        }
    }

    private Timer timer(String name, Tags tags) {
        return Timer.builder(name).tags(common.and(tags)).register(registry);
    }

    private Counter counter(String name, Tags tags) {
        return Counter.builder(name).tags(common.and(tags)).register(registry);
    }

    private static Tags phaseTags(String migration, Phase phase) {
        return Tags.of("migration", migration, "phase", phase.label());
    }

    private static Tags stepTags(StepRef step) {
        return phaseTags(step.migrationId(), step.phase());
    }

    private static Tags backfillTags(StepRef step) {
        return Tags.of("migration", step.migrationId(), "step", Integer.toString(step.number()));
    }

    /** The SQLSTATEs the engine retries on, by name; anything else is {@code other}. */
    private static String reason(String sqlState) {
        if (sqlState == null) {
            return "other";
        }
        return switch (sqlState) {
            case "55P03" -> "lock_timeout";       // lock_not_available: lock_timeout ran out
            case "40P01" -> "deadlock";           // deadlock_detected
            case "57014" -> "statement_timeout";  // query_canceled: statement_timeout ran out
            default -> "other";
        };
    }

    private record WaitKey(StepRef step, String sql) {
    }

    /** A statement's lock wait: the longest wait observed, and the blockers already counted. */
    private static final class Wait {
        private final Set<Integer> pids = new HashSet<>();
        private Duration longest = Duration.ZERO;

        synchronized void longest(Duration waited) {
            if (waited.compareTo(longest) > 0) {
                longest = waited;
            }
        }

        synchronized boolean firstSight(int pid) {
            return pids.add(pid);
        }
    }

    /** The gauges of one backfill step, holding the latest progress. */
    private final class BackfillGauges {
        private final Tags tags;
        private final List<AtomicInteger> workers = new java.util.concurrent.CopyOnWriteArrayList<>();
        private volatile BackfillProgress last;
        private volatile boolean running = true;

        BackfillGauges(StepRef step) {
            this.tags = common.and(backfillTags(step));
            Gauge.builder(BACKFILL_RATE, this, g -> g.running && g.last != null ? g.last.rowsPerSecond() : 0)
                    .tags(tags).baseUnit("rows").description("rows scanned per second").register(registry);
            Gauge.builder(BACKFILL_PROGRESS, this, g -> g.last == null ? 0 : Math.max(0, g.last.fractionDone()))
                    .tags(tags).description("fraction of the estimated rows walked").register(registry);
            TimeGauge.builder(BACKFILL_REMAINING, this, TimeUnit.MILLISECONDS,
                    g -> !g.running || g.last == null || g.last.eta() == null ? 0 : g.last.eta().toMillis())
                    .tags(tags).register(registry);
            TimeGauge.builder(BACKFILL_BATCH_LONGEST, this, TimeUnit.MILLISECONDS,
                    g -> g.last == null || g.last.longestBatch() == null ? 0 : g.last.longestBatch().toMillis())
                    .tags(tags).register(registry);
            // Totals over all runs, read as counters: a rate over them starts at this process's first reading,
            // so a resumed backfill does not count the rows of earlier runs as done now.
            FunctionCounter.builder(BACKFILL_ROWS, this, g -> g.last == null ? 0 : g.last.rowsUpdated())
                    .tags(tags.and("kind", "updated")).baseUnit("rows").register(registry);
            FunctionCounter.builder(BACKFILL_ROWS, this, g -> g.last == null ? 0 : g.last.rowsScanned())
                    .tags(tags.and("kind", "scanned")).baseUnit("rows").register(registry);
        }

        void update(BackfillProgress p) {
            last = p;
            running = true;
            List<Integer> sizes = p.batchSizes();
            synchronized (workers) {
                while (workers.size() < sizes.size()) {
                    AtomicInteger size = new AtomicInteger();
                    Gauge.builder(BACKFILL_BATCH_SIZE, size, AtomicInteger::get)
                            .tags(tags.and("worker", Integer.toString(workers.size() + 1))).baseUnit("rows")
                            .register(registry);
                    workers.add(size);
                }
            }
            for (int i = 0; i < workers.size(); i++) {
                workers.get(i).set(i < sizes.size() ? sizes.get(i) : 0);
            }
        }

        void ended() {
            running = false;
            workers.forEach(w -> w.set(0));
        }
    }
}
