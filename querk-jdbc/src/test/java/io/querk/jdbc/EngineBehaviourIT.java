package io.querk.jdbc;

import io.querk.jdbc.internal.guard.RunnerLock;
import io.querk.jdbc.support.Await;
import io.querk.jdbc.support.Db;
import io.querk.jdbc.support.Held;
import io.querk.jdbc.support.TinyPool;
import io.querk.migration.Migration;
import io.querk.sql.QualifiedName;
import io.querk.testkit.postgres.PostgresExtension;
import io.querk.testkit.postgres.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static io.querk.jdbc.support.Db.exec;
import static io.querk.jdbc.support.Db.one;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ExtendWith(PostgresExtension.class)
class EngineBehaviourIT {

    private static void seed(TestDatabase db, int rows) {
        exec(db, "CREATE TABLE items (id bigint PRIMARY KEY, n int NOT NULL DEFAULT 0, name text)",
                "INSERT INTO items SELECT g, 0, 'i' || g FROM generate_series(1, " + rows + ") g");
    }

    @Test
    void anEditedAppliedPhaseIsRefusedUntilRepaired(TestDatabase db) {
        seed(db, 10);
        Migration v1 = Migration.define("2026-01-01.note").expand(e -> e.addColumn("items", "note", "text")).build();
        Migration v2 = Migration.define("2026-01-01.note").expand(e -> e.addColumn("items", "note", "varchar(20)")).build();
        Querk.create(QuerkConfig.custom().dataSource(db.dataSource()).migrations(v1).build()).migrate();

        Querk edited = Querk.create(QuerkConfig.custom().dataSource(db.dataSource()).migrations(v2).build());
        ChecksumMismatchException e = assertThrows(ChecksumMismatchException.class, edited::migrate);
        assertTrue(e.getMessage().contains("'2026-01-01.note' expand"), e.getMessage());
        assertTrue(e.getMessage().contains("repairChecksums(\"2026-01-01.note\")"), e.getMessage());
        assertEquals(false, edited.status().get(0).checksumMatches());

        assertEquals(1, edited.repairChecksums("2026-01-01.note"));
        assertTrue(edited.migrate().nothingPending());
        assertTrue(edited.status().get(0).checksumMatches());
    }

    @Test
    void aFailedPhaseMayBeFixedButItsDoneStepsMayNotBeEdited(TestDatabase db) {
        seed(db, 10);
        Migration broken = Migration.define("1").expand(e -> e
                .addColumn("items", "a", "int").sql("ALTER TABLE items ADD COLUMN b no_such_type")).build();
        StepFailedException f = assertThrows(StepFailedException.class,
                Querk.create(QuerkConfig.custom().dataSource(db.dataSource()).migrations(broken).build())::migrate);
        assertEquals("42704", f.sqlState());
        assertEquals("failed", one(db, "SELECT status FROM querk_history"));

        Migration editedDoneStep = Migration.define("1").expand(e -> e
                .addColumn("items", "a", "bigint").sql("ALTER TABLE items ADD COLUMN b int")).build();
        assertThrows(ChecksumMismatchException.class,
                Querk.create(QuerkConfig.custom().dataSource(db.dataSource()).migrations(editedDoneStep).build())::migrate);

        Migration fixed = Migration.define("1").expand(e -> e
                .addColumn("items", "a", "int").sql("ALTER TABLE items ADD COLUMN b int")).build();
        assertEquals(1, Querk.create(QuerkConfig.custom().dataSource(db.dataSource()).migrations(fixed).build()).migrate().applied().size());
        assertEquals("applied", one(db, "SELECT status FROM querk_history"));
    }

    @Test
    void contractRunsOnlyOnceReleased(TestDatabase db) {
        seed(db, 10);
        List<Migration> ms = List.of(
                Migration.define("1").expand(e -> e.addColumn("items", "a", "int")).contract(c -> c.dropColumn("items", "name")).build(),
                Migration.define("2").expand(e -> e.addColumn("items", "b", "int")).contract(c -> c.dropColumn("items", "a")).build());
        MigrationReport r = Querk.create(QuerkConfig.custom().dataSource(db.dataSource()).migrations(ms).build()).migrate();
        assertEquals(List.of("1", "2"), r.pendingContracts());
        assertEquals("3", one(db, "SELECT count(*) FROM pg_attribute WHERE attrelid = 'items'::regclass AND attname IN ('name', 'a', 'b') AND NOT attisdropped"));

        r = Querk.create(QuerkConfig.custom().dataSource(db.dataSource()).migrations(ms).contractReleasedThrough("1").build()).migrate();
        assertEquals(List.of("2"), r.pendingContracts());
        assertEquals("0", one(db, "SELECT count(*) FROM pg_attribute WHERE attrelid = 'items'::regclass AND attname = 'name' AND NOT attisdropped"));
        assertEquals("1", one(db, "SELECT count(*) FROM pg_attribute WHERE attrelid = 'items'::regclass AND attname = 'a' AND NOT attisdropped"));
    }

