package io.querk.benchmarks;

import io.querk.jdbc.MigrationReport;
import io.querk.jdbc.Querk;
import io.querk.jdbc.QuerkConfig;
import io.querk.migration.Migration;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

import javax.sql.DataSource;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;

import static io.querk.benchmarks.Stats.fmt;
import static io.querk.benchmarks.Stats.median;

/**
 * What {@code migrate()} costs at every start of every instance when nothing is pending: 200
 * applied migrations, a warm JVM, Querk side by side with Flyway doing the same no-op over the
 * same number of applied migrations. Test code, because Flyway is a test dependency only.
 */
final class StartupBenchmark implements Benchmark {

    static final int MIGRATIONS = 200;
    static final int WARMUP_CALLS = 20;
    static final int TIMED_CALLS = 30;

    /** What is timed: each tool's no-op start-up, and a bare connection for scale; Querk is the baseline. */
    enum Tool {
        QUERK("Querk"),
        FLYWAY("Flyway " + flywayVersion()),
        /** Not a tool: what one connection costs, which both tools pay at least once per call. */
        CONNECTION("reference: open and close one connection");

        final String label;

        Tool(String label) {
            this.label = label;
        }
    }

    /**
     * One timed start-up call.
     *
     * @param totalMs   defining the migrations, building the engine and migrating
     * @param migrateMs of which the migrate call alone
     */
    record Call(double totalMs, double migrateMs) {
    }

    /**
     * A run's timed calls of one tool.
     *
     * @param calls in the order they ran
     */
    record Run(List<Call> calls) {

        double median() {
            return Stats.median(totals());
        }

        double p90() {
            return Stats.percentile(totals(), 90);
        }

        double migrateMedian() {
            return Stats.median(calls.stream().map(Call::migrateMs).toList());
        }

        private List<Double> totals() {
            return calls.stream().map(Call::totalMs).toList();
        }
    }

    /**
     * Two databases with the same number of applied migrations, one per tool.
     *
     * @param querk       Querk's database
     * @param flyway      Flyway's database
     * @param flywayFiles the directory of Flyway's SQL migrations
     * @param migrations  how many each has
     */
    record Setup(DataSource querk, DataSource flyway, Path flywayFiles, int migrations) {

        /** Applies every migration once with each tool; afterwards, both have nothing pending. */
        void applyAll() {
            MigrationReport q = Querk.create(QuerkConfig.custom().dataSource(querk).migrations(querkMigrations(migrations)).build()).migrate();
            if (q.applied().size() != migrations) {
                throw new IllegalStateException("Querk applied " + q.applied().size() + " of " + migrations + " migrations");
            }
            MigrateResult f = loadFlyway().migrate();
            if (f.migrationsExecuted != migrations) {
                throw new IllegalStateException("Flyway applied " + f.migrationsExecuted + " of " + migrations + " migrations");
            }
        }

        /** One application start: what a service does before it serves, for one tool. */
        Call call(Tool tool) {
            long t0 = System.nanoTime();
            long t1;
            if (tool == Tool.QUERK) {
                Querk engine = Querk.create(QuerkConfig.custom().dataSource(querk).migrations(querkMigrations(migrations)).build());
                t1 = System.nanoTime();
                if (!engine.migrate().nothingPending()) {
                    throw new IllegalStateException("Querk found work to do in a no-op start");
                }
            } else if (tool == Tool.FLYWAY) {
                Flyway engine = loadFlyway();
                t1 = System.nanoTime();
                if (engine.migrate().migrationsExecuted != 0) {
                    throw new IllegalStateException("Flyway found work to do in a no-op start");
                }
            } else {
                t1 = t0;
                try (Connection c = querk.getConnection()) {
                    c.getAutoCommit();
                } catch (SQLException e) {
                    throw new IllegalStateException("Cannot connect: " + e.getMessage(), e);
                }
            }
            long t2 = System.nanoTime();
            return new Call((t2 - t0) / 1e6, (t2 - t1) / 1e6);
        }

        private Flyway loadFlyway() {
            return Flyway.configure().dataSource(flyway).locations("filesystem:" + flywayFiles.toAbsolutePath()).load();
        }
    }

    @Override
    public String id() {
        return "startup";
    }

    @Override
    public String title() {
        return "Start-up cost: a no-op migrate() over 200 applied migrations";
    }

