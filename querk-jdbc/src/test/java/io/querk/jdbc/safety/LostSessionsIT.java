package io.querk.jdbc.safety;

import io.querk.jdbc.MigrationReport;
import io.querk.jdbc.Querk;
import io.querk.jdbc.QuerkConfig;
import io.querk.jdbc.RunnerLockException;
import io.querk.jdbc.StepFailedException;
import io.querk.jdbc.event.QuerkEvent;
import io.querk.jdbc.event.QuerkListener;
import io.querk.jdbc.event.StatementStarted;
import io.querk.jdbc.support.Await;
import io.querk.migration.Migration;
import io.querk.testkit.postgres.PostgresExtension;
import io.querk.testkit.postgres.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.querk.jdbc.support.Db.bool;
import static io.querk.jdbc.support.Db.count;
import static io.querk.jdbc.support.Db.exec;
import static io.querk.jdbc.support.Db.one;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Sessions that end under a run, ended for real with {@code pg_terminate_backend}: the runner
 * lock's (reproduction 7 of "safe by construction": the old runner went on for 182 batches) and
 * a batch's (reproduction 8: the user read about a closed connection, not about who ended it).
 */
@ExtendWith(PostgresExtension.class)
class LostSessionsIT {

    private static final int ROWS = 20_000;
    private static final int BATCH = 200;
    private static final String LOCK_HELD = "SELECT EXISTS (SELECT 1 FROM pg_locks l JOIN pg_stat_activity a USING (pid)"
            + " WHERE l.locktype = 'advisory' AND l.granted AND a.application_name = 'querk/runner-lock')";

    private static void items(TestDatabase db) {
        exec(db, "CREATE TABLE items (id bigint PRIMARY KEY, n int NOT NULL DEFAULT 0)",
                "INSERT INTO items (id) SELECT g FROM generate_series(1, " + ROWS + ") g", "ANALYZE items");
    }

    private static Migration slowBackfill() {
        return Migration.define("2026-12-01.items-n")
                .backfill(b -> b.table("items").set("n", "n + 1").batchSize(BATCH).pause(Duration.ofMillis(10))).build();
    }

    private static long done(TestDatabase db) {
        return count(db, "SELECT count(*) FROM items WHERE n = 1");
    }

    /** 7. The lock's session ends mid-backfill: at most the batch already running commits after. */
    @Test
    void aRunnerThatLosesItsLockMidBackfillStopsWithinOneBatch(TestDatabase db) throws Exception {
        items(db);
        Querk q = Querk.create(QuerkConfig.custom().dataSource(db.dataSource()).migrations(slowBackfill()).build());
        CompletableFuture<MigrationReport> run = CompletableFuture.supplyAsync(q::migrate);
        Await.until("the backfill to be under way", 60_000, () -> done(db) > 2 * BATCH);

        assertEquals("t", one(db, "SELECT bool_or(pg_terminate_backend(pid)) FROM pg_stat_activity"
                + " WHERE application_name = 'querk/runner-lock'"));
        Await.until("the lock to go with its session", 10_000, () -> !bool(db, LOCK_HELD));
        long atLoss = done(db);

        ExecutionException e = assertThrows(ExecutionException.class, () -> run.get(60, TimeUnit.SECONDS));
        RunnerLockException lost = assertInstanceOf(RunnerLockException.class, e.getCause());
        assertTrue(lost.getMessage().contains("migration lock was lost before the next batch of"), lost.getMessage());
        long after = done(db) - atLoss;
        assertTrue(after <= BATCH, "at most the batch in flight committed after the lock was gone: " + after + " rows");
        assertTrue(done(db) < ROWS, "the run stopped part way");

        Querk.create(QuerkConfig.custom().dataSource(db.dataSource()).migrations(slowBackfill()).build()).migrate();
        assertEquals(ROWS, done(db), "a new runner finishes it, every row exactly once");
        assertEquals(0, count(db, "SELECT count(*) FROM items WHERE n <> 1"));
    }

    /** 7. ... and a change made while the lock went away is rolled back rather than committed. */
    @Test
    void aChangeWhoseRunnerLostTheLockWhileItRanIsRolledBack(TestDatabase db) throws Exception {
        items(db);
        AtomicBoolean terminated = new AtomicBoolean();
        QuerkListener killLockOnFirstStatement = new QuerkListener() {
            @Override
            public void onEvent(QuerkEvent event) {
                if (event instanceof StatementStarted s && s.sql().startsWith("ALTER TABLE")
                        && terminated.compareAndSet(false, true)) {
                    exec(db, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                            + " WHERE application_name = 'querk/runner-lock'");
                    try {
                        Await.until("the lock to go with its session", 10_000, () -> !bool(db, LOCK_HELD));
                    } catch (InterruptedException x) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
        };
        Migration m = Migration.define("2026-12-01.items-note")
                .expand(e -> e.addColumn("items", "note", "text")).build();
        Querk q = Querk.create(QuerkConfig.custom().dataSource(db.dataSource()).migrations(m)
                .listener(killLockOnFirstStatement).build());

        RunnerLockException lost = assertThrows(RunnerLockException.class, q::migrate);
        assertTrue(terminated.get());
        assertTrue(lost.getMessage().contains("nothing of it was committed"), lost.getMessage());
        assertEquals(0, count(db, "SELECT count(*) FROM pg_attribute WHERE attrelid = 'items'::regclass"
                + " AND attname = 'note'"), "the ALTER of a runner without its lock was rolled back");

        Querk.create(QuerkConfig.custom().dataSource(db.dataSource()).migrations(m).build()).migrate();
        assertEquals(1, count(db, "SELECT count(*) FROM pg_attribute WHERE attrelid = 'items'::regclass"
                + " AND attname = 'note'"), "the next run applies it");
    }

    /** 8. A batch's backend is terminated: the error leads with 57P01 and the server's words. */
    @Test
    void aTerminatedBatchIsReportedByItsOwnSqlstateAndMessageFirst(TestDatabase db) throws Exception {
        items(db);
        Querk q = Querk.create(QuerkConfig.custom().dataSource(db.dataSource()).migrations(slowBackfill()).build());
        CompletableFuture<MigrationReport> run = CompletableFuture.supplyAsync(q::migrate);
        Await.until("the backfill to be under way", 60_000, () -> done(db) > 2 * BATCH);
        assertEquals("t", one(db, "SELECT bool_or(pg_terminate_backend(pid)) FROM pg_stat_activity"
                + " WHERE application_name LIKE 'querk/backfill%'"));

        ExecutionException e = assertThrows(ExecutionException.class, () -> run.get(60, TimeUnit.SECONDS));
        StepFailedException f = assertInstanceOf(StepFailedException.class, e.getCause());
        String message = f.getMessage();
        assertEquals("57P01", f.sqlState(), message);
        assertTrue(message.startsWith("[SQLSTATE 57P01] FATAL: terminating connection due to administrator command"),
                message);
        assertFalse(message.contains("08003") || message.contains("bookkeeping"), message);
        assertEquals(io.querk.migration.Phase.BACKFILL, f.stepRef().phase(), message);

        Querk.create(QuerkConfig.custom().dataSource(db.dataSource()).migrations(slowBackfill()).build()).migrate();
        assertEquals(ROWS, done(db), "the next run finishes exactly once");
    }
}
