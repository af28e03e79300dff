package io.querk.migration;

import io.querk.internal.step.Backfill;
import io.querk.internal.step.CarryDependents;
import io.querk.internal.step.FinishSync;
import io.querk.internal.step.SyncKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MigrationDslTest {

    private static final String ID = "2026-11-23.dsl-test";

    private static MigrationDefinitionException fails(Executable build, String keyPhrase) {
        MigrationDefinitionException e = assertThrows(MigrationDefinitionException.class, build);
        assertTrue(e.getMessage().contains(keyPhrase),
                () -> "'" + e.getMessage() + "' should contain '" + keyPhrase + "'");
        return e;
    }

    /** A rule checked as the migration is built: the message and the exception name the migration. */
    private static MigrationDefinitionException failsNamingMigration(Executable build, String keyPhrase) {
        MigrationDefinitionException e = fails(build, keyPhrase);
        assertTrue(e.getMessage().contains("Migration '" + ID + "'"), e.getMessage());
        assertEquals(Optional.of(ID), e.migrationId());
        return e;
    }

    private static Migration.Builder define() {
        return Migration.define(ID);
    }

    // ---- ids ---------------------------------------------------------------------------------

    @Test
    void rejectsBlankId() {
        fails(() -> Migration.define("  "), "A migration id is blank");
        fails(() -> Migration.define(""), "A migration id is blank");
        fails(() -> Migration.define(null), "A migration id is blank");
    }

    @Test
    void rejectsIdWithSurroundingWhitespace() {
        fails(() -> Migration.define(" V1"), "starts or ends with white space; remove it");
        fails(() -> Migration.define("V1\t"), "starts or ends with white space; remove it");
    }

    @Test
    void rejectsIdLongerThan200Characters() {
        fails(() -> Migration.define("v".repeat(201)), "201 characters long; keep it to 200");
        assertEquals("v".repeat(200), Migration.define("v".repeat(200)).contract(c -> c.dropTable("t")).build().id());
    }

    @Test
    void rejectsIdWithControlCharacter() {
        MigrationDefinitionException e = fails(() -> Migration.define("V1\u0007bell"), "contains a control character");
        assertTrue(e.getMessage().contains("V1?bell"), e.getMessage());
    }

    // ---- whole-migration rules ---------------------------------------------------------------

    @Test
    void rejectsEmptyMigration() {
        failsNamingMigration(() -> define().description("nothing").build(), "has no steps");
    }

    @Test
    void rejectsRawDropColumnInExpand() {
        MigrationDefinitionException e = failsNamingMigration(
                () -> define().expand(x -> x.sql("ALTER TABLE t DROP COLUMN c")).build(), "drop-in-expand");
        assertInstanceOf(io.querk.plan.UnsafeMigrationException.class, e);
        assertTrue(e.getMessage().contains("move it to contract"), e.getMessage());
    }

    @Test
    void rejectsRawDropTableInExpand() {
        failsNamingMigration(() -> define().expand(e -> e.sql("DROP TABLE t")).build(), "drop-in-expand");
    }

    @Test
    void rejectsRawRenameInExpand() {
        failsNamingMigration(() -> define().expand(e -> e.sql("ALTER TABLE t RENAME COLUMN a TO b")).build(),
                "rename-in-expand");
    }

    @Test
    void acceptsRawDropInExpandWithAnOverrideNamingIt() {
        Migration m = define().expand(e -> e.sql("DROP TABLE IF EXISTS legacy_scratch",
                SafetyOverride.because("legacy_scratch was never read by any release").onlyFor("drop-in-expand")))
                .build();
        assertEquals(StepKind.RAW_SQL, m.steps(Phase.EXPAND).get(0).kind());
    }

    @Test
    void acceptsRawDropDefaultInExpand() {
        Migration m = define().expand(e -> e.sql("ALTER TABLE t ALTER COLUMN c DROP DEFAULT")).build();
        assertEquals(StepKind.RAW_SQL, m.steps(Phase.EXPAND).get(0).kind());
    }

    @Test
    void acceptsRawDropInContract() {
        Migration m = define().contract(c -> c.sql("DROP TABLE t")).build();
        assertEquals(1, m.steps(Phase.CONTRACT).size());
    }

    // ---- contradictions ----------------------------------------------------------------------

    @Test
    void rejectsSameIndexCreatedTwice() {
        failsNamingMigration(() -> define().expand(e -> e
                .createIndex("t_a_idx", "t", "a")
                .createIndex("t_a_idx", "t", "b")).build(), "which expand step 1");
    }

    @Test
    void rejectsSameColumnAddedTwice() {
        failsNamingMigration(() -> define().expand(e -> e
                .addColumn("t", "c", "text")
                .addColumn("t", "c", "int")).build(), "already creates");
    }

    @Test
    void rejectsAddAndDropOfSameColumn() {
        failsNamingMigration(() -> define()
                .expand(e -> e.addColumn("t", "c", "text"))
                .contract(c -> c.dropColumn("t", "c")).build(), "creates in this same migration; remove both steps");
    }

    @Test
    void rejectsCreateAndDropOfSameIndex() {
        failsNamingMigration(() -> define()
                .expand(e -> e.createIndex("t_a_idx", "t", "a"))
                .contract(c -> c.dropIndex("t_a_idx")).build(), "creates in this same migration");
    }

    @Test
    void rejectsSetNotNullTwice() {
        failsNamingMigration(() -> define().contract(c -> c
                .setNotNull("t", "c")
                .setNotNull("t", "c")).build(), "NOT NULL again");
    }

    @Test
    void explainsWhyAVolatileNotNullColumnNeedsNoSetNotNull() {
        // The implied SET NOT NULL runs first in contract; the declared one is the duplicate.
        failsNamingMigration(() -> define()
                .expand(e -> e.addColumn("t", "token", "uuid", c -> c.notNull().defaultValue("gen_random_uuid()")))
                .contract(c -> c.setNotNull("t", "token")).build(), "gets this step by itself");
    }

    @Test
    void rejectsDropOfColumnRenamedAway() {
        failsNamingMigration(() -> define()
                .expand(e -> e.renameColumn("t", "a", "b"))
                .contract(c -> c.dropColumn("t", "a")).build(),
                "renameColumn drops the old column at contract by itself");
    }

    @Test
    void rejectsStepOnTableDroppedEarlier() {
        failsNamingMigration(() -> define().contract(c -> c
                .dropTable("t")
                .dropColumn("t", "c")).build(), "uses table t, which contract step 1 (drop table t) drops");
    }

    @Test
    void rejectsColumnRenamedAndRetyped() {
        failsNamingMigration(() -> define().expand(e -> e
                .renameColumn("t", "a", "b")
                .changeColumnType("t", "a", "bigint")).build(), "split them into two migrations");
    }

    @Test
    void rejectsExplicitBackfillOfDerivedColumn() {
        failsNamingMigration(() -> define()
                .expand(e -> e.addColumn("t", "d", "text", c -> c.derivedFrom("lower(src)")))
                .backfill(b -> b.table("t").set("d", "lower(src)")).build(),
                "keeps in sync and backfills by itself");
    }

    // ---- builder rules -----------------------------------------------------------------------

    @Test
    void rejectsNotNullColumnWithoutDefault() {
        MigrationDefinitionException e = failsNamingMigration(
                () -> define().expand(x -> x.addColumn("t", "c", "int", c -> c.notNull())),
                "added NOT NULL without a default");
        assertTrue(e.getMessage().contains("expand"), e.getMessage());
    }

    @Test
    void rejectsDerivedColumnWithDefault() {
        failsNamingMigration(() -> define().expand(x -> x.addColumn("t", "c", "text",
                c -> c.derivedFrom("lower(a)").defaultValue("'x'"))), "cannot also have a default");
    }

    @Test
    void rejectsDerivedColumnInCreateTable() {
        failsNamingMigration(() -> define().expand(x -> x.createTable("t", t -> t
                .column("c", "text", c -> c.derivedFrom("lower(a)")))), "derivedFrom(...) is for addColumn");
    }

    @Test
    void rejectsIndexWithoutColumns() {
        failsNamingMigration(() -> define().expand(x -> x.createIndex("i", "t", i -> i.unique())),
                "has no columns or expressions");
        failsNamingMigration(() -> define().expand(x -> x.createIndex("i", "t")), "needs at least one column");
    }

    @Test
    void rejectsForeignKeyColumnCountMismatch() {
        failsNamingMigration(() -> define().expand(x -> x.addForeignKey("t", "t_fk",
                fk -> fk.columns("a", "b").references("u", "id"))), "the counts must match");
    }

    @Test
    void rejectsForeignKeyWithoutReferences() {
        failsNamingMigration(() -> define().expand(x -> x.addForeignKey("t", "t_fk", fk -> fk.columns("a"))),
                "references nothing");
    }

    @Test
    void rejectsRenameColumnToSameName() {
        failsNamingMigration(() -> define().expand(x -> x.renameColumn("t", "a", "a")),
                "renames a column to its own name");
    }

    @Test
    void rejectsDuplicateColumnInCreateTable() {
        failsNamingMigration(() -> define().expand(x -> x.createTable("t", t -> t
                .column("a", "int")
                .column("a", "text"))), "is declared twice");
    }

    @Test
    void rejectsPrimaryKeyOnUndeclaredColumn() {
        failsNamingMigration(() -> define().expand(x -> x.createTable("t", t -> t
                .column("a", "int")
                .primaryKey("id"))), "which the table does not declare");
    }

    @Test
    void rejectsBackfillWithoutTable() {
        failsNamingMigration(() -> define().backfill(b -> b.set("a", "1")), "names no table");
    }

    @Test
    void rejectsBackfillWithoutSet() {
        failsNamingMigration(() -> define().backfill(b -> b.table("t")), "sets nothing");
    }

    @Test
    void rejectsBackfillSettingColumnTwice() {
        failsNamingMigration(() -> define().backfill(b -> b.table("t").set("a", "1").set("a", "2")),
                "sets column a twice");
    }

    @Test
    void rejectsZeroBatchSize() {
        failsNamingMigration(() -> define().backfill(b -> b.table("t").set("a", "1").batchSize(0)),
                "must be positive, got 0");
    }

    @Test
    void rejectsNegativeBatchSize() {
        failsNamingMigration(() -> define().backfill(b -> b.table("t").set("a", "1").batchSize(-5)),
                "must be positive, got -5");
    }

    @Test
    void rejectsNegativePause() {
        failsNamingMigration(() -> define().backfill(b -> b.table("t").set("a", "1").pause(Duration.ofMillis(-1))),
                "must be zero or positive");
    }

    @Test
    void rejectsMinBatchSizeAboveMax() {
        failsNamingMigration(() -> define().backfill(b -> b.table("t").set("a", "1")
                .minBatchSize(500).maxBatchSize(100)), "above maxBatchSize");
    }

    @Test
    void rejectsBadIndexMethodName() {
        failsNamingMigration(() -> define().expand(x -> x.createIndex("i", "t", i -> i.using("gin; DROP").columns("a"))),
                "is not a method name");
    }

    @Test
    void rejectsSemicolonInSqlFragments() {
        failsNamingMigration(() -> define().expand(x -> x.addCheck("t", "t_ck", "a > 0; DROP TABLE t")),
                "it contains a ';'");
        failsNamingMigration(() -> define().expand(x -> x.addColumn("t", "c", "int; DROP TABLE t")),
                "it contains a ';'");
        failsNamingMigration(() -> define().expand(x -> x.addColumn("t", "c", "int",
                c -> c.defaultValue("0; DROP TABLE t"))), "it contains a ';'");
        failsNamingMigration(() -> define().backfill(b -> b.table("t").set("a", "1").where("true; DELETE FROM t")),
                "it contains a ';'");
    }

    @Test
    void aColumnTypeIsReadAsATypeAndNothingMore() {
        failsNamingMigration(() -> define().expand(x -> x.addColumn("victims", "x", "int, DROP COLUMN name")),
                "The type of column x is not usable: it holds a ','");
        failsNamingMigration(() -> define().expand(x -> x.addColumn("victims", "x",
                "text GENERATED ALWAYS AS (upper(name)) STORED")), "derivedFrom(...)");
        failsNamingMigration(() -> define().expand(x -> x.addColumn("victims", "x", "text DEFAULT md5(random()::text)")),
                "defaultValue(...)");
        failsNamingMigration(() -> define().expand(x -> x.changeColumnType("victims", "x", "bigint, DROP COLUMN y")),
                "it holds a ','");
    }

    @Test
    void aBackfillAssignmentIsOneExpressionForOneColumn() {
        failsNamingMigration(() -> define().backfill(b -> b.table("t").set("n", "n, name = 'pwned'")),
                "The SQL for the value of n is not usable: it holds a ',' outside brackets");
        failsNamingMigration(() -> define().backfill(b -> b.table("t").set("n", "n, id = -id")), "outside brackets");
        failsNamingMigration(() -> define().backfill(b -> b.table("t").set("n", "1").where("true, name = 'x'")),
                "predicate");
        failsNamingMigration(() -> define().expand(x -> x.addColumn("t", "c", "text", c -> c.derivedFrom("a FROM b"))),
                "reserved word FROM");
    }

    @Test
    void generatedColumnsAreForNewTablesOnly() {
        Migration m = define().expand(x -> x.createTable("parcels", t -> t.column("id", "bigint").column("g", "bigint",
                c -> c.generatedAs("id * 2")).primaryKey("id"))).build();
        assertTrue(m.steps(Phase.EXPAND).get(0).description().contains("parcels"));
        failsNamingMigration(() -> define().expand(x -> x.addColumn("t", "g", "bigint", c -> c.generatedAs("id * 2"))),
                "derivedFrom(\"id * 2\")");
    }

    // ---- phases ------------------------------------------------------------------------------

    @Test
    void unknownPhaseListsTheValidOnes() {
        fails(() -> Phase.of("expnad"), "use one of expand, backfill, contract");
    }

    @Test
    void phaseNameIsReadWithoutCaseOrSurroundingSpace() {
        assertEquals(Phase.EXPAND, Phase.of(" Expand "));
        assertEquals(Phase.CONTRACT, Phase.of("CONTRACT"));
        assertEquals("backfill", Phase.BACKFILL.label());
    }

    // ---- implied steps -----------------------------------------------------------------------

    @Test
    void derivedColumnImpliesBackfillAndFinishSync() {
        Migration m = define()
                .expand(e -> e.addColumn("shipments", "dest_city", "text",
                        c -> c.derivedFrom("split_part(destination, ',', 1)")))
                .backfill(b -> b.table("shipments").set("other", "1"))
                .contract(c -> c.dropColumn("shipments", "destination"))
                .build();

        List<Step> backfills = m.steps(Phase.BACKFILL);
        assertEquals(2, backfills.size());
        Backfill implied = assertInstanceOf(Backfill.class, backfills.get(0));
        assertTrue(implied.implied());
        assertEquals("dest_city", implied.assignments().get(0).column().name());
        assertEquals("split_part(destination, ',', 1)", implied.assignments().get(0).expression());
        assertFalse(backfills.get(1).implied(), "the declared backfill comes after the implied one");

        List<Step> contract = m.steps(Phase.CONTRACT);
        assertEquals(2, contract.size());
        assertEquals(StepKind.FINISH_SYNC, contract.get(0).kind());
        assertTrue(contract.get(0).implied());
        assertEquals(SyncKind.DERIVED, ((FinishSync) contract.get(0)).sync());
        assertEquals(StepKind.DROP_COLUMN, contract.get(1).kind());
        assertFalse(contract.get(1).implied());
    }

    @Test
    void renameColumnImpliesBackfillAndFinishSync() {
        Migration m = define()
                .expand(e -> e.renameColumn("shipments", "weight", "weight_kg"))
                .backfill(b -> b.table("shipments").set("other", "1"))
                .build();

        List<Step> backfills = m.steps(Phase.BACKFILL);
        assertEquals(3, backfills.size());
        Backfill implied = assertInstanceOf(Backfill.class, backfills.get(0));
        assertTrue(implied.implied());
        assertEquals("weight_kg", implied.assignments().get(0).column().name());
        assertEquals("weight", implied.assignments().get(0).expression());
        CarryDependents carry = assertInstanceOf(CarryDependents.class, backfills.get(1));
        assertTrue(carry.implied(), "indexes and constraints follow once the new column is filled");
        assertEquals("weight_kg", carry.column().name());
        assertFalse(backfills.get(2).implied());

        List<Step> contract = m.steps(Phase.CONTRACT);
        assertEquals(1, contract.size());
        FinishSync finish = assertInstanceOf(FinishSync.class, contract.get(0));
        assertTrue(finish.implied());
        assertEquals(SyncKind.RENAME, finish.sync());
        assertEquals("weight", finish.source().name());
        assertEquals("weight_kg", finish.column().name());
    }

    @Test
    void changeColumnTypeImpliesBackfillAndFinishSync() {
        Migration m = define()
                .expand(e -> e.changeColumnType("shipments", "weight", "bigint", "round(weight * 1000)::bigint"))
                .contract(c -> c.dropColumn("shipments", "legacy"))
                .build();

        List<Step> backfills = m.steps(Phase.BACKFILL);
        assertEquals(2, backfills.size());
        Backfill implied = assertInstanceOf(Backfill.class, backfills.get(0));
        assertTrue(implied.implied());
        assertEquals("weight_querk_new", implied.assignments().get(0).column().name());
        assertEquals("bigint", assertInstanceOf(CarryDependents.class, backfills.get(1)).newType());
        assertEquals("round(weight * 1000)::bigint", implied.assignments().get(0).expression());

        List<Step> contract = m.steps(Phase.CONTRACT);
        assertEquals(2, contract.size());
        FinishSync finish = assertInstanceOf(FinishSync.class, contract.get(0));
        assertTrue(finish.implied());
        assertEquals(SyncKind.RETYPE, finish.sync());
        assertEquals("bigint", finish.newType());
        assertEquals(StepKind.DROP_COLUMN, contract.get(1).kind());
    }

    @Test
    void volatileDefaultImpliesBackfill() {
        Migration m = define()
                .expand(e -> e.addColumn("shipments", "token", "uuid", c -> c.defaultValue("gen_random_uuid()")))
                .build();

        List<Step> backfills = m.steps(Phase.BACKFILL);
        assertEquals(1, backfills.size());
        Backfill implied = assertInstanceOf(Backfill.class, backfills.get(0));
        assertTrue(implied.implied());
        assertEquals("gen_random_uuid()", implied.assignments().get(0).expression());
        assertEquals("token IS NULL", implied.where());
        assertEquals(List.of(), m.steps(Phase.CONTRACT), "a nullable column needs no contract step");
    }

    @Test
    void volatileNotNullDefaultImpliesSetNotNullInContract() {
        Migration m = define()
                .expand(e -> e.addColumn("shipments", "token", "uuid",
                        c -> c.notNull().defaultValue("gen_random_uuid()")))
                .contract(c -> c.dropColumn("shipments", "legacy"))
                .build();

        assertEquals(1, m.steps(Phase.BACKFILL).size());
        assertTrue(m.steps(Phase.BACKFILL).get(0).implied());
        List<Step> contract = m.steps(Phase.CONTRACT);
        assertEquals(2, contract.size());
        assertEquals(StepKind.SET_NOT_NULL, contract.get(0).kind());
        assertTrue(contract.get(0).implied());
        assertFalse(contract.get(1).implied());
    }

    @Test
    void stableDefaultImpliesNothing() {
        Migration m = define()
                .expand(e -> e.addColumn("shipments", "priority", "int", c -> c.notNull().defaultValue("0")))
                .build();
        assertEquals(List.of(), m.steps(Phase.BACKFILL));
        assertEquals(List.of(), m.steps(Phase.CONTRACT));
    }

    @Test
    void declaredStepsAreNotImplied() {
        Migration m = define()
                .expand(e -> e.createIndex("i", "t", "a"))
                .backfill(b -> b.table("t").set("a", "1"))
                .contract(c -> c.setNotNull("t", "a"))
                .build();
        for (Phase p : Phase.values()) {
            for (Step s : m.steps(p)) {
                assertFalse(s.implied(), s.description());
            }
        }
    }

    @Test
    void stepsListsAreUnmodifiable() {
        Migration m = define()
                .expand(e -> e.addColumn("t", "d", "text", c -> c.derivedFrom("lower(src)")))
                .build();
        for (Phase p : Phase.values()) {
            List<Step> steps = m.steps(p);
            assertThrows(UnsupportedOperationException.class, () -> steps.add(steps.get(0)), p.label());
            assertThrows(UnsupportedOperationException.class, () -> steps.remove(0), p.label());
        }
    }

    @Test
    void builderKeepsDescriptionAndPhaseCallOrder() {
        Migration m = define()
                .description("  split the city  ")
                .expand(e -> e.createIndex("i1", "t", "a"))
                .expand(e -> e.createIndex("i2", "t", "b"))
                .build();
        assertEquals("split the city", m.description());
        assertEquals(ID, m.id());
        assertEquals(List.of("create index i1 on t (a)", "create index i2 on t (b)"),
                m.steps(Phase.EXPAND).stream().map(Step::description).toList());
    }
}
