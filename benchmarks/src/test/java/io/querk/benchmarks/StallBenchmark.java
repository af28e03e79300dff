package io.querk.benchmarks;

import io.querk.jdbc.MigrationReport;
import io.querk.jdbc.Querk;
import io.querk.jdbc.QuerkConfig;
import io.querk.jdbc.StepResult;
import io.querk.jdbc.retry.RetryPolicy;
import io.querk.migration.Migration;
import io.querk.testkit.traffic.Operation;
import io.querk.testkit.traffic.Param;
import io.querk.testkit.traffic.SessionRun;
import io.querk.testkit.traffic.Traffic;
import io.querk.testkit.traffic.TrafficOp;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static io.querk.benchmarks.Stats.fmt;
import static io.querk.benchmarks.Stats.median;

/**
 * The application's stall when a schema change meets a long transaction. Four clients of the
 * testkit's traffic model read and update orders by primary key; a session holds {@code ACCESS SHARE} on the table in an open
 * transaction for four seconds; meanwhile the same change (a nullable column and a CHECK
 * constraint on it) runs as plain SQL with no lock timeout, and through Querk with a constant
 * 100 ms lock timeout and retries. Reports the clients' longest operation and p99.9 while the
 * migration ran, their errors, and the migration's own time.
 */
final class StallBenchmark implements Benchmark {

    /** How long the blocking transaction holds its lock: the seed's scenario. */
    static final Duration HOLD = Duration.ofSeconds(4);
    /** Querk's lock timeout, kept constant across attempts. */
    static final Duration LOCK_TIMEOUT = Duration.ofMillis(100);
    /** What the goal allows above the lock timeout: a queued operation's own time and scheduling noise. */
    static final Duration SLACK = Duration.ofMillis(20);
    static final int CLIENTS = 4;
    static final Duration CLIENT_PAUSE = Duration.ofMillis(1);

    /** The change as a typical migration file writes it: run in order, on one connection, no lock_timeout. */
    static final List<String> PLAIN_SQL = List.of(
            "ALTER TABLE orders ADD COLUMN priority smallint",
            "ALTER TABLE orders ADD CONSTRAINT orders_priority_check CHECK (priority BETWEEN 0 AND 9)");

    /**
     * A constant lock timeout, so that no attempt stalls the application longer than the first;
     * enough attempts and time to outlast the blocker many times over; full-jitter backoff as
     * shipped, with a ceiling low enough that the change lands soon after the blocker is gone.
     */
    static final RetryPolicy RETRY = RetryPolicy.custom()
            .maxAttempts(100)
            .maxDuration(Duration.ofMinutes(1))
            .initialBackoff(Duration.ofMillis(100))
            .maxBackoff(Duration.ofSeconds(1))
            .build();

    /** The two ways of running the same change; plain SQL is the baseline. */
    enum Approach {
        PLAIN_SQL("plain SQL, no lock_timeout"),
        QUERK("Querk, lock_timeout 100 ms + retry");

        final String label;

        Approach(String label) {
            this.label = label;
        }
    }

    /**
     * One approach's run.
     *
     * @param maxMs           the longest application operation that overlapped the migration
     * @param p999Ms          their p99.9
     * @param beforeP999Ms    the p99.9 of the operations before the migration started
     * @param ops             application operations that overlapped the migration
     * @param errors          of those, how many failed
     * @param migrationSeconds the migration's wall time
     * @param remainingSeconds how much of the blocker's hold was left when the migration started
     * @param attempts        lock attempts of the step that tried most often (1 for plain SQL)
     */
    record Run(double maxMs, double p999Ms, double beforeP999Ms, int ops, long errors, double migrationSeconds,
               double remainingSeconds, int attempts) {
    }

    @Override
    public String id() {
        return "stall";
    }

    @Override
    public String title() {
        return "Application stall: a schema change behind a long transaction";
    }

    @Override
    public String run(BenchContext ctx) throws Exception {
        String template = "bench_stall_template";
        ctx.log("loading %,d rows into the template database", ctx.rows());
        BackfillBenchmark.load(ctx.freshDatabase(template), ctx.rows());
        Map<Approach, List<Run>> results = new EnumMap<>(Approach.class);
        Approach[] order = Approach.values();
        for (int r = 0; r < ctx.runs(); r++) {
            for (int i = 0; i < order.length; i++) {
                Approach a = order[(i + r) % order.length];
                String name = "bench_stall_" + a.name().toLowerCase(Locale.ROOT);
                Run run = measure(a, ctx.server().copy(template, name), ctx.rows(), HOLD);
                ctx.server().drop(name);
                results.computeIfAbsent(a, k -> new ArrayList<>()).add(run);
                ctx.log("run %d, %s: longest operation %.0f ms, p99.9 %.0f ms, %d errors, migration %.2f s,"
                                + " %d attempts", r + 1, a.label, run.maxMs(), run.p999Ms(), run.errors(),
                        run.migrationSeconds(), run.attempts());
            }
        }
        ctx.server().drop(template);
        return markdown(ctx.rows(), HOLD, results);
    }

