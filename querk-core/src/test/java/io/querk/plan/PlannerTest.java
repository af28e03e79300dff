package io.querk.plan;

import io.querk.UnsupportedServerException;
import io.querk.migration.Migration;
import io.querk.migration.MigrationDefinitionException;
import io.querk.migration.Phase;
import io.querk.migration.SafetyOverride;
import io.querk.migration.StepKind;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PlannerTest {

    private static final TableFacts SHIPMENTS = new TableFacts("shipments", 52_000_000L, 6_500_000_000L, 3, 0,
            Map.of("id", "bigint", "status", "text", "dest", "character varying(40)", "weight", "integer"),
            Set.of("status"));

    private static Migration typed() {
        return Migration.define("2026-11-23.typed")
                .expand(e -> e.addColumn("shipments", "dest_city", "text")
                        .createIndex("shipments_status_idx", "shipments", "status")
                        .addCheck("shipments", "shipments_weight_check", "weight > 0")
                        .addForeignKey("shipments", "shipments_depot_fk", "depot_id", "depots", "id"))
                .backfill(b -> b.table("shipments").set("dest_city", "lower(dest)").batchSize(3000))
                .contract(c -> c.setNotNull("shipments", "dest_city").dropColumn("shipments", "legacy"))
                .build();
    }

    private static PlannedStep step(MigrationPlan plan, Phase phase, int number) {
        return plan.phases().stream().filter(p -> p.phase() == phase).findFirst().orElseThrow().steps().get(number - 1);
    }

    @Test
    void typedStepsReportTheirLocksEffectsAndTransactions() {
        MigrationPlan plan = Planner.forServer(16).plan(typed());
        PlannedStep addColumn = step(plan, Phase.EXPAND, 1);
        assertEquals(LockMode.ACCESS_EXCLUSIVE, addColumn.strongestLock().orElseThrow().mode());
        assertEquals(TableEffect.NONE, addColumn.effect());
        assertTrue(addColumn.actions().get(0).inTransaction());

        PlannedStep index = step(plan, Phase.EXPAND, 2);
        assertEquals(LockMode.SHARE_UPDATE_EXCLUSIVE, index.strongestLock().orElseThrow().mode());
        assertEquals(TableEffect.SCAN, index.effect());
        assertFalse(index.actions().get(1).inTransaction(), "CREATE INDEX CONCURRENTLY runs alone");
        assertTrue(index.actions().get(1).statements().get(0).startsWith("CREATE INDEX CONCURRENTLY"));
        assertTrue(index.writePathImpact().get(0).contains("also writes index shipments_status_idx"));
        assertTrue(index.verificationQuery().orElseThrow().contains("indisvalid"));
        assertTrue(index.verificationQuery().orElseThrow().contains("'shipments_status_idx'"),
                "parameters are written in as literals: " + index.verificationQuery());

        PlannedStep check = step(plan, Phase.EXPAND, 3);
        assertEquals(List.of(TableEffect.NONE, TableEffect.SCAN), check.actions().stream().map(PlannedAction::effect).toList());
        assertTrue(check.actions().get(0).statements().get(0).endsWith("NOT VALID"));
        assertTrue(check.verificationQuery().orElseThrow().contains("convalidated"));

        PlannedStep fk = step(plan, Phase.EXPAND, 4);
        assertTrue(fk.actions().get(1).locks().contains(new PlannedLock("depots", LockMode.ROW_SHARE)),
                "VALIDATE of a foreign key also locks the referenced table: " + fk.actions().get(1).locks());
        assertEquals(2, fk.writePathImpact().size());

        PlannedStep backfill = step(plan, Phase.BACKFILL, 1);
        assertEquals(LockMode.ROW_EXCLUSIVE, backfill.strongestLock().orElseThrow().mode());
        assertTrue(backfill.actions().get(0).purpose().contains("3,000"), backfill.actions().get(0).purpose());
        assertEquals("SELECT NOT EXISTS (SELECT 1 FROM shipments WHERE (dest_city IS DISTINCT FROM (lower(dest))))",
                backfill.verificationQuery().orElseThrow());

        PlannedStep notNull = step(plan, Phase.CONTRACT, 1);
        assertEquals(LockMode.ACCESS_EXCLUSIVE, notNull.strongestLock().orElseThrow().mode());
        assertEquals(TableEffect.NONE, notNull.actions().get(2).effect(), "SET NOT NULL over a validated check scans nothing");
        assertTrue(notNull.verificationQuery().orElseThrow().contains("attnotnull"));

        PlannedStep drop = step(plan, Phase.CONTRACT, 2);
        assertEquals("irreversible", drop.hazards().get(0).code());
        assertFalse(plan.refused());
    }

    @Test
    void aVolatileBackfillHasNoVerificationQuery() {
        Migration m = Migration.define("v").backfill(b -> b.table("t").set("token", "gen_random_uuid()")).build();
        assertTrue(Planner.forServer(17).plan(m).steps().get(0).verificationQuery().isEmpty());
    }

    @Test
    void statisticsGiveScansTheirSize() {
        MigrationPlan plan = Planner.forServer(16).withStatistics(TableStatistics.of(List.of(SHIPMENTS))).plan(typed());
        PlannedAction build = step(plan, Phase.EXPAND, 2).actions().get(1);
        assertEquals("about 52.0 M rows (6.1 GB)", build.scale().orElseThrow().describe());
        assertTrue(plan.toText().contains("reads every row, about 52.0 M rows (6.1 GB)"), plan.toText());
        assertTrue(Planner.forServer(16).plan(typed()).steps().stream()
                .allMatch(s -> s.actions().stream().allMatch(a -> a.scale().isEmpty())));
    }

    @Test
    void aRawHazardThatHoldsEverywhereIsRefusedAtBuild() {
        UnsafeMigrationException e = assertThrows(UnsafeMigrationException.class, () -> Migration.define("m1")
                .expand(x -> x.sql("CREATE INDEX shipments_status_idx ON shipments (status)")).build());
        assertEquals(1, e.refusals().size());
        assertEquals("index-not-concurrent", e.refusals().get(0).hazard().code());
        assertTrue(e.getMessage().contains("Migration 'm1', expand step 1 (sql: CREATE INDEX"), e.getMessage());
        assertTrue(e.getMessage().contains("Instead: createIndex("), e.getMessage());
        assertTrue(e.getMessage().contains("SafetyOverride.because"), e.getMessage());
    }

    @Test
    void anIndexOnATableCreatedEarlierInTheMigrationIsNotAHazard() {
        Migration m = Migration.define("m2")
                .expand(x -> x.createTable("depots", t -> t.column("id", "bigint").column("city", "text").primaryKey("id"))
                        .sql("CREATE INDEX depots_city_idx ON depots (city)"))
                .build();
        PlannedStep raw = step(Planner.forServer(15).plan(m), Phase.EXPAND, 2);
        assertFalse(raw.hazards().stream().anyMatch(h -> h.code().equals("index-not-concurrent")), raw.hazards().toString());
    }

    @Test
    void anOverrideAcceptsTheHazardsItNamesAndNoOthers() {
        Migration accepted = Migration.define("m3").contract(c -> c.sql("VACUUM FULL audit_log",
                SafetyOverride.because("audit_log holds 2,000 rows; takes milliseconds").onlyFor("vacuum-full"))).build();
        PlannedStep s = Planner.forServer(18).plan(accepted).steps().get(0);
        assertFalse(s.refused());
        assertEquals(List.of("vacuum-full"), s.accepted().stream().map(Hazard::code).toList());
        assertTrue(Planner.forServer(18).plan(accepted).toText().contains("Accepted because: audit_log holds 2,000 rows"));

        UnsafeMigrationException e = assertThrows(UnsafeMigrationException.class, () -> Migration.define("m4")
                .contract(c -> c.sql("VACUUM FULL audit_log; LOCK TABLE orders IN ACCESS EXCLUSIVE MODE",
                        SafetyOverride.because("audit_log is tiny and unused at night").onlyFor("vacuum-full")))
                .build());
        assertEquals(List.of("lock-table"), e.refusals().stream().map(r -> r.hazard().code()).toList());
        assertTrue(e.getMessage().contains("Statement 2 of 2"), e.getMessage());
    }

    @Test
    void hazardsThatDependOnTheTableWaitForThePlanAndUseItsFacts() {
        Migration m = Migration.define("m5")
                .contract(c -> c.sql("ALTER TABLE shipments ALTER COLUMN status SET NOT NULL")).build();
        MigrationPlan offline = Planner.forServer(16).plan(m);
        assertFalse(offline.refused(), "offline Querk cannot know, and says so");
        assertEquals("may-scan", offline.steps().get(0).hazards().get(0).code());

        TableFacts unproven = new TableFacts("shipments", 10, 8192, 1, 0, Map.of("status", "text"), Set.of());
        MigrationPlan scanning = Planner.forServer(16).withStatistics(TableStatistics.of(List.of(unproven))).plan(m);
        UnsafeMigrationException e = assertThrows(UnsafeMigrationException.class, scanning::requireAccepted);
        assertEquals("set-not-null-scan", e.refusals().get(0).hazard().code());
        assertTrue(e.getMessage().contains("Migration 'm5', contract step 1"), e.getMessage());

        MigrationPlan live = Planner.forServer(16).withStatistics(TableStatistics.of(List.of(SHIPMENTS))).plan(m);
        assertFalse(live.refused(), live.toText());
        assertEquals(TableEffect.NONE, live.steps().get(0).effect());
    }

    @Test
    void binaryCoercibleTypeChangesNeedNoRewrite() {
        Migration widen = Migration.define("m6")
                .contract(c -> c.sql("ALTER TABLE shipments ALTER COLUMN dest TYPE varchar(80)")).build();
        PlannedStep offline = Planner.forServer(16).plan(widen).steps().get(0);
        assertTrue(offline.hazards().stream().anyMatch(h -> h.code().equals("may-rewrite")), offline.hazards().toString());
        PlannedStep live = Planner.forServer(16).withStatistics(TableStatistics.of(List.of(SHIPMENTS))).plan(widen)
                .steps().get(0);
        assertEquals(TableEffect.NONE, live.effect());
        assertTrue(live.hazards().stream().noneMatch(h -> h.severity() != Severity.INFO), live.hazards().toString());

        Migration retype = Migration.define("m7")
                .contract(c -> c.sql("ALTER TABLE shipments ALTER COLUMN weight TYPE bigint")).build();
        PlannedStep rewrite = Planner.forServer(16).withStatistics(TableStatistics.of(List.of(SHIPMENTS))).plan(retype)
                .steps().get(0);
        assertEquals(TableEffect.REWRITE, rewrite.effect());
        assertTrue(rewrite.refused());
    }

    @Test
    void versionDependentSyntaxIsRefusedOnlyWhereTheServerLacksIt() {
        Migration m = Migration.define("m8").contract(c -> c.sql(
                "MERGE INTO shipments USING staging s ON s.id = shipments.id WHEN MATCHED THEN UPDATE SET status = s.status"))
                .build();
        assertTrue(Planner.forServer(14).plan(m).refused());
        assertEquals("unsupported-on-version", Planner.forServer(14).plan(m).refusals().get(0).hazard().code());
        assertFalse(Planner.forServer(15).plan(m).refused());
    }

    @Test
    void serverVersionsOutsideWhatQuerkKnows() {
        // Inside the QuerkException hierarchy, like every error Querk raises (it was an IllegalArgumentException).
        UnsupportedServerException e = assertThrows(UnsupportedServerException.class, () -> Planner.forServer(13));
        assertTrue(e.getMessage().contains("Querk supports 14 and later"), e.getMessage());
        assertEquals(13, e.serverMajor());
        Migration m = Migration.define("m9").contract(c -> c.sql("ANALYZE shipments")).build();
        PlannedStep s = Planner.forServer(19).plan(m).steps().get(0);
        assertTrue(s.hazards().stream().anyMatch(h -> h.code().equals("newer-server")), s.hazards().toString());
    }

    @Test
    void rawStatementsGroupAsTheEngineRunsThem() {
        Migration m = Migration.define("m10").expand(x -> x.sql(
                "CREATE TABLE audit (id int); INSERT INTO audit VALUES (1);"
                        + " CREATE INDEX CONCURRENTLY IF NOT EXISTS shipments_status_idx ON shipments (status)")).build();
        PlannedStep s = Planner.forServer(17).plan(m).steps().get(0);
        assertEquals(2, s.actions().size());
        assertTrue(s.actions().get(0).inTransaction());
        assertEquals(2, s.actions().get(0).statements().size());
        assertFalse(s.actions().get(1).inTransaction());
        assertEquals(new PlannedLock("shipments", LockMode.SHARE_UPDATE_EXCLUSIVE), s.actions().get(1).locks().get(0));
        assertEquals(TableEffect.SCAN, s.actions().get(1).effect());
        assertEquals(StepKind.RAW_SQL, s.step().kind());
    }

    @Test
    void textPutsRefusedHazardsFirst() {
        Migration m = Migration.define("m11")
                .expand(x -> x.addColumn("shipments", "note", "text"))
                .contract(c -> c.sql("UPDATE shipments SET note = 'x'").sql("ALTER TABLE shipments ALTER COLUMN weight TYPE bigint"))
                .build();
        String text = Planner.forServer(16).withStatistics(TableStatistics.of(List.of(SHIPMENTS))).plan(m).toText();
        int refused = text.indexOf("REFUSED  m11 contract #2");
        int warning = text.indexOf("WARNING  m11 contract #1");
        int steps = text.indexOf("m11 \u00b7 expand");
        assertTrue(refused > 0 && warning > refused && steps > warning, text);
        assertTrue(text.contains("1 REFUSED"), text);
        assertTrue(text.contains("ACCESS EXCLUSIVE shipments  reads and writes"), text);
    }

    @Test
    void overridesNeedAReasonAndKnownCodes() {
        assertThrows(MigrationDefinitionException.class, () -> SafetyOverride.because(null));
        MigrationDefinitionException blank = assertThrows(MigrationDefinitionException.class,
                () -> SafetyOverride.because("   "));
        assertTrue(blank.getMessage().contains("needs a reason"), blank.getMessage());
        MigrationDefinitionException shortReason = assertThrows(MigrationDefinitionException.class,
                () -> SafetyOverride.because("ok"));
        assertTrue(shortReason.getMessage().contains("too short"), shortReason.getMessage());
        MigrationDefinitionException unknown = assertThrows(MigrationDefinitionException.class,
                () -> SafetyOverride.because("the table holds ten rows").onlyFor("vacum-full"));
        assertTrue(unknown.getMessage().contains("Unknown hazard code 'vacum-full'")
                && unknown.getMessage().contains("vacuum-full"), unknown.getMessage());
        assertThrows(MigrationDefinitionException.class, () -> SafetyOverride.because("the table holds ten rows").onlyFor());
        assertThrows(MigrationDefinitionException.class,
                () -> Migration.define("m").contract(c -> c.sql("ANALYZE t", (SafetyOverride) null)));
    }

    @Test
    void unreadableSqlNamesTheStatementAndPosition() {
        MigrationDefinitionException word = assertThrows(MigrationDefinitionException.class, () -> Migration.define("m")
                .contract(c -> c.sql("ANALYZE t;\nALTR TABLE t ADD COLUMN c int")));
        assertTrue(word.getMessage().contains("statement 2, at line 2, column 1"), word.getMessage());
        assertTrue(word.getMessage().contains("'ALTR' does not begin an SQL command"), word.getMessage());

        MigrationDefinitionException bracket = assertThrows(MigrationDefinitionException.class, () -> Migration
                .define("m").contract(c -> c.sql("ALTER TABLE t ADD CONSTRAINT k CHECK ((a > 0)")));
        assertTrue(bracket.getMessage().contains("statement 1, at line 1, column 38"), bracket.getMessage());
        assertTrue(bracket.getMessage().contains("is never closed"), bracket.getMessage());

        MigrationDefinitionException quote = assertThrows(MigrationDefinitionException.class, () -> Migration
                .define("m").contract(c -> c.sql("ANALYZE t; ANALYZE u;\nUPDATE t SET a = 'open")));
        assertTrue(quote.getMessage().contains("statement 3, at line 2, column 18"), quote.getMessage());
    }
}
