package io.querk.jdbc.backfill;

import io.querk.jdbc.Querk;
import io.querk.jdbc.QuerkConfig;
import io.querk.QuerkException;
import io.querk.jdbc.StepFailedException;
import io.querk.plan.UnsafeMigrationException;
import io.querk.migration.Migration;
import io.querk.migration.MigrationDefinitionException;
import io.querk.testkit.postgres.PostgresExtension;
import io.querk.testkit.postgres.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.function.Consumer;

import static io.querk.jdbc.support.Db.exec;
import static io.querk.jdbc.support.Db.one;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bad input fails with a clear message before the first batch: nothing is updated. SQL the server
 * cannot compile is refused by the plan, before the run takes any lock (refusedByThePlan); what
 * only the walk can find (the table, the key) fails the step before its first batch.
 */
@ExtendWith(PostgresExtension.class)
class BackfillBadInputIT {

    private static String fails(TestDatabase db, Consumer<io.querk.migration.BackfillSpec> spec) {
        return failsWith(StepFailedException.class, db, spec);
    }

    private static String refusedByThePlan(TestDatabase db, Consumer<io.querk.migration.BackfillSpec> spec) {
        String msg = failsWith(UnsafeMigrationException.class, db, spec);
        assertTrue(msg.contains("broken-sql") && msg.contains("does not work on items"), msg);
        assertEquals("f", one(db, "SELECT to_regclass('querk_history') IS NOT NULL"), "refused before the run began");
        return msg;
    }

    private static String failsWith(Class<? extends QuerkException> kind, TestDatabase db,
                                    Consumer<io.querk.migration.BackfillSpec> spec) {
        exec(db, "CREATE TABLE IF NOT EXISTS items (id bigint PRIMARY KEY, n int NOT NULL DEFAULT 0, note text)",
                "INSERT INTO items SELECT g, 0 FROM generate_series(1, 100) g ON CONFLICT DO NOTHING");
        Migration m = Migration.define("1").backfill(spec).build();
        QuerkException e = assertThrows(kind,
                Querk.create(QuerkConfig.custom().dataSource(db.dataSource()).migrations(m).build())::migrate);
        assertEquals("0", one(db, "SELECT count(*) FROM items WHERE n <> 0 OR note IS NOT NULL"), "nothing was updated");
        if ("t".equals(one(db, "SELECT to_regclass('querk_history_step') IS NOT NULL"))) {
            assertEquals("0", one(db, "SELECT coalesce(sum(rows_scanned), 0) FROM querk_history_step"), "no batch ran");
        }
        return e.getMessage();
    }

    @Test
    void unknownTable(TestDatabase db) {
        assertTrue(fails(db, b -> b.table("itemz").set("n", "1")).contains("table itemz does not exist"));
    }

    @Test
    void unknownColumn(TestDatabase db) {
        assertTrue(refusedByThePlan(db, b -> b.table("items").set("nn", "1")).contains("column \"nn\" of relation \"items\" does not exist"));
    }

    @Test
    void expressionThatDoesNotTypeCheck(TestDatabase db) {
        String msg = refusedByThePlan(db, b -> b.table("items").set("n", "note || 'x' + 1"));
        assertTrue(msg.contains("operator does not exist") || msg.contains("invalid input syntax"), msg);
    }

    @Test
    void expressionThatAlwaysFails(TestDatabase db) {
        assertTrue(refusedByThePlan(db, b -> b.table("items").set("n", "1 / 0")).contains("division by zero"));
    }

    @Test
    void unknownColumnInThePredicate(TestDatabase db) {
        assertTrue(refusedByThePlan(db, b -> b.table("items").set("n", "1").where("missing > 0")).contains("missing"));
    }

    @Test
    void aTableWithoutAUsableKey(TestDatabase db) {
        exec(db, "CREATE TABLE logs (id bigint, line text)", "CREATE UNIQUE INDEX logs_id ON logs (id)",
                "CREATE UNIQUE INDEX logs_line ON logs (line) WHERE line IS NOT NULL",
                "INSERT INTO logs VALUES (1, 'a')");
        String msg = fails(db, b -> b.table("logs").set("line", "'b'"));
        assertTrue(msg.contains("no primary key and no unique, NOT NULL, non-partial key"), msg);
        assertEquals("a", one(db, "SELECT line FROM logs"));
    }

    @Test
    void settingTheKeyItWalks(TestDatabase db) {
        assertTrue(fails(db, b -> b.table("items").set("id", "id + 1")).contains("must not change its own key"));
    }

    @Test
    void zeroAndNegativeSizesAreRefusedWhenTheMigrationIsBuilt() {
        assertThrows(MigrationDefinitionException.class, () -> Migration.define("1")
                .backfill(b -> b.table("items").set("n", "1").batchSize(0)).build());
        assertThrows(MigrationDefinitionException.class, () -> Migration.define("1")
                .backfill(b -> b.table("items").set("n", "1").minBatchSize(-5)).build());
        assertThrows(MigrationDefinitionException.class, () -> Migration.define("1")
                .backfill(b -> b.table("items").set("n", "1").pause(java.time.Duration.ofMillis(-1))).build());
    }
}
