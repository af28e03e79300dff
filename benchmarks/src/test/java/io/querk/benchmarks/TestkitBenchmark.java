package io.querk.benchmarks;

import io.querk.jdbc.Querk;
import io.querk.jdbc.QuerkConfig;
import io.querk.migration.Migration;
import io.querk.migration.SafetyOverride;
import io.querk.testkit.Rehearsal;
import io.querk.testkit.RehearsalReport;
import io.querk.plan.LockMode;
import io.querk.testkit.random.SeededRandom;
import io.querk.testkit.trace.LockInterval;
import io.querk.testkit.trace.LockTracer;
import io.querk.testkit.traffic.SessionRun;
import io.querk.testkit.traffic.Traffic;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import static io.querk.benchmarks.Stats.fmt;
import static io.querk.benchmarks.Stats.median;

/**
 * The testkit's lock tracer, measured: what it adds to a migration's time, and how close its
 * durations come to locks held for known times. Test code, because the testkit brings JUnit.
 */
final class TestkitBenchmark implements Benchmark {

    /** The overhead measurement's table size: big enough for an index build to take a while. */
    static final int MAX_ROWS = 200_000;
    static final int HOLDS_PER_RUN = 10;
    static final int MIN_HOLD_MS = 50;
    static final int MAX_HOLD_MS = 1000;
    /** The overhead's runs are short, so each run measures both ways this many times. */
    static final int OVERHEAD_ROUNDS_PER_RUN = 3;
    static final int SHORT_LOCKS_PER_RUN = 20;

    /** The migration untraced (the baseline) and traced. */
    enum Mode {
        WITHOUT("without the tracer"),
        WITH("with the lock tracer");

        final String label;

        Mode(String label) {
            this.label = label;
        }
    }

    /**
     * One migration, traced or not.
     *
     * @param seconds   the migration's wall time
     * @param samples   samples the tracer took (0 untraced)
     * @param intervals lock intervals it recorded on the migrated table (0 untraced)
     */
    record Migrated(double seconds, long samples, int intervals) {
    }

    /**
     * One lock held for a known time and measured by the tracer.
     *
     * @param requestedMs what the holder was asked to hold
     * @param trueMs      from the LOCK's return to the COMMIT's return, as the holder's client saw it
     * @param measuredMs  the tracer's duration
     */
    record Hold(long requestedMs, double trueMs, double measuredMs) {
        double errorMs() {
            return Math.abs(measuredMs - trueMs);
        }
    }

    @Override
    public String id() {
        return "testkit";
    }

    @Override
    public String title() {
        return "Testkit: the lock tracer's overhead and accuracy";
    }

    @Override
    public String run(BenchContext ctx) throws Exception {
        int rows = Math.min(MAX_ROWS, ctx.rows());
        String template = "bench_testkit_template";
        ctx.log("loading %,d rows into the template database", rows);
        BackfillBenchmark.load(ctx.freshDatabase(template), rows);
        Map<Mode, List<Migrated>> overhead = new EnumMap<>(Mode.class);
        Mode[] order = Mode.values();
        int rounds = ctx.runs() * OVERHEAD_ROUNDS_PER_RUN;
        // A migration this short is dominated by class loading and JIT in its first run: one untimed round first.
        for (Mode m : order) {
            migrate(m, ctx.server().copy(template, "bench_testkit_warmup"));
            ctx.server().drop("bench_testkit_warmup");
        }
        for (int r = 0; r < rounds; r++) {
            for (int i = 0; i < order.length; i++) {
                Mode m = order[(i + r) % order.length];
                String name = "bench_testkit_" + m.name().toLowerCase(Locale.ROOT);
                Migrated run = migrate(m, ctx.server().copy(template, name));
                ctx.server().drop(name);
                overhead.computeIfAbsent(m, k -> new ArrayList<>()).add(run);
                ctx.log("round %d, %s: %.3f s, %d samples, %d intervals", r + 1, m.label, run.seconds(), run.samples(),
                        run.intervals());
            }
        }
        ctx.server().drop(template);
        // At the benchmark's size every statement outlasts several sampling intervals; a traced run
        // that saw nothing would mean the tracer was not watching, and its overhead figure nothing.
        if (overhead.get(Mode.WITH).stream().anyMatch(m -> m.intervals() == 0)) {
            throw new IllegalStateException("The tracer saw no lock on orders in a traced run: " + overhead.get(Mode.WITH));
        }

        long seed = Long.getLong("bench.seed", ThreadLocalRandom.current().nextLong());
        SeededRandom random = new SeededRandom(seed);
        List<Hold> holds = new ArrayList<>();
        for (int r = 0; r < ctx.runs(); r++) {
            List<Hold> run = holds(ctx.freshDatabase("bench_testkit_holds"), random, HOLDS_PER_RUN);
            ctx.server().drop("bench_testkit_holds");
            ctx.log("run %d: errors (ms) %s", r + 1, run.stream().map(h -> fmt("%.1f", h.errorMs())).toList());
            holds.addAll(run);
        }
        List<ShortLock> shorts = new ArrayList<>();
        for (int r = 0; r < ctx.runs(); r++) {
            shorts.addAll(shortLocks(ctx.freshDatabase("bench_testkit_short"), random, SHORT_LOCKS_PER_RUN));
            ctx.server().drop("bench_testkit_short");
        }
        ctx.log("short locks: %s", shorts);
        return markdown(rows, overhead, seed, ctx.runs(), holds, shorts);
    }

