package io.querk.testkit;

import io.querk.jdbc.BackfillSettings;
import io.querk.jdbc.retry.RetryPolicy;
import io.querk.migration.ExpandSteps;
import io.querk.migration.Migration;
import io.querk.migration.SafetyOverride;
import io.querk.testkit.data.Gen;
import io.querk.testkit.data.TestData;
import io.querk.testkit.postgres.PostgresExtension;
import io.querk.testkit.postgres.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.opentest4j.AssertionFailedError;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.function.Consumer;

import static io.querk.testkit.RehearsalAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The testkit catches what it exists to catch: each classic hazard, run as plain SQL under
 * application traffic on a table big enough to matter, fails the assertion naming the step and
 * the lock; the same change in Querk's safe form passes.
 */
@ExtendWith(PostgresExtension.class)
class HazardDetectionIT {

    private static final int ROWS = 1_000_000;
    // The safe forms take their strong locks for milliseconds (catalog only, lock waits capped at
    // 20 ms), though on a loaded 2-core machine a catalog change and its commit have been seen to
    // keep the application 75 ms; the hazards hold them for a scan of ~250 MB, 300 ms and more
    // even with the table cached, and far longer on production sizes.
    private static final Duration READS = Duration.ofMillis(120);
    private static final Duration WRITES = Duration.ofMillis(150);

    private static void seed(TestDatabase db) throws SQLException {
        TestData.seed(7).table("shipments").rows(ROWS)
                .column("id", "bigint", Gen.serial()).primaryKey("id")
                .column("destination", "text", Gen.text(10, 30))
                .column("weight_kg", "int", Gen.intBetween(1, 20_000))
                .column("note", "text", Gen.text(0, 20))
                .column("pad", "text", Gen.sql("repeat('x', 200)"))
                .create(db.dataSource());
    }

    private static RehearsalReport rehearse(TestDatabase db, String id, Consumer<ExpandSteps> expand) {
        return Rehearsal.of(Migration.define(id).expand(expand).build())
                .on(db.dataSource())
                .traffic(t -> t.reads("shipments").writes("shipments"))
                .tracer(t -> t.interval(Duration.ofMillis(5)))
                // Production-like guard: short lock waits; a generous statement timeout so that the
                // unsafe statements run to the end and show how long they block.
                .engine(e -> e.lockTimeout(Duration.ofMillis(20)).statementTimeout(Duration.ofSeconds(120))
                        .retryPolicy(RetryPolicy.custom().maxAttempts(50).build())
                        // Backfill pace does not change what a step does to table locks; a brisk one keeps the test short.
                        .backfill(BackfillSettings.custom().batchSize(5_000).pause(Duration.ZERO).build()))
                .run();
    }

    private static void exec(TestDatabase db, String sql) throws SQLException {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static AssertionFailedError blocked(RehearsalReport r, boolean writes) {
        return assertThrows(AssertionFailedError.class, () -> {
            RehearsalAssertions.ReportAssert a = assertThat(r).succeeded();
            if (writes) {
                a.noStepBlocksWritesOf("shipments").longerThan(WRITES);
            } else {
                a.noStepBlocksReadsOf("shipments").longerThan(READS);
            }
        });
    }

    /** The planner refuses these statements; the override lets them run so the tracer can be shown to catch them. */
    private static void unsafe(ExpandSteps x, String sql) {
        x.sql(sql, SafetyOverride.because("rehearsing the hazard the lock tracer must catch"));
    }

    private static void safe(RehearsalReport r) {
        assertThat(r).succeeded()
                .noStepBlocksReadsOf("shipments").longerThan(READS)
                .noStepBlocksWritesOf("shipments").longerThan(WRITES)
                .traffic().hasNoErrors();
    }

    @Test
    void aPlainCreateIndexBlocksWritesAndTheConcurrentOneDoesNot(TestDatabase db) throws Exception {
        seed(db);
        AssertionFailedError e = blocked(rehearse(db, "1-unsafe",
                x -> unsafe(x, "CREATE INDEX shipments_weight_idx ON shipments (weight_kg)")), true);
        assertTrue(e.getMessage().contains("Step 1-unsafe expand 1/1") && e.getMessage().contains("SHARE (ShareLock) on public.shipments")
                && e.getMessage().contains("CREATE INDEX shipments_weight_idx"), e.getMessage());
        exec(db, "DROP INDEX shipments_weight_idx");

        safe(rehearse(db, "2-safe", x -> x.createIndex("shipments_weight_idx", "shipments", "weight_kg")));
    }

    @Test
    void setNotNullScansUnderAnExclusiveLockAndTheValidatedCheckFormDoesNot(TestDatabase db) throws Exception {
        seed(db);
        AssertionFailedError e = blocked(rehearse(db, "1-unsafe",
                x -> unsafe(x, "ALTER TABLE shipments ALTER COLUMN weight_kg SET NOT NULL")), false);
        assertTrue(e.getMessage().contains("Step 1-unsafe expand 1/1")
                && e.getMessage().contains("ACCESS EXCLUSIVE (AccessExclusiveLock) on public.shipments"), e.getMessage());
        exec(db, "ALTER TABLE shipments ALTER COLUMN weight_kg DROP NOT NULL");

        safe(rehearse(db, "2-safe", x -> x.setNotNull("shipments", "weight_kg")));
    }

    @Test
    void aTypeChangeRewritesUnderAnExclusiveLockAndTheShadowColumnFormDoesNot(TestDatabase db) throws Exception {
        seed(db);
        AssertionFailedError e = blocked(rehearse(db, "1-unsafe",
                x -> unsafe(x, "ALTER TABLE shipments ALTER COLUMN weight_kg TYPE bigint")), false);
        assertTrue(e.getMessage().contains("Step 1-unsafe expand 1/1")
                && e.getMessage().contains("ACCESS EXCLUSIVE (AccessExclusiveLock) on public.shipments")
                && e.getMessage().contains("TYPE bigint"), e.getMessage());

        // Safe: shadow column, sync trigger, batched backfill, and the swap at contract.
        safe(rehearse(db, "2-safe", x -> x.changeColumnType("shipments", "weight_kg", "numeric(12,3)")));
    }

    @Test
    void aCheckAddedWithoutNotValidScansUnderLockAndTheTwoStepFormDoesNot(TestDatabase db) throws Exception {
        seed(db);
        AssertionFailedError e = blocked(rehearse(db, "1-unsafe",
                x -> unsafe(x, "ALTER TABLE shipments ADD CONSTRAINT shipments_weight_check CHECK (weight_kg > 0)")), false);
        assertTrue(e.getMessage().contains("Step 1-unsafe expand 1/1")
                && e.getMessage().contains("ACCESS EXCLUSIVE (AccessExclusiveLock) on public.shipments"), e.getMessage());
        exec(db, "ALTER TABLE shipments DROP CONSTRAINT shipments_weight_check");

        safe(rehearse(db, "2-safe", x -> x.addCheck("shipments", "shipments_weight_check", "weight_kg > 0")));
    }
}
