package io.querk.benchmarks;

import io.querk.jdbc.BackfillSettings;
import io.querk.jdbc.Querk;
import io.querk.jdbc.QuerkConfig;
import io.querk.jdbc.event.BackfillProgress;
import io.querk.migration.Migration;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static io.querk.benchmarks.Stats.fmt;
import static io.querk.benchmarks.Stats.median;

/**
 * Fills a new column of a table of a million orders five ways, side by side: one plain UPDATE
 * (the baseline), a server-side PL/pgSQL keyset loop committing every 5,000 rows (what batching
 * costs with no client at all), and Querk's backfill with no pause (one worker, then two) and with
 * its defaults (one worker, batches of 2,000 rows, 50 ms pause, vacuuming at 10% dead tuples).
 * The UPDATE and Querk with no pause run again on a table four times the size, to show the cost
 * stays linear. Reports wall time, the ratio to one UPDATE of the same size, the longest any row
 * lock was held (the whole statement for the UPDATE; the longest batch for Querk) and the table's
 * growth.
 */
final class BackfillBenchmark implements Benchmark {

    private static final String SET = "(amount * 100)::bigint";
    /** The large table is this many times the base size. */
    static final int LARGE = 4;

    enum Approach {
        SINGLE_UPDATE("one UPDATE", true),
        SERVER_LOOP("server-side loop, COMMIT per 5,000 rows", false),
        QUERK_NO_PAUSE("Querk, no pause", true),
        QUERK_NO_PAUSE_2_WORKERS("Querk, no pause, 2 workers", false),
        QUERK_DEFAULTS("Querk, defaults", false);

        final String label;
        /** Also measured on the large table. */
        final boolean atScale;

        Approach(String label, boolean atScale) {
            this.label = label;
            this.atScale = atScale;
        }
    }

    record Run(double seconds, double longestLockSeconds, long sizeBefore, long sizeAfter) {
        long growth() {
            return sizeAfter - sizeBefore;
        }
    }

    /** One approach at one table size. */
    record Case(Approach approach, int rows) {
    }

    @Override
    public String id() {
        return "backfill";
    }

    @Override
    public String title() {
        return "Backfill: one UPDATE against Querk's batches";
    }

    @Override
    public String run(BenchContext ctx) throws Exception {
        Map<Case, List<Run>> results = new LinkedHashMap<>();
        for (int rows : List.of(ctx.rows(), ctx.rows() * LARGE)) {
            String template = "bench_backfill_template";
            ctx.log("loading %,d rows into the template database", rows);
            load(ctx.freshDatabase(template), rows);
            List<Approach> order = Arrays.stream(Approach.values()).filter(a -> rows == ctx.rows() || a.atScale).toList();
            for (int r = 0; r < ctx.runs(); r++) {
                for (int i = 0; i < order.size(); i++) {
                    Approach a = order.get((i + r) % order.size());
                    String name = "bench_backfill_" + a.name().toLowerCase(java.util.Locale.ROOT);
                    DataSource ds = ctx.server().copy(template, name);
                    Run run = measure(a, ds);
                    ctx.server().drop(name);
                    results.computeIfAbsent(new Case(a, rows), k -> new ArrayList<>()).add(run);
                    ctx.log("%,d rows, run %d, %s: %.1f s, longest lock %.3f s, %d -> %d MB", rows, r + 1, a.label,
                            run.seconds(), run.longestLockSeconds(), run.sizeBefore() >> 20, run.sizeAfter() >> 20);
                }
            }
            ctx.server().drop(template);
        }
        return markdown(ctx.rows(), results);
    }

