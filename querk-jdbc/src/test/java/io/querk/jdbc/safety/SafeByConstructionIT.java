package io.querk.jdbc.safety;

import io.querk.jdbc.Querk;
import io.querk.jdbc.QuerkConfig;
import io.querk.jdbc.StepFailedException;
import io.querk.migration.Migration;
import io.querk.migration.MigrationDefinitionException;
import io.querk.migration.Phase;
import io.querk.plan.MigrationPlan;
import io.querk.plan.UnsafeMigrationException;
import io.querk.testkit.postgres.PostgresExtension;
import io.querk.testkit.postgres.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.sql.Connection;
import java.sql.SQLWarning;
import java.sql.Statement;

import static io.querk.jdbc.support.Db.count;
import static io.querk.jdbc.support.Db.exec;
import static io.querk.jdbc.support.Db.one;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The reproductions of "safe by construction": ordinary mistakes that got through Querk's
 * boundary and caused the outage it exists to prevent. Each failed before the change.
 */
@ExtendWith(PostgresExtension.class)
class SafeByConstructionIT {

    private static Querk querk(TestDatabase db, Migration... m) {
        return Querk.create(QuerkConfig.custom().dataSource(db.dataSource()).migrations(m).build());
    }

    private static void users(TestDatabase db) {
        exec(db, "CREATE TABLE users (id bigint PRIMARY KEY, name text NOT NULL, n int NOT NULL DEFAULT 1)",
                "INSERT INTO users SELECT g, 'User ' || g, g % 5 FROM generate_series(1, 200) g", "ANALYZE users");
    }

    private static int triggers(TestDatabase db) {
        return (int) count(db, "SELECT count(*) FROM pg_trigger WHERE tgrelid = 'users'::regclass AND NOT tgisinternal");
    }

    /** 1. A typo in a derivation: the trigger went in, the backfill failed, every write failed after. */
    @Test
    void aTypoInADerivationIsRefusedByThePlanWithTheServersMessageAndNothingRuns(TestDatabase db) {
        users(db);
        Migration typo = Migration.define("2026-12-01.users-name-lower")
                .expand(e -> e.addColumn("users", "name_lower", "text", c -> c.derivedFrom("lower(nmae)"))).build();
        Querk q = querk(db, typo);

        MigrationPlan plan = q.plan();
        assertTrue(plan.refused(), plan.toText());
        String text = plan.toText();
        assertTrue(text.contains("broken-sql") && text.contains("column \"nmae\" does not exist"), text);

        UnsafeMigrationException e = assertThrows(UnsafeMigrationException.class, q::migrate);
        assertTrue(e.getMessage().contains("lower(nmae)"), e.getMessage());
        assertEquals(0, triggers(db), "nothing installed");
        assertEquals(0, count(db, "SELECT count(*) FROM pg_attribute WHERE attrelid = 'users'::regclass"
                + " AND attname = 'name_lower'"));
        exec(db, "INSERT INTO users (id, name) VALUES (1001, 'Still Writable')");
    }

