package io.querk.jdbc.backfill;

import io.querk.jdbc.BackfillSettings;
import io.querk.jdbc.MigrationReport;
import io.querk.jdbc.Querk;
import io.querk.jdbc.QuerkConfig;
import io.querk.jdbc.event.BackfillPaused;
import io.querk.jdbc.event.BackfillVacuumed;
import io.querk.jdbc.support.Await;
import io.querk.jdbc.support.Db;
import io.querk.jdbc.support.Recorder;
import io.querk.jdbc.support.StandbyPair;
import io.querk.migration.Migration;
import io.querk.testkit.postgres.PostgresExtension;
import io.querk.testkit.postgres.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.querk.jdbc.support.Db.exec;
import static io.querk.jdbc.support.Db.one;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each throttle, provoked for real on one machine, holds the backfill; when the stress ends it goes on. */
@ExtendWith(PostgresExtension.class)
class BackfillThrottleIT {

    private static final int ROWS = 20_000;

    private static Migration increment() {
        return Migration.define("1").backfill(b -> b.table("items").set("n", "n + 1").batchSize(500)
                .pause(Duration.ZERO)).build();
    }

    private static String[] seed() {
        return new String[] {
                "CREATE TABLE items (id bigint PRIMARY KEY, n int NOT NULL DEFAULT 0, pad text)",
                "ALTER TABLE items SET (autovacuum_enabled = false)",
                "INSERT INTO items SELECT g, 0, repeat('x', 100) FROM generate_series(1, " + ROWS + ") g",
                "ANALYZE items"
        };
    }

    private static BackfillSettings.Builder quickThrottle() {
        return BackfillSettings.custom().throttleCheckInterval(Duration.ofMillis(50));
    }

    private static void makeDeadTuples(TestDatabase db) throws InterruptedException {
        exec(db, "UPDATE items SET pad = repeat('y', 100)");
        Await.until("the statistics to count the dead tuples", 30_000,
                () -> Db.count(db, "SELECT n_dead_tup FROM pg_stat_user_tables WHERE relname = 'items'") >= ROWS);
    }

    @Test
    void deadTuplesAboveTheLimitMakeTheBackfillVacuumAlongsideItsBatches(TestDatabase db) throws Exception {
        exec(db, seed());
        makeDeadTuples(db);
        Recorder recorder = new Recorder();
        Querk.create(QuerkConfig.custom().dataSource(db.dataSource()).migrations(increment()).listener(recorder)
                .backfill(quickThrottle().maxDeadTupleRatio(0.2).build()).build()).migrate();

        List<BackfillVacuumed> vacuumed = recorder.of(BackfillVacuumed.class);
        assertFalse(vacuumed.isEmpty(), recorder.all().toString());
        assertTrue(vacuumed.get(0).reason().contains("dead tuples are"), vacuumed.get(0).reason());
        assertTrue(recorder.of(BackfillPaused.class).isEmpty(), "vacuuming is not a pause: the batches went on");
        // PostgreSQL 14's statistics collector reports the vacuum a moment after it ends.
        Await.until("the statistics to count our vacuum", 30_000,
                () -> Db.count(db, "SELECT vacuum_count FROM pg_stat_user_tables WHERE relname = 'items'") >= 1);
        assertEquals(String.valueOf(ROWS), one(db, "SELECT count(*) FROM items WHERE n = 1"));
    }

    @Test
    void withoutVacuumingItWaitsForAutovacuumThenCarriesOnAfterItsLimit(TestDatabase db) throws Exception {
        exec(db, seed());
        makeDeadTuples(db);
        Recorder recorder = new Recorder();
        long t0 = System.nanoTime();
        Querk.create(QuerkConfig.custom().dataSource(db.dataSource()).migrations(increment()).listener(recorder)
                .backfill(quickThrottle().maxDeadTupleRatio(0.2).vacuum(false).maxThrottlePause(Duration.ofMillis(600))
                        .build()).build()).migrate();
        List<BackfillPaused> paused = recorder.of(BackfillPaused.class);
        assertTrue(paused.size() >= 3, "it looked again and again while holding off: " + paused.size());
        assertTrue(paused.stream().allMatch(p -> p.reason().contains("dead tuples are") && !p.reason().contains("vacuumed")));
        assertTrue(System.nanoTime() - t0 >= Duration.ofMillis(600).toNanos());
        assertEquals("0", one(db, "SELECT vacuum_count FROM pg_stat_user_tables WHERE relname = 'items'"));
        assertEquals(String.valueOf(ROWS), one(db, "SELECT count(*) FROM items WHERE n = 1"));
    }

