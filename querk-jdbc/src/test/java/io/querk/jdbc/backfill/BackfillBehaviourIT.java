package io.querk.jdbc.backfill;

import io.querk.jdbc.BackfillSettings;
import io.querk.jdbc.MigrationReport;
import io.querk.jdbc.Querk;
import io.querk.jdbc.QuerkConfig;
import io.querk.jdbc.event.BackfillProgress;
import io.querk.jdbc.event.BackfillResized;
import io.querk.jdbc.event.StepRetrying;
import io.querk.jdbc.retry.RetryPolicy;
import io.querk.jdbc.support.Await;
import io.querk.jdbc.support.Held;
import io.querk.jdbc.support.Recorder;
import io.querk.migration.Migration;
import io.querk.testkit.postgres.PostgresExtension;
import io.querk.testkit.postgres.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.querk.jdbc.support.Db.exec;
import static io.querk.jdbc.support.Db.one;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ExtendWith(PostgresExtension.class)
class BackfillBehaviourIT {

    private static void seed(TestDatabase db, int rows) {
        exec(db, "CREATE TABLE items (id bigint PRIMARY KEY, n int NOT NULL DEFAULT 0)",
                "INSERT INTO items SELECT g, 0 FROM generate_series(1, " + rows + ") g", "ANALYZE items");
    }

    @Test
    void aRowLockedByTheApplicationMakesTheBatchRetryNotStall(TestDatabase db) throws Exception {
        seed(db, 5_000);
        Recorder recorder = new Recorder();
        Migration m = Migration.define("1").backfill(b -> b.table("items").set("n", "n + 1").batchSize(100)
                .pause(Duration.ZERO)).build();
        Querk q = Querk.create(QuerkConfig.custom().dataSource(db.dataSource()).migrations(m).listener(recorder)
                .lockTimeout(Duration.ofMillis(100))
                .retryPolicy(RetryPolicy.custom().maxAttempts(200).maxDuration(Duration.ofSeconds(60))
                        .initialBackoff(Duration.ofMillis(20)).maxBackoff(Duration.ofMillis(50)).build())
                .build());
        Held app = Held.transaction(db, "SELECT * FROM items WHERE id = 2500 FOR UPDATE");
        CompletableFuture<MigrationReport> run = CompletableFuture.supplyAsync(q::migrate);
        Await.until("a retried batch naming the application's session", 30_000, () -> recorder.of(StepRetrying.class)
                .stream().anyMatch(r -> r.blockers().stream().anyMatch(b -> b.pid() == app.pid())));
        assertFalse(run.isDone());
        assertEquals("2400", one(db, "SELECT count(*) FROM items WHERE n = 1"),
                "the batches before the locked row are committed; the one holding it waits");
        app.close();
        MigrationReport r = run.get(60, TimeUnit.SECONDS);
        assertEquals(5_000, r.applied().get(0).rows());
        assertEquals("5000", one(db, "SELECT count(*) FROM items WHERE n = 1"));
        assertTrue(r.applied().get(0).attempts() > 1);
    }

    @Test
    void progressReportsEstimateRateAndEta(TestDatabase db) {
        seed(db, 30_000);
        Recorder recorder = new Recorder();
        Migration m = Migration.define("1").backfill(b -> b.table("items").set("n", "n + 1").batchSize(500)
                .pause(Duration.ofMillis(5))).build();
        Querk.create(QuerkConfig.custom().dataSource(db.dataSource()).migrations(m).listener(recorder)
                .backfill(BackfillSettings.custom().progressInterval(Duration.ofMillis(50)).build())
                .build()).migrate();
        List<BackfillProgress> p = recorder.of(BackfillProgress.class);
        assertTrue(p.size() >= 3, "progress came at its cadence: " + p.size());
        BackfillProgress mid = p.get(p.size() / 2);
        assertEquals(30_000, mid.rowsEstimated(), "from statistics, not a count");
        assertTrue(mid.rowsPerSecond() > 0);
        assertNotNull(mid.eta());
        assertTrue(mid.fractionDone() > 0 && mid.fractionDone() < 1);
        BackfillProgress last = p.get(p.size() - 1);
        assertEquals(30_000, last.rowsScanned());
        assertEquals(30_000, last.rowsUpdated());
        assertTrue(last.longestBatch().compareTo(Duration.ZERO) > 0);
        for (int i = 1; i < p.size(); i++) {
            assertTrue(p.get(i).rowsScanned() >= p.get(i - 1).rowsScanned());
        }
    }

    @Test
    void adaptiveSizingMovesTheBatchSizeTowardTheTargetWithinBounds(TestDatabase db) {
        seed(db, 1_500);
        exec(db, "CREATE FUNCTION slow() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_sleep(0.0001);"
                + " RETURN NEW; END $$", "CREATE TRIGGER slow BEFORE UPDATE ON items FOR EACH ROW EXECUTE FUNCTION slow()");
        Recorder recorder = new Recorder();
        Migration m = Migration.define("1").backfill(b -> b.table("items").set("n", "n + 1").batchSize(1_000)
                .targetBatchTime(Duration.ofMillis(20)).minBatchSize(50).maxBatchSize(1_500).pause(Duration.ZERO)).build();
        Querk.create(QuerkConfig.custom().dataSource(db.dataSource()).migrations(m).listener(recorder).build()).migrate();
        List<BackfillResized> resized = recorder.of(BackfillResized.class);
        assertFalse(resized.isEmpty(), "a 1,000-row batch at 0.1 ms or more a row is far above a 20 ms target");
        assertTrue(resized.get(0).to() < resized.get(0).from());
        assertTrue(resized.stream().allMatch(r -> r.to() >= 50 && r.to() <= 1_500));
        assertTrue(resized.get(0).reason().contains("target 20 ms"), resized.get(0).reason());
        assertEquals("1500", one(db, "SELECT count(*) FROM items WHERE n = 1"));
    }
}
