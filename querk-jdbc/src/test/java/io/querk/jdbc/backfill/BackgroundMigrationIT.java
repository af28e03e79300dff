package io.querk.jdbc.backfill;

import io.querk.jdbc.MigrationHandle;
import io.querk.jdbc.MigrationReport;
import io.querk.jdbc.Querk;
import io.querk.jdbc.QuerkConfig;
import io.querk.jdbc.event.BackfillPaused;
import io.querk.jdbc.internal.guard.RunnerLock;
import io.querk.jdbc.support.Await;
import io.querk.jdbc.support.Db;
import io.querk.jdbc.support.Held;
import io.querk.jdbc.support.Recorder;
import io.querk.migration.Migration;
import io.querk.sql.QualifiedName;
import io.querk.testkit.postgres.PostgresExtension;
import io.querk.testkit.postgres.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;

import static io.querk.jdbc.support.Db.exec;
import static io.querk.jdbc.support.Db.one;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A backfill in the background of a booted application: watched, paused, resumed, cancelled, resumed again. */
@ExtendWith(PostgresExtension.class)
class BackgroundMigrationIT {

    private static final int ROWS = 20_000;

    private static Migration migration() {
        return Migration.define("1")
                .expand(e -> e.addColumn("items", "note", "text"))
                .backfill(b -> b.table("items").set("n", "n + 1").batchSize(100).pause(Duration.ofMillis(20)))
                .build();
    }

    private static long done(TestDatabase db) {
        return Db.count(db, "SELECT count(*) FROM items WHERE n = 1");
    }

    @Test
    void expandIsDoneOnReturnAndTheBackfillCanBePausedAndResumed(TestDatabase db) throws Exception {
        exec(db, "CREATE TABLE items (id bigint PRIMARY KEY, n int NOT NULL DEFAULT 0)",
                "INSERT INTO items SELECT g, 0 FROM generate_series(1, " + ROWS + ") g", "ANALYZE items");
        Recorder recorder = new Recorder();
        Querk q = Querk.create(QuerkConfig.custom().dataSource(db.dataSource()).migrations(migration()).listener(recorder)
                .backfill(io.querk.jdbc.BackfillSettings.custom().progressInterval(Duration.ofMillis(100)).build())
                .build());

        MigrationHandle h = q.migrateInBackground();
        assertTrue(Db.bool(db, "SELECT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = 'items'::regclass AND attname = 'note')"),
                "expand is applied before migrateInBackground returns");
        Await.until("the backfill to make progress", 30_000, () -> h.progress().isPresent() && done(db) > 1_000);

        h.pause();
        Await.until("the backfill to notice the pause", 30_000, () -> recorder.of(BackfillPaused.class).stream()
                .anyMatch(p -> p.reason().startsWith("paused by request")));
        assertEquals(MigrationHandle.State.PAUSED, h.state());
        long held = done(db);
        // An observation window, not a synchronisation: nothing may move while paused.
        Thread.sleep(300);
        assertEquals(held, done(db));
        assertFalse(h.completion().isDone());

        h.resume();
        MigrationReport r = h.await(Duration.ofSeconds(60));
        assertEquals(MigrationHandle.State.SUCCEEDED, h.state());
        assertFalse(r.cancelled());
        assertEquals(ROWS, done(db));
        assertEquals(ROWS, h.progress().orElseThrow().rowsUpdated());
    }

    @Test
    void cancelSavesTheCursorAndTheNextRunResumesExactlyOnce(TestDatabase db) throws Exception {
        exec(db, "CREATE TABLE items (id bigint PRIMARY KEY, n int NOT NULL DEFAULT 0)",
                "INSERT INTO items SELECT g, 0 FROM generate_series(1, " + ROWS + ") g", "ANALYZE items");
        Querk q = Querk.create(QuerkConfig.custom().dataSource(db.dataSource()).migrations(migration()).build());
        MigrationHandle h = q.migrateInBackground();
        Await.until("some progress", 30_000, () -> done(db) > 1_000);
        h.cancel();
        MigrationReport r = h.await(Duration.ofSeconds(30));
        assertTrue(r.cancelled());
        assertEquals(MigrationHandle.State.CANCELLED, h.state());
        long partial = done(db);
        assertTrue(partial < ROWS);
        assertEquals("0", one(db, "SELECT count(*) FROM items WHERE n > 1"));
        assertEquals(String.valueOf(partial), one(db, "SELECT rows_updated FROM querk_history_step WHERE phase = 'backfill'"));

        // Another instance holds the runner lock: with only the backfill pending, there is nothing to wait for.
        long key = RunnerLock.keyFor(QualifiedName.parse("querk_history"));
        try (Held other = Held.transaction(db, "SELECT pg_advisory_lock(" + key + ")")) {
            MigrationHandle elsewhere = q.migrateInBackground();
            assertEquals(MigrationHandle.State.RUNNING_ELSEWHERE, elsewhere.state());
            assertTrue(elsewhere.await(Duration.ofSeconds(5)).applied().isEmpty());
        }

        MigrationReport rest = q.migrate();
        assertEquals(ROWS - partial, rest.applied().get(0).rows());
        assertEquals(ROWS, done(db));
    }

    @Test
    void anExecutorOfTheCallersRunsTheBackfillOnlyWhenItRunsTheTask(TestDatabase db) throws Exception {
        exec(db, "CREATE TABLE items (id bigint PRIMARY KEY, n int NOT NULL DEFAULT 0)",
                "INSERT INTO items SELECT g, 0 FROM generate_series(1, " + ROWS + ") g", "ANALYZE items");
        Querk q = Querk.create(QuerkConfig.custom().dataSource(db.dataSource()).migrations(migration()).build());
        java.util.List<Runnable> held = new java.util.ArrayList<>();

        MigrationHandle h = q.migrateInBackground(held::add);
        assertEquals(1, held.size(), "the background part is handed over as one task");
        assertTrue(Db.bool(db, "SELECT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = 'items'::regclass AND attname = 'note')"),
                "expand is applied before the task runs");
        assertEquals(0, done(db), "no batch before the executor runs the task");
        assertEquals(MigrationHandle.State.RUNNING, h.state());

        // Giving up on it: cancel, then let the task run; it stops before the first batch and lets go of the lock.
        h.cancel();
        held.get(0).run();
        assertTrue(h.await(Duration.ofSeconds(10)).cancelled());
        assertEquals(0, done(db));

        MigrationHandle again = q.migrateInBackground(Runnable::run);
        assertEquals(MigrationHandle.State.SUCCEEDED, again.state(), "run on the caller's thread, to the end");
        assertEquals(ROWS, done(db));
    }

    @Test
    void anExecutorThatRefusesTheTaskFailsTheCallAndReleasesTheLock(TestDatabase db) throws Exception {
        exec(db, "CREATE TABLE items (id bigint PRIMARY KEY, n int NOT NULL DEFAULT 0)",
                "INSERT INTO items SELECT g, 0 FROM generate_series(1, 100) g");
        Querk q = Querk.create(QuerkConfig.custom().dataSource(db.dataSource()).migrations(migration()).build());
        io.querk.QuerkException e = org.junit.jupiter.api.Assertions.assertThrows(io.querk.QuerkException.class,
                () -> q.migrateInBackground(task -> {
                    throw new java.util.concurrent.RejectedExecutionException("shutting down");
                }));
        assertTrue(e.getMessage().contains("refused the background part"), e.getMessage());
        assertEquals(100, q.migrate().applied().get(0).rows(), "the lock was let go: a plain run finishes it");
    }
}