    /**
     * Runs one approach on a database holding {@link BackfillBenchmark#load loaded} orders: starts
     * the clients (the testkit's traffic model), lets them warm up, opens the blocking transaction
     * (a participant of a second traffic, whose start returns once its SELECT holds ACCESS SHARE),
     * and migrates.
     */
    static Run measure(Approach a, DataSource ds, int rows, Duration hold) throws Exception {
        Param id = Param.longBetween(1, rows);
        try (Traffic app = Traffic.on(ds).seed(rows)
                .workload("clients", w -> w
                        .operation(Operation.read("read", "SELECT id, status, amount FROM orders WHERE id = ?")
                                .on("orders").param(id))
                        .operation(Operation.write("update", "UPDATE orders SET status = status WHERE id = ?")
                                .on("orders").param(id))
                        .clients(CLIENTS).think(CLIENT_PAUSE))
                .start()) {
            app.awaitOps(CLIENTS * 50L, Duration.ofSeconds(30));
            try (Traffic blocker = Traffic.on(ds).longTransaction("bench-blocker", hold, "SELECT id FROM orders LIMIT 1")
                    .start()) {
                Instant t0 = Instant.now();
                int attempts = migrate(a, ds);
                Instant t1 = Instant.now();
                SessionRun held = blocker.awaitSessions(hold.plusSeconds(30)).get(0);
                List<TrafficOp> ops = app.stop();
                blocker.stop();
                verify(ds);
                List<Double> during = ops.stream().filter(o -> !o.end().isBefore(t0) && !o.start().isAfter(t1))
                        .map(StallBenchmark::millis).toList();
                List<Double> before = ops.stream().filter(o -> o.end().isBefore(t0)).map(StallBenchmark::millis).toList();
                long errors = ops.stream().filter(o -> !o.end().isBefore(t0) && !o.start().isAfter(t1) && o.error() != null)
                        .count();
                Instant acquired = held.statements().get(0).end();
                double remaining = Math.max(0, Duration.between(t0, acquired.plus(hold)).toNanos() / 1e9);
                return new Run(during.stream().mapToDouble(Double::doubleValue).max().orElse(0),
                        Stats.percentile(during, 99.9), Stats.percentile(before, 99.9), during.size(), errors,
                        Duration.between(t0, t1).toNanos() / 1e9, remaining, attempts);
            }
        }
    }

    private static double millis(TrafficOp o) {
        return o.latency().toNanos() / 1e6;
    }

