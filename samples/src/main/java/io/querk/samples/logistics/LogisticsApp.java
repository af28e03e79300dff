package io.querk.samples.logistics;

import io.querk.QuerkException;
import io.querk.jdbc.BackfillSettings;
import io.querk.jdbc.MigrationReport;
import io.querk.jdbc.Querk;
import io.querk.jdbc.QuerkConfig;
import io.querk.plan.MigrationPlan;
import io.querk.plan.PlannedAction;
import io.querk.plan.TableEffect;
import io.querk.testkit.traffic.Traffic;
import io.querk.testkit.traffic.TrafficOp;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.postgresql.ds.PGSimpleDataSource;

import javax.sql.DataSource;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A small logistics application: it seeds a {@code shipments} table, keeps reading and writing it
 * from two clients like live traffic (the testkit's traffic model, {@link AppTraffic}), and meanwhile migrates the schema with Querk, first the
 * expand and backfill phases (as at the deploy of the new version, while the old one still
 * serves), then the contract phases (as at the release after, once the old version is gone). It
 * shows progress as it goes, ends with a report of every step's locks, duration and the worst
 * latency the application saw, checks the data, and exits non-zero if anything failed.
 *
 * <p>Database: {@code QUERK_JDBC_URL} (with {@code QUERK_JDBC_USER}, {@code QUERK_JDBC_PASSWORD})
 * when set, otherwise an embedded PostgreSQL started for the run. Rows: {@code -Dsample.rows}.
 */
public final class LogisticsApp {

    /** Shipments seeded when {@code -Dsample.rows} does not say (the Quick start passes the same from samples/pom.xml). */
    static final int DEFAULT_ROWS = 50_000;

    private LogisticsApp() {
    }

    public static void main(String[] args) throws Exception {
        // Enough rows that each backfill shows its progress for a few seconds, few enough that a
        // newcomer's first run (Quick start) is over in well under a minute.
        int rows = Integer.getInteger("sample.rows", DEFAULT_ROWS);
        // A progress bar redrawn in place where a person watches; plain lines where a log collects them.
        boolean live = System.console() != null || Boolean.getBoolean("sample.live");
        String url = System.getenv("QUERK_JDBC_URL");
        EmbeddedPostgres embedded = null;
        DataSource ds;
        if (url != null && !url.isBlank()) {
            PGSimpleDataSource pg = new PGSimpleDataSource();
            pg.setUrl(url);
            if (System.getenv("QUERK_JDBC_USER") != null) {
                pg.setUser(System.getenv("QUERK_JDBC_USER"));
            }
            if (System.getenv("QUERK_JDBC_PASSWORD") != null) {
                pg.setPassword(System.getenv("QUERK_JDBC_PASSWORD"));
            }
            ds = pg;
            System.out.println("Database: " + url);
        } else {
            System.out.println("Starting an embedded PostgreSQL (set QUERK_JDBC_URL to use your own) ...");
            embedded = EmbeddedPostgres.builder().start();
            ds = embedded.getPostgresDatabase();
        }
        int exit = 0;
        try {
            exit = run(ds, rows, System.out, live);
        } finally {
            if (embedded != null) {
                embedded.close();
            }
        }
        System.exit(exit);
    }

    /**
     * Seeds, starts the traffic, migrates as two releases would, prints the report.
     *
     * @return 0 if every step ran, the application saw no error and the data checks hold; 1 if the
     * migration ran but the application saw errors or a check failed; 2 if the migration failed
     */
    static int run(DataSource ds, int rows, PrintStream out, boolean live) throws Exception {
        seed(ds, rows, out);
        long t0 = System.nanoTime();
        List<MigrationPlan> plans = new ArrayList<>();
        List<MigrationReport> runs = new ArrayList<>();
        List<TrafficOp> ops = new ArrayList<>();
        ConsoleProgress progress = new ConsoleProgress(out, live);
        try (Traffic old = AppTraffic.of(ds, AppTraffic.Version.OLD, rows).start()) {
            out.println("\n== Deploy of the new version: expand and backfill, while the old version serves ==");
            Querk deploy = Querk.create(querk(ds, progress).build());
            plans.add(announce(deploy.plan(), out));
            runs.add(deploy.migrate());
            ops.addAll(old.stop());

            out.println("\n== Next release: the old version is gone, contract is released ==");
            try (Traffic next = AppTraffic.of(ds, AppTraffic.Version.NEW, rows).start()) {
                Querk release = Querk.create(querk(ds, progress).contractReleasedThrough(LogisticsMigrations.latest()).build());
                plans.add(announce(release.plan(), out));
                runs.add(release.migrate());
                ops.addAll(next.stop());
            }
        } catch (QuerkException e) {
            out.println("\nMigration FAILED: " + e.getMessage());
            return 2;
        }
        List<String> failed = new ArrayList<>();
        List<String> checks = checkData(ds, failed);
        SampleReport report = new SampleReport(plans, runs, ops, progress);
        report.print(out, (System.nanoTime() - t0) / 1e9, checks);
        if (report.errors() > 0 || !failed.isEmpty()) {
            out.println("\nFAILED: " + (report.errors() > 0 ? report.errors() + " application errors " : "")
                    + (failed.isEmpty() ? "" : "data checks failed: " + failed));
            return 1;
        }
        return 0;
    }

    private static QuerkConfig.Builder querk(DataSource ds, ConsoleProgress progress) {
        return QuerkConfig.custom()
                .dataSource(ds)
                .migrations(LogisticsMigrations.all())
                .listener(progress)
                // Progress four times a second feeds the live bar; the default (5 s) suits logs.
                .backfill(BackfillSettings.custom().progressInterval(Duration.ofMillis(250)).build());
    }

    /** Prints what the planner expects of the pending steps before any of them runs. */
    private static MigrationPlan announce(MigrationPlan plan, PrintStream out) {
        long blocking = plan.steps().stream().filter(s -> s.actions().stream().anyMatch(LogisticsApp::blocksWrites))
                .count();
        long blockingWork = plan.steps().stream().filter(s -> s.actions().stream()
                .anyMatch(a -> blocksWrites(a) && a.effect() != TableEffect.NONE)).count();
        long work = plan.steps().stream().filter(s -> s.effect() != TableEffect.NONE).count();
        out.printf(Locale.ROOT, "Plan: %d steps, %d refused. %d read or rewrite the table, %d of them while blocking"
                        + " writes; %d take a lock that blocks writes, each under a %d ms lock timeout.%n",
                plan.steps().size(), plan.refusals().size(), work, blockingWork, blocking,
                QuerkConfig.DEFAULT_LOCK_TIMEOUT.toMillis());
        return plan;
    }

    private static boolean blocksWrites(PlannedAction action) {
        return action.strongestLock().map(l -> l.mode().blocksWrites()).orElse(false);
    }

    /** The data after both releases: the derived and retyped values right, the retired columns gone. */
    private static List<String> checkData(DataSource ds, List<String> failed) throws SQLException {
        Map<String, String> checks = new LinkedHashMap<>();
        checks.put("every dest_city is the city of its destination",
                "SELECT NOT EXISTS (SELECT 1 FROM shipments WHERE dest_city IS DISTINCT FROM split_part(destination, ',', 1))");
        checks.put("every shipment has a carrier, and the foreign key is validated",
                "SELECT NOT EXISTS (SELECT 1 FROM shipments WHERE carrier_id IS NULL) AND EXISTS (SELECT 1 FROM"
                        + " pg_constraint WHERE conname = 'shipments_carrier_fk' AND convalidated)");
        checks.put("tracking_no is a bigint equal to the digits it held",
                "SELECT format_type(atttypid, atttypmod) = 'bigint' AND NOT EXISTS (SELECT 1 FROM shipments"
                        + " WHERE tracking_no IS DISTINCT FROM 7000000000 + id) FROM pg_attribute"
                        + " WHERE attrelid = 'shipments'::regclass AND attname = 'tracking_no'");
        checks.put("weight_kg and notes are gone, weight_g is NOT NULL",
                "SELECT NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = 'shipments'::regclass"
                        + " AND attname IN ('weight_kg', 'notes') AND NOT attisdropped) AND (SELECT attnotnull"
                        + " FROM pg_attribute WHERE attrelid = 'shipments'::regclass AND attname = 'weight_g')");
        checks.put("every index is valid",
                "SELECT bool_and(indisvalid) FROM pg_index WHERE indrelid = 'shipments'::regclass");
        List<String> lines = new ArrayList<>();
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            for (Map.Entry<String, String> check : checks.entrySet()) {
                boolean ok;
                try (ResultSet rs = s.executeQuery(check.getValue())) {
                    ok = rs.next() && rs.getBoolean(1);
                }
                if (!ok) {
                    failed.add(check.getKey());
                }
                lines.add((ok ? "ok      " : "FAILED  ") + check.getKey());
            }
        }
        return lines;
    }

    private static void seed(DataSource ds, int rows, PrintStream out) throws SQLException {
        out.printf(Locale.ROOT, "Seeding %,d shipments ...%n", rows);
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS shipments, carriers, querk_history, querk_history_step, querk_history_range CASCADE");
            s.execute("CREATE TABLE carriers (id bigint PRIMARY KEY, name text NOT NULL)");
            s.execute("INSERT INTO carriers SELECT g, 'Carrier ' || g FROM generate_series(1, 20) g");
            s.execute("CREATE TABLE shipments (id bigint PRIMARY KEY, destination text NOT NULL, weight_kg int NOT NULL,"
                    + " status text NOT NULL DEFAULT 'booked', tracking_no text NOT NULL, notes text,"
                    + " created_at timestamptz NOT NULL DEFAULT now())");
            s.execute("INSERT INTO shipments (id, destination, weight_kg, status, tracking_no, notes) SELECT g,"
                    + " (ARRAY['Lyon', 'Porto', 'Gdansk', 'Tulsa', 'Osaka'])[1 + g % 5] || ', Dock ' || (g % 97),"
                    + " 500 + g % 20000, CASE WHEN g % 4 = 0 THEN 'delivered' ELSE 'in transit' END,"
                    + " (7000000000 + g)::text, CASE WHEN g % 10 = 0 THEN 'fragile' END"
                    + " FROM generate_series(1, " + rows + ") g");
            s.execute("VACUUM ANALYZE shipments");
        }
    }
}
