package io.querk.benchmarks;

import io.querk.jdbc.MigrationReport;
import io.querk.jdbc.QuerkConfig;
import io.querk.jdbc.fleet.FailurePolicy;
import io.querk.jdbc.fleet.Fleet;
import io.querk.jdbc.fleet.FleetConfig;
import io.querk.jdbc.fleet.FleetReport;
import io.querk.jdbc.fleet.TargetResult;
import io.querk.migration.Migration;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Migrates a fleet of small databases (one per tenant: 50 of them, each a copy of one template
 * with a table of 2,000 shipments) with a derived column and its index: expand, backfill, carry.
 * Side by side in the same run: one target at a time (what a loop over {@code Querk.migrate()}
 * does, the baseline) and the fleet's default parallelism. Reports the total, the ratio to the
 * baseline, and each target's own time (median and slowest).
 */
final class FleetBenchmark implements Benchmark {

    /** Databases in the fleet (the issue asks for 50). */
    static final int TARGETS = 50;
    /** Rows per tenant table. */
    static final int ROWS = 2_000;
    static final List<Integer> PARALLELISM = List.of(1, FleetConfig.DEFAULT_PARALLELISM);
    private static final String TEMPLATE = "fleet_template";

    record Run(int parallelism, double totalSeconds, List<Double> targetSeconds) {
    }

    @Override
    public String id() {
        return "fleet";
    }

    @Override
    public String title() {
        return "A fleet of " + TARGETS + " databases";
    }

    static Migration migration() {
        return Migration.define("2026-12-01.shipments-city-upper")
                .expand(e -> e.addColumn("shipments", "city_upper", "text", c -> c.derivedFrom("upper(city)"))
                        .createIndex("shipments_city_upper_idx", "shipments", "city_upper"))
                .build();
    }

    static void template(BenchServer server, int rows) throws SQLException {
        DataSource ds = server.createDatabase(TEMPLATE);
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE shipments (id bigint PRIMARY KEY, city text NOT NULL)");
            s.execute("INSERT INTO shipments SELECT g, 'City ' || (g % 97) FROM generate_series(1, " + rows + ") g");
            s.execute("ANALYZE shipments");
        }
    }

    /** Copies the template {@code targets} times and migrates the copies as one fleet. */
    static Run measure(BenchServer server, int targets, int parallelism) throws SQLException {
        Map<String, DataSource> tenants = new LinkedHashMap<>();
        for (int i = 1; i <= targets; i++) {
            tenants.put("tenant_" + i, server.copy(TEMPLATE, "fleet_tenant_" + i));
        }
        try {
            Fleet fleet = Fleet.create(FleetConfig.custom().parallelism(parallelism).onFailure(FailurePolicy.CONTINUE)
                    .targets(tenants, ds -> QuerkConfig.custom().dataSource(ds).migrations(migration()).build()).build());
            FleetReport<MigrationReport> report = fleet.migrate();
            report.requireAllSucceeded();
            List<Double> each = report.targets().stream().map(TargetResult::took).map(d -> d.toNanos() / 1e9).toList();
            return new Run(parallelism, report.took().toNanos() / 1e9, each);
        } finally {
            for (String name : tenants.keySet()) {
                server.drop("fleet_" + name);
            }
        }
    }

    @Override
    public String run(BenchContext ctx) throws Exception {
        template(ctx.server(), ROWS);
        Map<Integer, List<Run>> results = new LinkedHashMap<>();
        try {
            for (int r = 0; r < ctx.runs(); r++) {
                for (int p : PARALLELISM) {
                    Run run = measure(ctx.server(), TARGETS, p);
                    ctx.log("fleet: parallelism %d, run %d: %.2f s", p, r + 1, run.totalSeconds());
                    results.computeIfAbsent(p, k -> new ArrayList<>()).add(run);
                }
            }
        } finally {
            ctx.server().drop(TEMPLATE);
        }
        return markdown(TARGETS, ROWS, results);
    }

    static String markdown(int targets, int rows, Map<Integer, List<Run>> results) {
        StringBuilder md = new StringBuilder();
        md.append(Stats.fmt("%,d databases, each a table of %,d shipments; the migration adds a derived column"
                + " (trigger, backfill) and builds its index concurrently on each. `Fleet.migrate()` with"
                + " `FailurePolicy.CONTINUE`; one target at a time is the baseline (a plain loop over"
                + " `Querk.migrate()`). Medians of %d runs, each on fresh copies of one template database.%n%n",
                targets, rows, results.values().iterator().next().size()));
        md.append("| parallelism | total (median) | runs | vs one at a time | per target: median | per target: slowest |\n");
        md.append("|---|---|---|---|---|---|\n");
        double base = Stats.median(results.get(1).stream().map(Run::totalSeconds).toList());
        for (Map.Entry<Integer, List<Run>> e : results.entrySet()) {
            List<Double> totals = e.getValue().stream().map(Run::totalSeconds).toList();
            List<Double> each = e.getValue().stream().flatMap(r -> r.targetSeconds().stream()).toList();
            double total = Stats.median(totals);
            md.append(Stats.fmt("| %d | %.2f s | %s | %.2f× | %.0f ms | %.0f ms |%n", e.getKey(), total,
                    Stats.range(totals, "%.2f"), total / base, Stats.median(each) * 1000,
                    each.stream().mapToDouble(Double::doubleValue).max().orElse(0) * 1000));
        }
        md.append("\nEach target runs under its own runner lock and history; the per-target time includes opening its"
                + " connections, the session probe, the plan's live checks, the expand and backfill phases' steps and the index build."
                + " On two cores, parallelism beyond the core count overlaps mostly the waits (commits, round trips).\n");
        return md.toString();
    }
}
