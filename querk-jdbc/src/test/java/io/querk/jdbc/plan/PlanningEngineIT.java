package io.querk.jdbc.plan;

import io.querk.jdbc.Querk;
import io.querk.jdbc.QuerkConfig;
import io.querk.jdbc.support.Held;
import io.querk.migration.Migration;
import io.querk.migration.SafetyOverride;
import io.querk.plan.MigrationPlan;
import io.querk.plan.PlannedAction;
import io.querk.plan.UnsafeMigrationException;
import io.querk.testkit.postgres.PostgresExtension;
import io.querk.testkit.postgres.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;

import static io.querk.jdbc.support.Db.bool;
import static io.querk.jdbc.support.Db.exec;
import static io.querk.jdbc.support.Db.one;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The engine's use of the planner: the plan-only call, refusal before anything runs, overrides in the history. */
@ExtendWith(PostgresExtension.class)
class PlanningEngineIT {

    private static void seed(TestDatabase db) {
        exec(db, "CREATE TABLE parcels (id bigint PRIMARY KEY, status text, weight int)",
                "INSERT INTO parcels SELECT g, 'new', g % 50 FROM generate_series(1, 20000) g",
                "ANALYZE parcels");
    }

    /** An engine whose contract phases are released: the refusals under test are in contract. */
    private static Querk querk(TestDatabase db, Migration m) {
        return Querk.create(QuerkConfig.custom().dataSource(db.dataSource()).migrations(m).contractReleasedThrough(m.id()).build());
    }

    /**
     * The deploy that brings a contract-only migration: its run records it and runs nothing (a
     * contract never runs in the run that first sees its migration); the next run may contract.
     */
    private static void deployed(TestDatabase db, Migration m) {
        Querk.create(QuerkConfig.custom().dataSource(db.dataSource()).migrations(m).build()).migrate();
    }

    @Test
    void planOnlyRunsNothingAndUsesLiveStatistics(TestDatabase db) {
        seed(db);
        Migration m = Migration.define("2026-11-23.parcels-status-idx")
                .expand(e -> e.createIndex("parcels_status_idx", "parcels", "status")).build();
        MigrationPlan plan = querk(db, m).plan();

        assertTrue(plan.withStatistics());
        assertEquals(Integer.parseInt(one(db, "SHOW server_version_num")) / 10000, plan.serverMajor());
        PlannedAction build = plan.steps().get(0).actions().get(1);
        assertEquals(20000, build.scale().orElseThrow().estimatedRows());
        assertTrue(plan.toText().contains("reads every row, about 20.0 k rows"), plan.toText());
        assertFalse(bool(db, "SELECT to_regclass('querk_history') IS NOT NULL"), "plan() creates nothing");
        assertFalse(bool(db, "SELECT to_regclass('parcels_status_idx') IS NOT NULL"));
        assertTrue(bool(db, "SELECT count(*) = 0 FROM pg_locks WHERE locktype = 'advisory'"), "and takes no lock");

        querk(db, m).migrate();
        assertTrue(querk(db, m).plan().isEmpty(), "nothing pending, nothing planned");
    }

    @Test
    void aStepRefusedOnTheLiveTableStopsTheRunBeforeAnythingRuns(TestDatabase db) {
        seed(db);
        Migration m = Migration.define("2026-11-23.parcels-weight")
                .contract(c -> c.createIndex("parcels_weight_idx", "parcels", "weight")
                        .sql("ALTER TABLE parcels ALTER COLUMN weight SET NOT NULL"))
                .build();
        deployed(db, m);
        Querk querk = querk(db, m);
        assertTrue(querk.plan().refused());

        UnsafeMigrationException e = assertThrows(UnsafeMigrationException.class, querk::migrate);
        assertEquals("set-not-null-scan", e.refusals().get(0).hazard().code());
        assertTrue(e.getMessage().contains("Migration '2026-11-23.parcels-weight', contract step 2"), e.getMessage());
        assertTrue(e.getMessage().contains("setNotNull(\"parcels\", \"weight\")"), e.getMessage());
        // Refused as a whole: not even the harmless first step ran.
        assertFalse(bool(db, "SELECT to_regclass('parcels_weight_idx') IS NOT NULL"));
        assertEquals("pending", one(db, "SELECT status FROM querk_history WHERE phase = 'contract'"));
    }

    @Test
    void aValidatedCheckOnTheLiveTableLetsRawSetNotNullThrough(TestDatabase db) {
        seed(db);
        exec(db, "ALTER TABLE parcels ADD CONSTRAINT parcels_weight_nn CHECK (weight IS NOT NULL)");
        Migration m = Migration.define("2026-11-23.parcels-weight")
                .contract(c -> c.sql("ALTER TABLE parcels ALTER COLUMN weight SET NOT NULL")).build();
        deployed(db, m);
        assertFalse(querk(db, m).plan().refused(), querk(db, m).plan().toText());
        querk(db, m).migrate();
        assertTrue(bool(db, "SELECT attnotnull FROM pg_attribute WHERE attrelid = 'parcels'::regclass"
                + " AND attname = 'weight'"));
    }

    @Test
    void theOverrideReasonIsRecordedWithTheStep(TestDatabase db) {
        seed(db);
        Migration m = Migration.define("2026-11-23.parcels-vacuum")
                .contract(c -> c.sql("VACUUM FULL parcels",
                        SafetyOverride.because("parcels is 1 MB here; the rewrite takes milliseconds").onlyFor("vacuum-full")))
                .build();
        deployed(db, m);
        querk(db, m).migrate();
        assertEquals("parcels is 1 MB here; the rewrite takes milliseconds [accepts: vacuum-full]",
                one(db, "SELECT override_reason FROM querk_history_step WHERE migration_id = '2026-11-23.parcels-vacuum'"));
    }

    @Test
    void theRefusalComesBeforeTheRunnerLockIsEvenAskedFor(TestDatabase db) throws Exception {
        seed(db);
        Migration m = Migration.define("2026-11-23.parcels-retype")
                .contract(c -> c.sql("ALTER TABLE parcels ALTER COLUMN weight TYPE bigint")).build();
        deployed(db, m);
        // Another session holds ACCESS EXCLUSIVE on the table: had planning locked it (reading its
        // size with pg_total_relation_size would), the run would wait here instead of refusing.
        try (Held held = Held.transaction(db, "LOCK TABLE parcels IN ACCESS EXCLUSIVE MODE")) {
            UnsafeMigrationException e = assertThrows(UnsafeMigrationException.class, querk(db, m)::migrate);
            assertEquals(List.of("type-change-rewrite"), e.refusals().stream().map(r -> r.hazard().code()).toList());
        }
    }
}