    @Override
    public String run(BenchContext ctx) throws Exception {
        Path files = Files.createTempDirectory("querk-bench-flyway");
        try {
            writeFlywayMigrations(files, MIGRATIONS);
            Map<Tool, List<Run>> results = new EnumMap<>(Tool.class);
            for (int r = 0; r < ctx.runs(); r++) {
                Setup setup = new Setup(ctx.freshDatabase("bench_startup_querk"), ctx.freshDatabase("bench_startup_flyway"),
                        files, MIGRATIONS);
                ctx.log("run %d: applying %d migrations with each tool", r + 1, MIGRATIONS);
                setup.applyAll();
                Map<Tool, Run> run = measure(setup, WARMUP_CALLS, TIMED_CALLS);
                run.forEach((t, x) -> results.computeIfAbsent(t, k -> new ArrayList<>()).add(x));
                ctx.log("run %d: Querk median %.1f ms (p90 %.1f), Flyway median %.1f ms (p90 %.1f)", r + 1,
                        run.get(Tool.QUERK).median(), run.get(Tool.QUERK).p90(), run.get(Tool.FLYWAY).median(),
                        run.get(Tool.FLYWAY).p90());
                ctx.server().drop("bench_startup_querk");
                ctx.server().drop("bench_startup_flyway");
            }
            return markdown(MIGRATIONS, WARMUP_CALLS, TIMED_CALLS, results);
        } finally {
            try (Stream<Path> s = Files.walk(files)) {
                for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    /**
     * Warms both tools up, then times their no-op start-ups (and a bare connection) in rotating
     * order, so that background noise falls on all alike.
     */
    static Map<Tool, Run> measure(Setup setup, int warmup, int timed) {
        Tool[] tools = Tool.values();
        for (int i = 0; i < warmup; i++) {
            for (Tool t : tools) {
                setup.call(t);
            }
        }
        Map<Tool, List<Call>> calls = new EnumMap<>(Tool.class);
        for (int i = 0; i < timed; i++) {
            for (int j = 0; j < tools.length; j++) {
                Tool t = tools[(i + j) % tools.length];
                calls.computeIfAbsent(t, k -> new ArrayList<>()).add(setup.call(t));
            }
        }
        Map<Tool, Run> out = new EnumMap<>(Tool.class);
        calls.forEach((t, c) -> out.put(t, new Run(c)));
        return out;
    }

    /**
     * The Querk side: one small table per migration, defined with the DSL, as an application defines
     * its migrations at start-up.
     */
    static List<Migration> querkMigrations(int n) {
        List<Migration> out = new ArrayList<>(n);
        for (int i = 1; i <= n; i++) {
            String table = "querk_t" + i;
            out.add(Migration.define(fmt("%03d.create-%s", i, table))
                    .expand(e -> e.createTable(table, t -> t.column("id", "bigint").column("name", "text").primaryKey("id")))
                    .build());
        }
        return out;
    }

    /** The Flyway side: the same tables, as versioned SQL files {@code V1__...sql} to {@code Vn__...sql}. */
    static void writeFlywayMigrations(Path dir, int n) throws IOException {
        for (int i = 1; i <= n; i++) {
            Files.writeString(dir.resolve("V" + i + "__create_flyway_t" + i + ".sql"),
                    "CREATE TABLE flyway_t" + i + " (id bigint PRIMARY KEY, name text);\n");
        }
    }

    static String markdown(int migrations, int warmup, int timed, Map<Tool, List<Run>> results) {
        List<Run> querk = results.get(Tool.QUERK);
        double base = median(querk.stream().map(Run::median).toList());
        StringBuilder md = new StringBuilder();
        md.append(fmt("Two databases with %d applied migrations each and nothing pending: for Querk, %d migrations defined"
                        + " with the DSL, each creating a small table; for Flyway, %d SQL files `V1__...sql` to `V%d__...sql`"
                        + " creating the same tables, read from a filesystem location. One timed call is what a service does"
                        + " at every start: Querk defines its migrations, builds the engine and calls `migrate()`; Flyway is"
                        + " configured, loaded and calls `migrate()` (which reads, parses and checksums its files to"
                        + " validate them). Both use the same non-pooling DataSource, so each call opens its own"
                        + " connections, as the first call of a starting service does; the last row times opening one"
                        + " connection alone, for reference. In one warm JVM, %d untimed calls of each, then %d timed calls"
                        + " of each, in rotating order. Medians of %d runs [range], each on fresh databases.%n%n",
                migrations, migrations, migrations, migrations, warmup, timed, querk.size()));
        md.append("| tool | median call | p90 call | of which `migrate()` (median) | median vs Querk |\n|---|---|---|---|---|\n");
        for (Tool t : Tool.values()) {
            List<Run> runs = results.get(t);
            List<Double> medians = runs.stream().map(Run::median).toList();
            List<Double> p90 = runs.stream().map(Run::p90).toList();
            List<Double> migrate = runs.stream().map(Run::migrateMedian).toList();
            md.append(fmt("| %s | %.1f ms [%s] | %.1f ms [%s] | %s | %.2f× |%n", t.label, median(medians),
                    Stats.range(medians, "%.1f"), median(p90), Stats.range(p90, "%.1f"), t == Tool.CONNECTION ? "–"
                            : fmt("%.1f ms [%s]", median(migrate), Stats.range(migrate, "%.1f")), median(medians) / base));
        }
        double ratio = median(results.get(Tool.FLYWAY).stream().map(Run::median).toList()) / base;
        md.append(fmt("%nGoal: Querk's no-op start-up at least 2× faster than Flyway's: **%s** (Flyway takes %.2f× as long).%n",
                ratio >= 2 ? "met" : "not met", ratio));
        md.append("\nQuerk's no-op path borrows one connection, reads the session settings it would restore, checks"
                + " that the history table exists and reads it, finds nothing pending, puts the settings back and hands"
                + " the connection back: four round trips and no lock.\n");
        return md.toString();
    }

    /** @return the version on the classpath, from its Maven metadata: the jar's manifest does not carry it */
    static String flywayVersion() {
        try (InputStream in = Flyway.class.getResourceAsStream("/META-INF/maven/org.flywaydb/flyway-core/pom.properties")) {
            Properties p = new Properties();
            if (in != null) {
                p.load(in);
            }
            return p.getProperty("version", "(unknown version)");
        } catch (IOException e) {
            return "(unknown version)";
        }
    }
}