    /** 1. ... and an expression that compiles but fails on some rows never fails an application write. */
    @Test
    void aSyncTriggerThatFailsOnARowLeavesItsColumnNullInsteadOfFailingTheWrite(TestDatabase db) throws Exception {
        users(db);
        Migration m = Migration.define("2026-12-01.users-ratio")
                .expand(e -> e.addColumn("users", "ratio", "int", c -> c.derivedFrom("100 / n"))).build();
        Querk q = querk(db, m);
        StepFailedException backfill = assertThrows(StepFailedException.class, q::migrate);
        assertTrue(backfill.getMessage().contains("division by zero"), backfill.getMessage());
        assertEquals(Phase.BACKFILL, backfill.stepRef().phase(), "the expand ran, the backfill stopped on the bad rows");
        assertEquals(1, triggers(db));

        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO users (id, name, n) VALUES (1002, 'Zero', 0)"); // 100 / 0 in the trigger
            SQLWarning w = s.getWarnings();
            assertNotNull(w, "the trigger says what it could not compute");
            assertTrue(w.getMessage().contains("could not compute its column"), w.getMessage());
            s.execute("UPDATE users SET n = 4 WHERE id = 1002");
        }
        assertEquals("25", one(db, "SELECT ratio FROM users WHERE id = 1002"), "computed once it can be");
    }

    /** 2. and 3. Fragments that smuggled DDL or a second assignment: refused by build(), nothing reaches the server. */
    @Test
    void smuggledFragmentsAreRefusedBeforeAnythingReachesTheServer(TestDatabase db) {
        exec(db, "CREATE TABLE victims (id bigint PRIMARY KEY, name text, n int)",
                "INSERT INTO victims VALUES (1, 'a', 1)");
        for (String type : new String[] {"int, DROP COLUMN name", "text GENERATED ALWAYS AS (upper(name)) STORED",
                "text DEFAULT md5(random()::text)"}) {
            MigrationDefinitionException e = assertThrows(MigrationDefinitionException.class,
                    () -> Migration.define("1").expand(x -> x.addColumn("victims", "x", type)).build());
            assertTrue(e.getMessage().contains("The type of column x is not usable"), e.getMessage());
        }
        for (String value : new String[] {"n, name = 'pwned'", "n, id = -id"}) {
            assertThrows(MigrationDefinitionException.class,
                    () -> Migration.define("2").backfill(b -> b.table("victims").set("n", value)).build());
        }
        assertEquals("a", one(db, "SELECT name FROM victims WHERE id = 1"));
        assertEquals(3, count(db, "SELECT count(*) FROM pg_attribute WHERE attrelid = 'victims'::regclass AND attnum > 0"
                + " AND NOT attisdropped"));
    }

    /** 4. A default of gen_random_bytes(16): rendered as a full-table rewrite the plan called catalog-only. */
    @Test
    void aDefaultOfGenRandomBytesAddsTheColumnWithoutARewriteAndBackfillsIt(TestDatabase db) {
        exec(db, "CREATE EXTENSION IF NOT EXISTS pgcrypto");
        users(db);
        String before = one(db, "SELECT pg_relation_filenode('users')");
        Migration m = Migration.define("2026-12-01.users-token")
                .expand(e -> e.addColumn("users", "token", "bytea", c -> c.defaultValue("gen_random_bytes(16)")))
                .build();
        MigrationPlan plan = Planner16.plan(m);
        assertTrue(!plan.refused() && !plan.toText().contains("rewrites"), plan.toText());
        querk(db, m).migrateAllPhases();
        assertEquals(before, one(db, "SELECT pg_relation_filenode('users')"), "no rewrite");
        assertEquals(0, count(db, "SELECT count(*) FROM users WHERE token IS NULL OR length(token) <> 16"));
        assertEquals(200, count(db, "SELECT count(DISTINCT token) FROM users"), "a different value per row");
    }

    /** 4. A 58-character historyTable passed build() and then failed on a "_range" table the user never named. */
    @Test
    void aHistoryTableNameWhoseDerivedTablesWouldNotFitIsRefusedByBuildAndTheLongestThatFitsWorks(TestDatabase db) {
        users(db);
        Migration m = Migration.define("2026-12-01.users-note").expand(e -> e.addColumn("users", "note", "text")).build();
        io.querk.jdbc.QuerkConfigException e = assertThrows(io.querk.jdbc.QuerkConfigException.class,
                () -> QuerkConfig.custom().dataSource(db.dataSource()).migrations(m).historyTable("h".repeat(58)).build());
        assertTrue(e.getMessage().contains("_range"), e.getMessage());

        Querk.create(QuerkConfig.custom().dataSource(db.dataSource()).migrations(m).historyTable("h".repeat(57)).build())
                .migrate();
        assertEquals(1, count(db, "SELECT count(*) FROM pg_class WHERE relname = '" + "h".repeat(57) + "_range'"));
    }

    /** The offline planner, as a test of one's own would call it. */
    private static final class Planner16 {
        static MigrationPlan plan(Migration m) {
            return io.querk.plan.Planner.forServer(16).plan(m);
        }
    }
}