    @Test
    void aVacuumRunningOnTheTableHoldsTheBackfillUntilItEnds(TestDatabase db) throws Exception {
        exec(db, seed());
        // A vacuum slowed to a crawl stands for autovacuum working through a big table.
        CompletableFuture<Void> vacuum = CompletableFuture.runAsync(() -> {
            try (Connection c = db.connect(); Statement s = c.createStatement()) {
                s.execute("SET application_name = 'slow-vacuum'; SET vacuum_cost_delay = 100; SET vacuum_cost_limit = 1");
                s.execute("VACUUM items");
            } catch (SQLException e) {
                // Cancelled by the test, as intended.
            }
        });
        Await.until("the vacuum to be running", 30_000, () -> Db.count(db,
                "SELECT count(*) FROM pg_stat_progress_vacuum WHERE relid = 'items'::regclass") == 1);
        Recorder recorder = new Recorder();
        CompletableFuture<MigrationReport> run = CompletableFuture.supplyAsync(() -> Querk.create(QuerkConfig.custom()
                .dataSource(db.dataSource()).migrations(increment()).listener(recorder)
                .backfill(quickThrottle().maxThrottlePause(Duration.ofMinutes(2)).build()).build()).migrate());
        Await.until("the backfill to hold off", 30_000, () -> recorder.of(BackfillPaused.class).stream()
                .anyMatch(p -> p.reason().contains("a vacuum is running on items")));
        assertFalse(run.isDone());
        assertEquals("0", one(db, "SELECT count(*) FROM items WHERE n = 1"), "no batch ran during the vacuum");

        exec(db, "SELECT pg_cancel_backend(pid) FROM pg_stat_activity WHERE application_name = 'slow-vacuum'");
        vacuum.get(30, TimeUnit.SECONDS);
        run.get(60, TimeUnit.SECONDS);
        assertEquals(String.valueOf(ROWS), one(db, "SELECT count(*) FROM items WHERE n = 1"));
    }

    @Test
    void aStandbyFallingBehindHoldsTheBackfillUntilItCatchesUp() throws Exception {
        try (StandbyPair pair = StandbyPair.start()) {
            DataSource primary = pair.primary();
            try (Connection c = primary.getConnection(); Statement s = c.createStatement()) {
                for (String sql : seed()) {
                    s.execute(sql);
                }
            }
            pair.pauseReplay();
            Recorder recorder = new Recorder();
            CompletableFuture<MigrationReport> run = CompletableFuture.supplyAsync(() -> Querk.create(QuerkConfig.custom()
                    .dataSource(primary).migrations(increment()).listener(recorder)
                    .backfill(quickThrottle().maxReplicationLagBytes(256 * 1024).maxThrottlePause(Duration.ofMinutes(2))
                            .build()).build()).migrate());
            Await.until("the backfill to hold off for the standby", 60_000, () -> recorder.of(BackfillPaused.class)
                    .stream().anyMatch(p -> p.reason().contains("standby") && p.reason().contains("behind")));
            long heldAt = updated(primary);
            assertFalse(run.isDone());
            assertTrue(heldAt < ROWS, "held before the end: " + heldAt);

            pair.resumeReplay();
            MigrationReport report = run.get(120, TimeUnit.SECONDS);
            assertEquals(ROWS, report.applied().get(0).rows());
            assertEquals(ROWS, updated(primary));
            assertEquals(List.of("streaming"), pair.replicationStates());
        }
    }

    private static long updated(DataSource ds) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM items WHERE n = 1")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