    /** @return the attempts of the step that needed most */
    private static int migrate(Approach a, DataSource ds) throws SQLException {
        if (a == Approach.PLAIN_SQL) {
            try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                for (String sql : PLAIN_SQL) {
                    s.execute(sql);
                }
            }
            return 1;
        }
        MigrationReport report = Querk.create(QuerkConfig.custom().dataSource(ds)
                .migrations(Migration.define("stall-bench.orders-priority")
                        .expand(e -> e.addColumn("orders", "priority", "smallint")
                                .addCheck("orders", "orders_priority_check", "priority BETWEEN 0 AND 9"))
                        .build())
                .lockTimeout(LOCK_TIMEOUT)
                .retryPolicy(RETRY)
                .build()).migrateAllPhases();
        return report.steps().stream().mapToInt(StepResult::attempts).max().orElse(0);
    }

    private static void verify(DataSource ds) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT convalidated FROM pg_constraint"
                     + " WHERE conname = 'orders_priority_check' AND conrelid = 'orders'::regclass")) {
            if (!rs.next() || !rs.getBoolean(1)) {
                throw new IllegalStateException("The migration left no validated orders_priority_check");
            }
        }
    }

    static String markdown(int rows, Duration hold, Map<Approach, List<Run>> results) {
        List<Run> base = results.get(Approach.PLAIN_SQL);
        double baseMax = median(base.stream().map(Run::maxMs).toList());
        double baseP999 = median(base.stream().map(Run::p999Ms).toList());
        StringBuilder md = new StringBuilder();
        md.append(fmt("A table of %,d orders (primary key and one secondary index) gets a nullable column and a CHECK"
                        + " constraint on it while %d clients read and update orders by primary key (the testkit's traffic"
                        + " model: closed-loop clients, each on its own connection, a 1:1 mix of reads and updates,"
                        + " %d ms between operations, every operation's start and end recorded). Just before the change"
                        + " starts, another session (a long-transaction participant of the traffic) runs"
                        + " `SELECT ... FROM orders LIMIT 1` in a transaction and keeps it open for %d s, holding"
                        + " ACCESS SHARE; the change starts once that SELECT has returned, its lock granted.%n%n",
                rows, CLIENTS, CLIENT_PAUSE.toMillis(), hold.toSeconds()));
        md.append("- **plain SQL**: `" + String.join(";` then `", PLAIN_SQL) + "` on one connection, no"
                + " `lock_timeout`, as a typical migration file runs.\n");
        md.append(fmt("- **Querk**: `addColumn(\"orders\", \"priority\", \"smallint\")` and `addCheck(...)` (ADD CONSTRAINT"
                + " NOT VALID, then VALIDATE, which takes no lock the application needs), `lockTimeout(%d ms)` (the"
                + " default retry policy never grows it), a gap of the lock timeout between attempts plus full-jitter"
                + " backoff from %d ms doubling to %d ms, at most %d attempts or %d s.%n%n", LOCK_TIMEOUT.toMillis(),
                RETRY.initialBackoff().toMillis(),
                RETRY.maxBackoff().toMillis(), RETRY.maxAttempts(), RETRY.maxDuration().toSeconds()));
        md.append(fmt("Application figures are over the operations in flight at any time during the migration. Medians"
                + " of %d runs [range].%n%n", base.size()));
        md.append("| approach | longest application operation | p99.9 | p99.9 before the migration | operations"
                + " | application errors (all runs) | migration time | lock attempts | longest operation vs plain SQL"
                + " | p99.9 vs plain SQL |\n|---|---|---|---|---|---|---|---|---|---|\n");
        for (Approach a : Approach.values()) {
            List<Run> runs = results.get(a);
            List<Double> max = runs.stream().map(Run::maxMs).toList();
            List<Double> p999 = runs.stream().map(Run::p999Ms).toList();
            List<Double> before = runs.stream().map(Run::beforeP999Ms).toList();
            List<Double> secs = runs.stream().map(Run::migrationSeconds).toList();
            List<Double> attempts = runs.stream().map(r -> (double) r.attempts()).toList();
            md.append(fmt("| %s | %s | %s | %.1f ms [%s] | %,.0f | %d | %.2f s [%s] | %.0f [%s] | %.3f× | %.3f× |%n",
                    a.label, ms(max), ms(p999), median(before), Stats.range(before, "%.1f"),
                    median(runs.stream().map(r -> (double) r.ops()).toList()),
                    runs.stream().mapToLong(Run::errors).sum(), median(secs), Stats.range(secs, "%.2f"),
                    median(attempts), Stats.range(attempts, "%.0f"), median(max) / baseMax, median(p999) / baseP999));
        }
        List<Run> querk = results.get(Approach.QUERK);
        double worst = querk.stream().mapToDouble(Run::maxMs).max().orElse(0);
        double bound = LOCK_TIMEOUT.toMillis() + SLACK.toMillis();
        double remaining = median(base.stream().map(Run::remainingSeconds).toList());
        md.append(fmt("%nGoal: Querk's longest application stall at most its lock timeout + %d ms (%.0f ms), in every run,"
                        + " while plain SQL stalls the application for about what is left of the blocker's hold: **%s**"
                        + " (Querk: %.0f ms at worst; plain SQL: %.2f s with %.2f s of the hold left, medians).%n",
                SLACK.toMillis(), bound, worst <= bound && baseMax / 1000 >= 0.8 * remaining ? "met" : "not met",
                worst, baseMax / 1000, remaining));
        md.append("\nThe plain ALTER TABLE waits for ACCESS EXCLUSIVE behind the open transaction, and every read and"
                + " write of the table queues behind the waiting ALTER until the transaction ends; the CHECK then scans"
                + " the table under that lock. Querk's ALTER gives up after its lock timeout, which releases the queue,"
                + " and tries again after a jittered pause; the application waits at most one lock timeout at a time."
                + " VALIDATE CONSTRAINT scans the table under SHARE UPDATE EXCLUSIVE, which blocks neither reads nor"
                + " writes. The cost is the migration's own time: it ends at the first attempt after the blocker"
                + " commits. A lock timeout bounds the wait, not what follows: an attempt that gets its lock late in its"
                + " wait (the blocker committing just then) adds its own catalog change and commit to the queue's"
                + " stall, which is what the goal's 20 ms allow for.\n");
        return md.toString();
    }

    /** @return "median [range]" in milliseconds, or in seconds when the median is a second or more */
    private static String ms(List<Double> millis) {
        double m = median(millis);
        if (m < 1000) {
            return fmt("%.0f ms [%s]", m, Stats.range(millis, "%.0f"));
        }
        return fmt("%.2f s [%s]", m / 1000, Stats.range(millis.stream().map(x -> x / 1000).toList(), "%.2f"));
    }
}