    /** The migration both ways: a concurrent index build and a new column. */
    static Migration migration() {
        return Migration.define("testkit-bench.orders-created-at")
                .expand(e -> e.createIndex("orders_created_at_idx", "orders", "created_at")
                        .addColumn("orders", "priority", "smallint"))
                .build();
    }

    /**
     * Runs {@link #migration()} on a database holding {@link BackfillBenchmark#load loaded} orders,
     * with the tracer watching Querk's sessions at its default interval, or without it.
     */
    static Migrated migrate(Mode mode, DataSource ds) {
        Querk querk = Querk.create(QuerkConfig.custom().dataSource(ds).migrations(migration()).build());
        if (mode == Mode.WITHOUT) {
            long t0 = System.nanoTime();
            querk.migrateAllPhases();
            return new Migrated((System.nanoTime() - t0) / 1e9, 0, 0);
        }
        try (LockTracer tracer = LockTracer.tracing(ds).start()) {
            long t0 = System.nanoTime();
            querk.migrateAllPhases();
            double seconds = (System.nanoTime() - t0) / 1e9;
            List<LockInterval> seen = tracer.stop();
            return new Migrated(seconds, tracer.samples(), (int) seen.stream()
                    .filter(i -> i.relation().equals("public.orders") && i.granted()).count());
        }
    }