    static void load(DataSource ds, int rows) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE orders (id bigint PRIMARY KEY, customer_id int NOT NULL, status text NOT NULL,"
                    + " amount numeric(12,2) NOT NULL, created_at timestamptz NOT NULL, note text)");
            s.execute("INSERT INTO orders SELECT g, g % 50000, (ARRAY['new', 'paid', 'shipped', 'delivered'])[1 + g % 4],"
                    + " (g % 100000) / 100.0, timestamptz '2026-01-01' - g * interval '1 second',"
                    + " 'order note ' || md5(g::text) FROM generate_series(1, " + rows + ") g");
            s.execute("CREATE INDEX orders_customer_idx ON orders (customer_id)");
            s.execute("VACUUM (ANALYZE) orders");
            s.execute("ALTER TABLE orders ADD COLUMN amount_cents bigint");
            // The reference loop: keyset batches of 5,000 with a COMMIT each, no client round trips.
            s.execute("CREATE PROCEDURE bench_server_loop() LANGUAGE plpgsql AS $$\n"
                    + "DECLARE lo bigint := 0; hi bigint;\n"
                    + "BEGIN\n"
                    + "  LOOP\n"
                    + "    SELECT max(id) INTO hi FROM (SELECT id FROM orders WHERE id > lo ORDER BY id LIMIT 5000) b;\n"
                    + "    EXIT WHEN hi IS NULL;\n"
                    + "    UPDATE orders SET amount_cents = " + SET + " WHERE id > lo AND id <= hi;\n"
                    + "    COMMIT;\n"
                    + "    lo := hi;\n"
                    + "  END LOOP;\n"
                    + "END $$");
            s.execute("CHECKPOINT");
        }
    }

    static Run measure(Approach a, DataSource ds) throws SQLException {
        long before = size(ds);
        long t0 = System.nanoTime();
        double longest;
        if (a == Approach.SINGLE_UPDATE || a == Approach.SERVER_LOOP) {
            try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                s.execute(a == Approach.SINGLE_UPDATE ? "UPDATE orders SET amount_cents = " + SET : "CALL bench_server_loop()");
            }
            longest = (System.nanoTime() - t0) / 1e9;
        } else {
            AtomicReference<Duration> longestBatch = new AtomicReference<>(Duration.ZERO);
            BackfillSettings settings = switch (a) {
                case QUERK_NO_PAUSE -> BackfillSettings.custom().pause(Duration.ZERO).build();
                case QUERK_NO_PAUSE_2_WORKERS -> BackfillSettings.custom().pause(Duration.ZERO).workers(2).build();
                default -> BackfillSettings.defaults();
            };
            Querk.create(QuerkConfig.custom().dataSource(ds)
                    .migrations(Migration.define("backfill-bench").backfill(b -> b.table("orders")
                            .set("amount_cents", SET)).build())
                    .backfill(settings)
                    .listener(e -> {
                        if (e instanceof BackfillProgress p) {
                            longestBatch.set(p.longestBatch());
                        }
                    })
                    .build()).migrate();
            longest = longestBatch.get().toNanos() / 1e9;
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        try (Connection c = ds.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM orders WHERE amount_cents IS DISTINCT FROM " + SET)) {
            rs.next();
            if (rs.getLong(1) != 0) {
                throw new IllegalStateException(a.label + " left " + rs.getLong(1) + " rows unfilled");
            }
        }
        return new Run(seconds, longest, before, size(ds));
    }

    private static long size(DataSource ds) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT pg_total_relation_size('orders')")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static String markdown(int rows, Map<Case, List<Run>> results) {
        StringBuilder md = new StringBuilder();
        md.append(fmt("A table of %,d orders (primary key and one secondary index, vacuumed) gets a new column filled"
                + " with `%s`; the UPDATE and Querk with no pause also on %,d orders. Medians of %d runs [range]; each"
                + " ratio is against one UPDATE of the same table.%n%n", rows, SET, rows * LARGE,
                results.get(new Case(Approach.SINGLE_UPDATE, rows)).size()));
        md.append("| approach | rows | wall time | rows/s | time vs one UPDATE | longest row lock held"
                + " | table + indexes before → after | growth | growth vs one UPDATE |\n"
                + "|---|---|---|---|---|---|---|---|---|\n");
        Map<Case, double[]> ratios = new LinkedHashMap<>();
        for (Map.Entry<Case, List<Run>> e : results.entrySet()) {
            Case c = e.getKey();
            List<Run> base = results.get(new Case(Approach.SINGLE_UPDATE, c.rows()));
            double baseSeconds = median(base.stream().map(Run::seconds).toList());
            double baseGrowth = median(base.stream().map(r -> (double) r.growth()).toList());
            List<Run> runs = e.getValue();
            List<Double> secs = runs.stream().map(Run::seconds).toList();
            List<Double> locks = runs.stream().map(Run::longestLockSeconds).toList();
            double s = median(secs);
            double g = median(runs.stream().map(r -> (double) r.growth()).toList());
            double time = s / baseSeconds;
            double growth = baseGrowth == 0 ? 0 : g / baseGrowth;
            ratios.put(c, new double[] {time, growth});
            md.append(fmt("| %s | %,d | %.1f s [%s] | %,.0f | %.2f× | %s [%s] | %d → %d MB | +%d MB | %.2f× |%n",
                    c.approach().label, c.rows(), s, Stats.range(secs, "%.1f"), c.rows() / s, time, human(median(locks)),
                    Stats.range(locks, "%.3f"), runs.get(0).sizeBefore() >> 20,
                    (long) median(runs.stream().map(r -> (double) r.sizeAfter()).toList()) >> 20, (long) g >> 20,
                    growth));
        }
        double[] noPause = ratios.get(new Case(Approach.QUERK_NO_PAUSE, rows));
        double[] noPauseLarge = ratios.get(new Case(Approach.QUERK_NO_PAUSE, rows * LARGE));
        double[] loop = ratios.get(new Case(Approach.SERVER_LOOP, rows));
        double[] defaults = ratios.get(new Case(Approach.QUERK_DEFAULTS, rows));
        md.append(fmt("%nGoals: Querk with one worker and no pause in at most 1.05× the time of one UPDATE: **%s**"
                        + " (%.2f×; the server-side loop, %.2f×, is what batching itself costs); its table growth at most"
                        + " 0.6× the UPDATE's: **%s** (%.2f×). At %,d rows it takes %.2f× the UPDATE's time (%.2f× at %,d):"
                        + " the cost stays linear. Querk with its defaults grows the table %.2f× as much as the UPDATE.%n",
                noPause[0] <= 1.05 ? "met" : "not met", noPause[0], loop[0], noPause[1] <= 0.6 ? "met" : "not met",
                noPause[1], rows * LARGE, noPauseLarge[0], noPause[0], rows, defaults[1]));
        md.append("\nThe UPDATE holds every row lock until it commits, and leaves a dead version of every row for"
                + " autovacuum: the table doubles. Querk's batches hold row locks for one batch at most, and Querk vacuums"
                + " the table alongside whenever dead tuples pass 10% of it, so later batches reuse the space earlier ones"
                + " freed. Each batch is one statement, prepared once per worker (the server plans it once), that updates"
                + " its rows and moves its cursor together; a second worker uses the second core, which one UPDATE"
                + " cannot.\n");
        return md.toString();
    }
    private static String human(double seconds) {
        return seconds < 1 ? fmt("%.0f ms", seconds * 1000) : fmt("%.1f s", seconds);
    }
}
