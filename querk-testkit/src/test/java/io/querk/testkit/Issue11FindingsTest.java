package io.querk.testkit;

import io.querk.migration.StepRef;
import io.querk.migration.Phase;
import io.querk.migration.StepKind;
import io.querk.plan.LockMode;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static io.querk.testkit.Fixture.lock;
import static io.querk.testkit.Fixture.read;
import static io.querk.testkit.Fixture.report;
import static io.querk.testkit.Fixture.run;
import static io.querk.testkit.Fixture.write;
import static io.querk.testkit.RehearsalAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The findings of issue 11 that the testkit's logic alone decides, each on a report built the way
 * a rehearsal builds it. Each of these passed (wrongly) or failed (wrongly) before the fix.
 */
class Issue11FindingsTest {

    private static final StepRef REWRITE = new StepRef("m1", Phase.EXPAND, 1, 1, StepKind.RAW_SQL,
            "sql (unchecked): ALTER TABLE shipments ALTER COLUMN weight TYPE bigint");

    /** Finding 1: queued 749 ms for ACCESS EXCLUSIVE, then held it 598 ms: the application waited 1,347 ms. */
    @Test
    void aWaitFollowedByAHoldIsOneStretch() {
        StepRun s = run(REWRITE, 0, 1400);
        RehearsalReport r = report(List.of(s), List.of(
                lock(s, 100, "public.shipments", LockMode.ACCESS_EXCLUSIVE, false, 0, 749, "ALTER TABLE shipments ..."),
                lock(s, 100, "public.shipments", LockMode.ACCESS_EXCLUSIVE, true, 749, 1347, "ALTER TABLE shipments ...")),
                List.of(read("shipments", 5, 1342), write("shipments", 6, 1341)));
        Throwable e = assertThrows(AssertionError.class,
                () -> assertThat(r).noStepBlocksReadsOf("shipments").longerThan(Duration.ofSeconds(1)));
        assertTrue(e.getMessage().contains("1347 ms"), e.getMessage());
    }

    /** Finding 2: a typo in the table's name must not pass silently. */
    @Test
    void aTableThatDoesNotExistIsAnErrorNamingTheKnownTables() {
        StepRun s = run(REWRITE, 0, 1400);
        RehearsalReport r = report(List.of(s), List.of(
                lock(s, 100, "public.shipments", LockMode.SHARE, true, 10, 900, "CREATE INDEX ...")),
                List.of(write("shipments", 5, 880)));
        Throwable e = assertThrows(Throwable.class,
                () -> assertThat(r).noStepBlocksWritesOf("shipment").longerThan(Duration.ofMillis(200)));
        assertTrue(e.getMessage().contains("shipment") && e.getMessage().contains("public.shipments"), e.getMessage());
    }

    /** Finding 3: a parallel index-build worker's lock is the same stall as its leader's. */
    @Test
    void theLocksOfAParallelWorkerAndItsLeaderAreOneStretch() {
        StepRun s = run(new StepRef("m1", Phase.EXPAND, 1, 1, StepKind.RAW_SQL, "sql (unchecked): CREATE INDEX i ON t (c)"),
                0, 1200);
        RehearsalReport r = report(List.of(s), List.of(
                lock(s, 100, "public.t", LockMode.SHARE, true, 100, 1100, "CREATE INDEX i ON t (c)"),
                lock(s, 101, "public.t", LockMode.SHARE, true, 150, 1050, "CREATE INDEX i ON t (c)")),
                List.of(write("t", 120, 975)));
        Throwable e = assertThrows(AssertionError.class,
                () -> assertThat(r).noStepBlocksWritesOf("t").longerThan(Duration.ofMillis(200)));
        assertFalse(e.getMessage().contains("2 stretch"), e.getMessage());
        assertTrue(e.getMessage().contains("1000 ms"), e.getMessage());
    }

    /** Finding 4: migration ids sharing their first 50 characters must not be confused. */
    @Test
    void longMigrationIdsSharingAPrefixAreToldApart() {
        String prefix = "2026-11-24.shipments-" + "x".repeat(40);
        StepRun alpha = run(new StepRef(prefix + "-alpha", Phase.EXPAND, 1, 1, StepKind.CREATE_INDEX,
                "create index i1 on t (a)"), 0, 100);
        StepRun bravo = run(new StepRef(prefix + "-bravo", Phase.EXPAND, 1, 1, StepKind.RAW_SQL,
                "sql (unchecked): CREATE INDEX i2 ON t (b)"), 100, 2000);
        RehearsalReport r = report(List.of(alpha, bravo), List.of(
                lock(bravo, 100, "public.t", LockMode.SHARE, true, 200, 1800, "CREATE INDEX i2 ON t (b)")),
                List.of(write("t", 300, 1400)));
        Throwable e = assertThrows(AssertionError.class,
                () -> assertThat(r).noStepBlocksWritesOf("t").longerThan(Duration.ofMillis(200)));
        assertTrue(e.getMessage().contains(prefix + "-bravo"), e.getMessage());
        assertFalse(e.getMessage().contains(prefix + "-alpha"), e.getMessage());
    }

    /** Finding 5 (in part): the statement is printed once, not in the step's description and again. */
    @Test
    void theFailureMessagePrintsTheSqlOnce() {
        StepRun s = run(new StepRef("m1", Phase.EXPAND, 1, 1, StepKind.RAW_SQL, "sql (unchecked): CREATE INDEX i ON t (c)"),
                0, 1200);
        RehearsalReport r = report(List.of(s), List.of(
                lock(s, 100, "public.t", LockMode.SHARE, true, 100, 1100, "CREATE INDEX i ON t (c)")),
                List.of(write("t", 120, 975)));
        Throwable e = assertThrows(AssertionError.class,
                () -> assertThat(r).noStepBlocksWritesOf("t").longerThan(Duration.ofMillis(200)));
        String m = e.getMessage();
        assertEquals(1, m.split("CREATE INDEX i ON t \\(c\\)", -1).length - 1, m);
        // The lock as PostgreSQL's pg_locks names it, beside its SQL name.
        assertTrue(m.contains("ShareLock"), m);
    }
}