    /**
     * Holds ACCESS EXCLUSIVE on a table for random known times from a session of its own (a
     * participant of the testkit's traffic: LOCK TABLE, pg_sleep, COMMIT, each statement timed),
     * each hold under a new tracer, as the testkit's accuracy test does.
     */
    static List<Hold> holds(DataSource ds, SeededRandom random, int count) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS parcels (id int PRIMARY KEY)");
        }
        List<Hold> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            long hold = random.between(MIN_HOLD_MS, MAX_HOLD_MS);
            SessionRun run;
            List<LockInterval> seen;
            try (LockTracer tracer = LockTracer.tracing(ds).sessions(Traffic.APPLICATION_PREFIX + "bench-holder").start()) {
                Traffic holder = Traffic.on(ds).transaction("bench-holder", t -> t
                        .sql("LOCK TABLE parcels IN ACCESS EXCLUSIVE MODE").sql("SELECT pg_sleep(" + hold / 1000.0 + ")")
                        .holdFor(Duration.ZERO)).start();
                run = holder.awaitSessions(Duration.ofSeconds(30)).get(0);
                holder.stop();
                seen = tracer.stop();
            }
            List<LockInterval> ae = seen.stream().filter(x -> x.relation().equals("public.parcels")
                    && x.mode() == LockMode.ACCESS_EXCLUSIVE && x.granted()).toList();
            if (ae.size() != 1) {
                throw new IllegalStateException("Expected one ACCESS EXCLUSIVE interval on parcels for a " + hold
                        + " ms hold, the tracer saw: " + seen);
            }
            double trueMs = Duration.between(run.statements().get(0).end(), run.end()).toNanos() / 1e6;
            out.add(new Hold(hold, trueMs, ae.get(0).duration().toNanos() / 1e6));
        }
        return out;
    }

    /**
     * A lock shorter than the sampling interval, taken by a Querk step: ACCESS EXCLUSIVE for a CHECK
     * whose one-row scan sleeps a known few milliseconds.
     *
     * @param heldMs       how long the statement was made to hold it (its pg_sleep)
     * @param sampled      whether the sampler alone saw it
     * @param capturedMs   the captured interval's length (transaction start to commit), or -1 if not captured
     */
    record ShortLock(double heldMs, boolean sampled, double capturedMs) {
        double errorMs() {
            return capturedMs - heldMs;
        }
    }

    /** Rehearses {@code count} steps that each hold ACCESS EXCLUSIVE for 1 to 9 ms, with capture on and the default sampler. */
    static List<ShortLock> shortLocks(DataSource ds, SeededRandom random, int count) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS tick (id int PRIMARY KEY)");
            s.execute("INSERT INTO tick VALUES (1) ON CONFLICT DO NOTHING");
        }
        List<ShortLock> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            long ms = random.between(1, 9);
            String name = "tick_check_" + i + "_" + System.nanoTime();
            RehearsalReport r = Rehearsal.of(Migration.define("testkit-bench.short-lock-" + name)
                            .expand(e -> e.sql("ALTER TABLE tick ADD CONSTRAINT " + name + " CHECK (pg_sleep(" + ms / 1000.0
                                    + ") IS NOT NULL)", SafetyOverride.because("a lock held for a known few milliseconds")))
                            .build())
                    .on(ds).run();
            if (r.error().isPresent()) {
                throw new IllegalStateException("The short-lock step failed: " + r.error().get().getMessage());
            }
            List<LockInterval> ae = r.locks().stream().filter(x -> x.relation().equals("public.tick")
                    && x.mode() == LockMode.ACCESS_EXCLUSIVE && r.stepOf(x).isPresent()).toList();
            boolean sampled = ae.stream().anyMatch(x -> x.source() == LockInterval.Source.SAMPLED);
            double captured = ae.stream().filter(x -> x.source() == LockInterval.Source.CAPTURED)
                    .mapToDouble(x -> x.duration().toNanos() / 1e6).max().orElse(-1);
            out.add(new ShortLock(ms, sampled, captured));
        }
        return out;
    }

    static String markdown(int rows, Map<Mode, List<Migrated>> overhead, long seed, int runs, List<Hold> holds,
                           List<ShortLock> shorts) {
        List<Migrated> without = overhead.get(Mode.WITHOUT);
        double base = median(without.stream().map(Migrated::seconds).toList());
        StringBuilder md = new StringBuilder();
        md.append(fmt("**Overhead.** A table of %,d orders (primary key and one secondary index) gets an index built"
                        + " `CONCURRENTLY` and a nullable column through Querk (`migrateAllPhases()`), with `LockTracer`"
                        + " sampling `pg_locks` for Querk's sessions from a connection of its own at its default"
                        + " %d ms interval, and without it. Fresh databases, alternating order, after one untimed round;"
                        + " medians of %d runs [range].%n%n",
                rows, LockTracer.DEFAULT_INTERVAL.toMillis(), without.size()));
        md.append("| approach | migration time | vs without the tracer | tracer samples | lock intervals recorded |\n"
                + "|---|---|---|---|---|\n");
        for (Mode m : Mode.values()) {
            List<Migrated> runsOf = overhead.get(m);
            List<Double> secs = runsOf.stream().map(Migrated::seconds).toList();
            double s = median(secs);
            md.append(fmt("| %s | %.3f s [%s] | %.2f× | %s | %s |%n", m.label, s, Stats.range(secs, "%.3f"), s / base,
                    m == Mode.WITH ? fmt("%.0f", median(runsOf.stream().map(x -> (double) x.samples()).toList())) : "–",
                    m == Mode.WITH ? fmt("%.0f", median(runsOf.stream().map(x -> (double) x.intervals()).toList())) : "–"));
        }
        List<Double> errors = holds.stream().map(Hold::errorMs).toList();
        List<Double> held = holds.stream().map(Hold::trueMs).toList();
        double max = errors.stream().mapToDouble(Double::doubleValue).max().orElse(0);
        md.append(fmt("%n**Accuracy.** A second session takes `LOCK TABLE parcels IN ACCESS EXCLUSIVE MODE`, sleeps a"
                        + " random time (`pg_sleep`) and commits; a new tracer at the default interval watches each hold."
                        + " The holder is a participant session of the testkit's traffic; the true duration runs from"
                        + " the LOCK's return to the COMMIT's return, as its statement timings record them."
                        + " %d runs of %d holds of %d–%d ms, drawn with seed %d (replay with `-Dbench.seed=%d`).%n%n",
                runs, holds.size() / Math.max(runs, 1), MIN_HOLD_MS, MAX_HOLD_MS, seed, seed));
        md.append("| holds | held | median error | p90 error | max error | stated error |\n|---|---|---|---|---|---|\n");
        md.append(fmt("| %d | %.0f–%.0f ms | %.1f ms | %.1f ms | %.1f ms | %d ms |%n", holds.size(),
                held.stream().mapToDouble(Double::doubleValue).min().orElse(0), held.stream().mapToDouble(Double::doubleValue)
                        .max().orElse(0), median(errors), Stats.percentile(errors, 90), max, LockTracer.STATED_ERROR_MILLIS));
        md.append(fmt("%nGoal: every measured hold within the tracer's stated error (`LockTracer.STATED_ERROR_MILLIS`,"
                        + " %d ms at the default %d ms interval): **%s** (largest error %.1f ms).%n",
                LockTracer.STATED_ERROR_MILLIS, LockTracer.DEFAULT_INTERVAL.toMillis(),
                max <= LockTracer.STATED_ERROR_MILLIS ? "met" : "not met", max));
        long sampled = shorts.stream().filter(ShortLock::sampled).count();
        long captured = shorts.stream().filter(x -> x.capturedMs() >= 0).count();
        List<Double> over = shorts.stream().filter(x -> x.capturedMs() >= 0).map(ShortLock::errorMs).toList();
        md.append(fmt("%n**Short locks.** %d Querk steps each take ACCESS EXCLUSIVE on a one-row table for a CHECK whose"
                        + " scan of the row sleeps 1–9 ms (`pg_sleep`), then commit: a hold of the sleep plus the"
                        + " statement's catalog work and commit. Rehearsed with the default %d ms sampler and the engine's"
                        + " capture (`LocksHeld`: `pg_locks` read inside the step's own transaction, just before commit)."
                        + " A captured lock spans from the transaction's first statement to its commit, so it is never"
                        + " shorter than the hold; its excess over the sleep bounds its error from above (it includes the"
                        + " catalog work and commit the lock really was held for, and the capture's own query).%n%n",
                shorts.size(), LockTracer.DEFAULT_INTERVAL.toMillis()));
        md.append("| locks | listed by the sampler alone | listed with capture | captured minus the sleep, median | p90 | max |\n"
                + "|---|---|---|---|---|---|\n");
        md.append(fmt("| %d | %d (%.0f%%) | %d (%.0f%%) | %s | %s | %s |%n", shorts.size(), sampled,
                100.0 * sampled / Math.max(1, shorts.size()), captured, 100.0 * captured / Math.max(1, shorts.size()),
                over.isEmpty() ? "–" : fmt("+%.1f ms", median(over)), over.isEmpty() ? "–" : fmt("+%.1f ms", Stats.percentile(over, 90)),
                over.isEmpty() ? "–" : fmt("+%.1f ms", over.stream().mapToDouble(Double::doubleValue).max().orElse(0))));
        md.append(fmt("%nGoal: every short lock listed: **%s** (%d of %d).%n", captured == shorts.size() ? "met" : "not met",
                captured, shorts.size()));
        return md.toString();
    }
}
