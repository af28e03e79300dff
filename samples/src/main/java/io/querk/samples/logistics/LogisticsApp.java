package io.querk.samples.logistics;

import io.querk.QuerkException;
import io.querk.jdbc.MigrationReport;
import io.querk.jdbc.Querk;
import io.querk.jdbc.StepResult;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.postgresql.ds.PGSimpleDataSource;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A small logistics application: it seeds a {@code shipments} table, keeps reading and writing it
 * from two threads like live traffic, and meanwhile migrates the schema with Querk, first the
 * expand and backfill phases (as at the deploy of the new version), then the contract phases (as
 * at the release after). It ends with a short report and exits non-zero if anything failed.
 *
 * <p>Database: {@code QUERK_JDBC_URL} (with {@code QUERK_JDBC_USER}, {@code QUERK_JDBC_PASSWORD})
 * when set, otherwise an embedded PostgreSQL started for the run. Rows: {@code -Dsample.rows}.
 */
public final class LogisticsApp {

    private LogisticsApp() {
    }

    public static void main(String[] args) throws Exception {
        int rows = Integer.getInteger("sample.rows", 200_000);
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
            exit = run(ds, rows);
        } finally {
            if (embedded != null) {
                embedded.close();
            }
        }
        System.exit(exit);
    }

    static int run(DataSource ds, int rows) throws Exception {
        seed(ds, rows);
        Traffic traffic = new Traffic(ds);
        traffic.start();
        long t0 = System.nanoTime();
        try {
            Querk deploy = Querk.builder().dataSource(ds).migrations(LogisticsMigrations.all()).build();
            System.out.println("\n== Deploy of the new version: expand and backfill ==");
            MigrationReport first = deploy.migrate();
            System.out.println("\n== Next release: the old version is gone, contract is released ==");
            Querk release = Querk.builder().dataSource(ds).migrations(LogisticsMigrations.all())
                    .contractReleasedThrough("2026-11-16.shipments-weight-grams").build();
            MigrationReport second = release.migrate();
            traffic.stop();
            print(first, second, traffic, (System.nanoTime() - t0) / 1e9);
            return traffic.errors.get() == 0 ? 0 : 1;
        } catch (QuerkException e) {
            traffic.stop();
            System.out.println("\nMigration FAILED: " + e.getMessage());
            return 2;
        }
    }

    private static void print(MigrationReport first, MigrationReport second, Traffic traffic, double seconds) {
        System.out.println("\n== Report ==");
        System.out.printf(Locale.ROOT, "%-36s %-9s %-62s %9s %8s%n", "migration", "phase", "step", "time", "attempts");
        for (MigrationReport r : List.of(first, second)) {
            for (StepResult s : r.applied()) {
                String d = s.step().description();
                System.out.printf(Locale.ROOT, "%-36s %-9s %-62s %7d ms %8d%n", s.step().migrationId(),
                        s.step().phase().label(), d.length() > 62 ? d.substring(0, 59) + "..." : d,
                        s.took().toMillis(), s.attempts());
            }
        }
        System.out.printf(Locale.ROOT, "%nApplication traffic during the migration: %d reads, %d writes, %d errors,"
                        + " worst latency %.1f ms%n", traffic.reads.get(), traffic.writes.get(), traffic.errors.get(),
                traffic.worstNanos.get() / 1e6);
        System.out.printf(Locale.ROOT, "Total: %.1f s%n", seconds);
    }

    private static void seed(DataSource ds, int rows) throws SQLException {
        System.out.printf(Locale.ROOT, "Seeding %,d shipments ...%n", rows);
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS shipments, carriers, querk_history, querk_history_step CASCADE");
            s.execute("CREATE TABLE carriers (id bigint PRIMARY KEY, name text NOT NULL)");
            s.execute("INSERT INTO carriers SELECT g, 'Carrier ' || g FROM generate_series(1, 20) g");
            s.execute("CREATE TABLE shipments (id bigint PRIMARY KEY, destination text NOT NULL, weight_kg int NOT NULL,"
                    + " status text NOT NULL DEFAULT 'booked', created_at timestamptz NOT NULL DEFAULT now())");
            s.execute("INSERT INTO shipments (id, destination, weight_kg, status) SELECT g,"
                    + " (ARRAY['Lyon', 'Porto', 'Gdansk', 'Tulsa', 'Osaka'])[1 + g % 5] || ', Dock ' || (g % 97),"
                    + " 500 + g % 20000, CASE WHEN g % 4 = 0 THEN 'delivered' ELSE 'in transit' END"
                    + " FROM generate_series(1, " + rows + ") g");
            s.execute("ANALYZE shipments");
        }
    }

    /** Two threads of application traffic: reads and writes by primary key, timed. */
    static final class Traffic {
        private final DataSource ds;
        private final AtomicBoolean stop = new AtomicBoolean();
        final AtomicLong reads = new AtomicLong();
        final AtomicLong writes = new AtomicLong();
        final AtomicLong errors = new AtomicLong();
        final AtomicLong worstNanos = new AtomicLong();
        private Thread reader;
        private Thread writer;
        private int rows;

        Traffic(DataSource ds) {
            this.ds = ds;
        }

        void start() throws SQLException {
            try (Connection c = ds.getConnection(); Statement s = c.createStatement();
                 var rs = s.executeQuery("SELECT max(id) FROM shipments")) {
                rs.next();
                rows = (int) rs.getLong(1);
            }
            reader = loop("SELECT status FROM shipments WHERE id = ?", reads);
            writer = loop("UPDATE shipments SET status = 'in transit' WHERE id = ?", writes);
        }

        private Thread loop(String sql, AtomicLong counter) {
            Thread t = new Thread(() -> {
                try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
                    java.util.Random random = new java.util.Random();
                    while (!stop.get()) {
                        ps.setLong(1, 1 + random.nextInt(rows));
                        long t0 = System.nanoTime();
                        try {
                            ps.execute();
                            counter.incrementAndGet();
                        } catch (SQLException e) {
                            errors.incrementAndGet();
                        }
                        worstNanos.accumulateAndGet(System.nanoTime() - t0, Math::max);
                        Thread.sleep(2);
                    }
                } catch (SQLException | InterruptedException e) {
                    errors.incrementAndGet();
                }
            }, "traffic");
            t.setDaemon(true);
            t.start();
            return t;
        }

        void stop() throws InterruptedException {
            stop.set(true);
            reader.join();
            writer.join();
        }
    }
}
