package io.querk.jdbc.safety;

import io.querk.jdbc.AbortReport;
import io.querk.jdbc.CannotAbortException;
import io.querk.jdbc.PhaseState;
import io.querk.jdbc.Querk;
import io.querk.jdbc.QuerkConfig;
import io.querk.jdbc.StepFailedException;
import io.querk.migration.Migration;
import io.querk.migration.Undo;
import io.querk.testkit.postgres.PostgresExtension;
import io.querk.testkit.postgres.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static io.querk.jdbc.support.Db.bool;
import static io.querk.jdbc.support.Db.count;
import static io.querk.jdbc.support.Db.exec;
import static io.querk.jdbc.support.Db.one;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Abort: undo an expanded, not yet contracted migration, and run it again once fixed. */
@ExtendWith(PostgresExtension.class)
class AbortIT {

    private static Querk querk(TestDatabase db, Migration... m) {
        return Querk.create(QuerkConfig.custom().dataSource(db.dataSource()).migrations(m).build());
    }

    private static void users(TestDatabase db) {
        exec(db, "CREATE TABLE users (id bigint PRIMARY KEY, name text NOT NULL, n int NOT NULL DEFAULT 1)",
                "INSERT INTO users SELECT g, 'User ' || g, g % 5 FROM generate_series(1, 200) g");
    }

    private static boolean exists(TestDatabase db, String sql) {
        return bool(db, "SELECT EXISTS (" + sql + ")");
    }

    @Test
    void aHalfFailedMigrationIsUndoneAndRunsAgainOnceFixed(TestDatabase db) {
        users(db);
        Migration broken = Migration.define("2026-12-01.users-ratio").expand(e -> e
                .addColumn("users", "ratio", "int", c -> c.derivedFrom("100 / n"))
                .createIndex("users_ratio_idx", "users", "ratio")
                .addCheck("users", "users_ratio_ck", "ratio >= 0")).build();
        assertThrows(StepFailedException.class, querk(db, broken)::migrate); // the backfill divides by zero
        assertTrue(exists(db, "SELECT 1 FROM pg_trigger WHERE tgrelid = 'users'::regclass AND NOT tgisinternal"));

        AbortReport report = querk(db, broken).abort("2026-12-01.users-ratio");
        assertTrue(report.undone().contains("drop sync trigger querk_sync_ratio"), report.undone().toString());
        assertFalse(exists(db, "SELECT 1 FROM pg_trigger WHERE tgrelid = 'users'::regclass AND NOT tgisinternal"));
        assertFalse(exists(db, "SELECT 1 FROM pg_proc WHERE proname LIKE 'querk_sync_%'"));
        assertFalse(exists(db, "SELECT 1 FROM pg_attribute WHERE attrelid = 'users'::regclass AND attname = 'ratio'"
                + " AND NOT attisdropped"));
        assertFalse(exists(db, "SELECT 1 FROM pg_class WHERE relname = 'users_ratio_idx'"));
        assertFalse(exists(db, "SELECT 1 FROM pg_constraint WHERE conname = 'users_ratio_ck'"));
        assertTrue(querk(db, broken).status().stream().allMatch(s -> s.status() == PhaseState.Status.ABORTED),
                querk(db, broken).status().toString());
        assertTrue(querk(db, broken).abort("2026-12-01.users-ratio").undone().isEmpty(), "a second abort has nothing left");

        Migration fixed = Migration.define("2026-12-01.users-ratio").expand(e -> e
                .addColumn("users", "ratio", "int", c -> c.derivedFrom("CASE WHEN n = 0 THEN NULL ELSE 100 / n END"))
                .createIndex("users_ratio_idx", "users", "ratio")
                .addCheck("users", "users_ratio_ck", "ratio >= 0")).build();
        querk(db, fixed).migrateAllPhases();
        assertEquals(0, count(db, "SELECT count(*) FROM users WHERE ratio IS DISTINCT FROM"
                + " (CASE WHEN n = 0 THEN NULL ELSE 100 / n END)"));
    }

    @Test
    void onceItsContractHasRunAMigrationCannotBeAborted(TestDatabase db) {
        users(db);
        Migration m = Migration.define("1").expand(e -> e.addColumn("users", "a", "int"))
                .contract(c -> c.dropColumn("users", "n")).build();
        querk(db, m).migrateAllPhases();
        CannotAbortException e = assertThrows(CannotAbortException.class, () -> querk(db, m).abort("1"));
        assertTrue(e.getMessage().contains("contract phase has started") && e.getMessage().contains("new migration"),
                e.getMessage());
        assertTrue(exists(db, "SELECT 1 FROM pg_attribute WHERE attrelid = 'users'::regclass AND attname = 'a'"
                + " AND NOT attisdropped"), "nothing undone");
    }

    @Test
    void rawSqlIsUndoneOnlyWithAnUndo(TestDatabase db) {
        users(db);
        Migration withoutUndo = Migration.define("2").expand(e -> e
                .sql("CREATE TYPE parcel_size AS ENUM ('s', 'm', 'l')")
                .addColumn("users", "size", "parcel_size")).build();
        querk(db, withoutUndo).migrate();
        CannotAbortException refused = assertThrows(CannotAbortException.class, () -> querk(db, withoutUndo).abort("2"));
        assertTrue(refused.getMessage().contains("expand step 1") && refused.getMessage().contains("Undo.with"),
                refused.getMessage());
        assertEquals("1", one(db, "SELECT count(*) FROM pg_type WHERE typname = 'parcel_size'"), "nothing undone");

        Migration withUndo = Migration.define("2").expand(e -> e
                .sql("CREATE TYPE parcel_size AS ENUM ('s', 'm', 'l')", Undo.with("DROP TYPE IF EXISTS parcel_size"))
                .addColumn("users", "size", "parcel_size")).build();
        querk(db, withUndo).abort("2");   // the undo is not part of the checksum: no edit to repair
        assertEquals("0", one(db, "SELECT count(*) FROM pg_type WHERE typname = 'parcel_size'"));
        assertFalse(exists(db, "SELECT 1 FROM pg_attribute WHERE attrelid = 'users'::regclass AND attname = 'size'"
                + " AND NOT attisdropped"));
    }
}
