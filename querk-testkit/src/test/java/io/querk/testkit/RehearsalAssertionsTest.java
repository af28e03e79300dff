package io.querk.testkit;

import io.querk.QuerkException;
import io.querk.migration.StepRef;
import io.querk.migration.Phase;
import io.querk.migration.StepKind;
import io.querk.plan.LockMode;
import io.querk.testkit.trace.LockInterval;
import io.querk.testkit.traffic.TrafficOp;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static io.querk.testkit.RehearsalAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The assertions' logic and messages, on a report built by hand. */
class RehearsalAssertionsTest {

    private static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");

    private static final StepRef ADD = new StepRef("m1", Phase.EXPAND, 1, 2, StepKind.ADD_COLUMN, "add column t.c int");
    private static final StepRef IDX = new StepRef("m1", Phase.EXPAND, 2, 2, StepKind.RAW_SQL, "sql (unchecked): CREATE INDEX i ON t (c)");
    private static final StepRef FILL = new StepRef("m1", Phase.BACKFILL, 1, 1, StepKind.BACKFILL, "backfill t set c = 1");

    private static Instant at(long ms) {
        return T0.plusMillis(ms);
    }

    private static LockInterval lock(String app, LockMode mode, boolean granted, long from, long to, String sql) {
        return new LockInterval(100, app, "public.t", mode, granted, at(from), at(to), sql);
    }

    private static TrafficOp op(long at, long latency) {
        return new TrafficOp("reads of t", TrafficOp.Kind.READ, at(at), Duration.ofMillis(latency), null);
    }

    private static RehearsalReport report(List<LockInterval> locks, List<TrafficOp> ops, QuerkException error) {
        List<StepRun> steps = List.of(
                new StepRun(ADD, at(0), at(100), List.of(), false),
                new StepRun(IDX, at(100), at(2100), List.of(), false),
                new StepRun(FILL, at(2100), at(3000), List.of(), false));
        return new RehearsalReport("PostgreSQL 18.6", T0, at(3000), steps, locks, ops, null, error);
    }

    @Test
    void blockingLongerThanTheThresholdFailsNamingStepStatementLockRelationAndTimes() {
        RehearsalReport r = report(List.of(
                lock("querk/expand#1/m1", LockMode.ACCESS_EXCLUSIVE, true, 10, 15, "ALTER TABLE t ADD COLUMN c int"),
                lock("querk/expand#2/m1", LockMode.SHARE, true, 120, 2020, "CREATE INDEX i ON t (c)")), List.of(), null);

        assertThat(r).noStepBlocksReadsOf("t").longerThan(Duration.ofMillis(100));
        AssertionFailedError e = assertThrows(AssertionFailedError.class,
                () -> assertThat(r).noStepBlocksWritesOf("t").longerThan(Duration.ofMillis(200)));
        assertEquals("Expected no step to block writes to t for more than 200 ms, but 1 stretch(es) did. Longest: Step m1"
                + " expand 2/2 (sql (unchecked): CREATE INDEX i ON t (c)) held SHARE on public.t for 1900 ms, while running:"
                + " CREATE INDEX i ON t (c) — 1900 ms against a threshold of 200 ms.", e.getMessage());
    }

    @Test
    void aWaitCountsAsBlockingAndIsCalledOne() {
        RehearsalReport r = report(List.of(lock("querk/expand#1/m1", LockMode.ACCESS_EXCLUSIVE, false, 0, 700,
                "ALTER TABLE t ADD COLUMN c int")), List.of(), null);
        AssertionFailedError e = assertThrows(AssertionFailedError.class,
                () -> assertThat(r).noStepBlocksReadsOf("public.t").longerThan(Duration.ofMillis(100)));
        assertTrue(e.getMessage().contains("waited for ACCESS EXCLUSIVE on public.t for 700 ms"), e.getMessage());
        // Another schema's t is another table.
        assertThat(r).noStepBlocksReadsOf("other.t").longerThan(Duration.ofMillis(100));
    }

    @Test
    void weakLocksBlockNeitherReadsNorWrites() {
        RehearsalReport r = report(List.of(lock("querk/expand#2/m1", LockMode.SHARE_UPDATE_EXCLUSIVE, true, 100, 2000,
                "CREATE INDEX CONCURRENTLY i ON t (c)")), List.of(), null);
        assertThat(r).noStepBlocksReadsOf("t").longerThan(Duration.ofMillis(1))
                .noStepBlocksWritesOf("t").longerThan(Duration.ofMillis(1));
    }

    @Test
    void locksOfHelperSessionsBelongToTheStepRunningThen() {
        RehearsalReport r = report(List.of(lock("querk/vacuum", LockMode.SHARE_UPDATE_EXCLUSIVE, true, 2200, 2400, "VACUUM t")),
                List.of(), null);
        assertEquals(FILL, r.stepOf(r.locks().get(0)).orElseThrow().step());
    }

    @Test
    void trafficQuantilesPerPhaseAndTheirMessages() {
        List<TrafficOp> ops = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            ops.add(op(2200 + i, i == 99 ? 480 : 3));
        }
        ops.add(op(50, 900));
        RehearsalReport r = report(List.of(), ops, null);
        assertThat(r).traffic().during(Phase.BACKFILL).p99IsBelow(Duration.ofMillis(10));
        AssertionFailedError e = assertThrows(AssertionFailedError.class,
                () -> assertThat(r).traffic().during(Phase.BACKFILL).maxIsBelow(Duration.ofMillis(100)));
        assertTrue(e.getMessage().contains("max latency during the backfill phase to stay below 100 ms, but it was 480 ms"),
                e.getMessage());
        assertThrows(AssertionFailedError.class, () -> assertThat(r).traffic().maxIsBelow(Duration.ofMillis(500)));
        assertThrows(AssertionFailedError.class, () -> assertThat(r).traffic().during(Phase.CONTRACT).p99IsBelow(Duration.ofMillis(1)),
                "no operations during a phase prove nothing");
    }

    @Test
    void succeededFailsWithTheMigrationsError() {
        RehearsalReport r = report(List.of(), List.of(), new QuerkException("Step m1 failed: boom"));
        AssertionFailedError e = assertThrows(AssertionFailedError.class, () -> assertThat(r).succeeded());
        assertTrue(e.getMessage().contains("boom"));
    }

    @Test
    void trafficErrorsAreReported() {
        RehearsalReport r = report(List.of(), List.of(new TrafficOp("writes to t", TrafficOp.Kind.WRITE, at(10),
                Duration.ofMillis(2), "57014 canceling statement")), null);
        AssertionFailedError e = assertThrows(AssertionFailedError.class, () -> assertThat(r).traffic().hasNoErrors());
        assertTrue(e.getMessage().contains("writes to t: 57014"), e.getMessage());
    }

    @Test
    void buildersRefuseIncompleteConfiguration() {
        assertThrows(IllegalArgumentException.class, () -> Rehearsal.of(List.of()));
        assertThrows(IllegalStateException.class, () -> Rehearsal.of(io.querk.migration.Migration.define("x")
                .expand(e -> e.addColumn("t", "c", "int")).build()).run());
    }
}