    @Test
    void theNoOpPathTakesNoLock(TestDatabase db) throws Exception {
        seed(db, 10);
        Migration m = Migration.define("1").expand(e -> e.addColumn("items", "a", "int")).build();
        Querk q = Querk.create(QuerkConfig.custom().dataSource(db.dataSource()).migrations(m).runnerLockTimeout(Duration.ofSeconds(3)).build());
        q.migrate();
        long key = RunnerLock.keyFor(QualifiedName.parse("querk_history"));
        try (Held other = Held.transaction(db, "SELECT pg_advisory_lock(" + key + ")")) {
            long t0 = System.nanoTime();
            assertTrue(q.migrate().nothingPending());
            assertTrue(System.nanoTime() - t0 < Duration.ofSeconds(2).toNanos(), "did not wait for the runner lock");
        }
    }

    @Test
    void aWaitingRunnerTimesOutWithAClearError(TestDatabase db) throws Exception {
        seed(db, 10);
        Migration m = Migration.define("1").expand(e -> e.addColumn("items", "a", "int")).build();
        Querk q = Querk.create(QuerkConfig.custom().dataSource(db.dataSource()).migrations(m).runnerLockTimeout(Duration.ofMillis(500)).build());
        long key = RunnerLock.keyFor(QualifiedName.parse("querk_history"));
        try (Held other = Held.transaction(db, "SELECT pg_advisory_lock(" + key + ")")) {
            RunnerLockException e = assertThrows(RunnerLockException.class, q::migrate);
            assertTrue(e.getMessage().contains("pid " + other.pid()), e.getMessage());
        }
        assertEquals(1, q.migrate().applied().size());
    }

    @Test
    void pooledConnectionsGoBackWithTheirSettings(TestDatabase db) throws Exception {
        seed(db, 2_000);
        try (TinyPool pool = new TinyPool(db, 2)) {
            List<List<String>> before = new ArrayList<>();
            for (Connection c : pool.physical()) {
                try (Statement s = c.createStatement()) {
                    s.execute("SET application_name = 'shop-api'; SET lock_timeout = '7s'; SET statement_timeout = '9s';"
                            + " SET DateStyle = 'ISO, DMY'; SET extra_float_digits = 0");
                }
                before.add(settings(c));
            }
            Migration m = Migration.define("1")
                    .expand(e -> e.addColumn("items", "a", "int").createIndex("items_a_idx", "items", "a"))
                    .backfill(b -> b.table("items").set("a", "n + 1")).build();
            Querk.create(QuerkConfig.custom().dataSource(pool).migrations(m).build()).migrateAllPhases();
            for (int i = 0; i < 2; i++) {
                Connection c = pool.physical().get(i);
                assertTrue(c.getAutoCommit());
                assertEquals(before.get(i), settings(c));
            }
        }
    }

    private static List<String> settings(Connection c) throws Exception {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT current_setting('application_name'),"
                + " current_setting('lock_timeout'), current_setting('statement_timeout'), current_setting('DateStyle'), current_setting('extra_float_digits'),"
                + " current_setting('idle_in_transaction_session_timeout'), current_setting('client_connection_check_interval')")) {
            rs.next();
            List<String> out = new ArrayList<>();
            for (int i = 1; i <= 7; i++) {
                out.add(rs.getString(i));
            }
            return out;
        }
    }

    @Test
    void aTerminatedBackendStopsTheRunAndTheNextRunFinishesExactlyOnce(TestDatabase db) throws Exception {
        seed(db, 20_000);
        Migration m = Migration.define("1")
                .backfill(b -> b.table("items").set("n", "n + 1").batchSize(500).pause(Duration.ofMillis(20))).build();
        Querk q = Querk.create(QuerkConfig.custom().dataSource(db.dataSource()).migrations(m).build());
        CompletableFuture<MigrationReport> run = CompletableFuture.supplyAsync(q::migrate);
        Await.until("the backfill to be half way", 60_000, () -> Db.count(db,
                "SELECT count(*) FROM items WHERE n = 1") > 5_000);
        assertEquals("t", one(db, "SELECT bool_or(pg_terminate_backend(pid)) FROM pg_stat_activity"
                + " WHERE application_name LIKE 'querk/backfill%'"));
        ExecutionException e = assertThrows(ExecutionException.class, () -> run.get(60, TimeUnit.SECONDS));
        assertInstanceOf(io.querk.QuerkException.class, e.getCause());
        long doneBefore = Db.count(db, "SELECT count(*) FROM items WHERE n = 1");
        assertTrue(doneBefore < 20_000, "the run was stopped part way");

        q.migrate();
        assertEquals("20000", one(db, "SELECT count(*) FROM items WHERE n = 1"));
        assertEquals("20000", one(db, "SELECT rows_updated FROM querk_history_step"));
    }

    @Test
    void theHistoryTableNameAndSchemaAreConfigurable(TestDatabase db) {
        seed(db, 10);
        Migration m = Migration.define("1").expand(e -> e.addColumn("items", "a", "int")).build();
        Querk q = Querk.create(QuerkConfig.custom().dataSource(db.dataSource()).migrations(m).historyTable("ops.schema_changes").build());
        q.migrate();
        assertEquals("applied", one(db, "SELECT status FROM ops.schema_changes"));
        assertEquals("done", one(db, "SELECT status FROM ops.schema_changes_step"));
        assertTrue(Db.bool(db, "SELECT to_regclass('querk_history') IS NULL"));
    }
}
