package io.querk.testkit;

import io.querk.QuerkException;
import io.querk.jdbc.Blocker;
import io.querk.migration.StepRef;
import io.querk.jdbc.event.LockWaiting;
import io.querk.jdbc.event.StepRetrying;
import io.querk.migration.Phase;
import io.querk.migration.StepKind;
import io.querk.plan.LockMode;
import io.querk.testkit.trace.LockInterval;
import io.querk.testkit.traffic.TrafficOp;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.querk.testkit.Fixture.at;
import static io.querk.testkit.Fixture.lock;
import static io.querk.testkit.Fixture.read;
import static io.querk.testkit.Fixture.report;
import static io.querk.testkit.Fixture.run;
import static io.querk.testkit.Fixture.session;
import static io.querk.testkit.Fixture.write;
import static io.querk.testkit.RehearsalAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The assertions' logic and messages, on reports built by hand. */
class RehearsalAssertionsTest {

    private static final StepRef ADD = new StepRef("m1", Phase.EXPAND, 1, 2, StepKind.ADD_COLUMN, "add column t.c int");
    private static final StepRef IDX = new StepRef("m1", Phase.EXPAND, 2, 2, StepKind.RAW_SQL, "sql (unchecked): CREATE INDEX i ON t (c)");
    private static final StepRef FILL = new StepRef("m1", Phase.BACKFILL, 1, 1, StepKind.BACKFILL, "backfill t set c = 1");

    private final StepRun add = run(ADD, 0, 100);
    private final StepRun idx = run(IDX, 100, 2100);
    private final StepRun fill = run(FILL, 2100, 3000);

    private RehearsalReport report3(List<LockInterval> locks, List<TrafficOp> ops, QuerkException error) {
        RehearsalReport r = report(List.of(add, idx, fill), locks, ops, List.of("public.t", "public.u"));
        if (error == null) {
            return r;
        }
        return new RehearsalReport(r.server(), r.start(), r.end(), r.steps(), locks, ops, List.of(), r.tables(), null, error, null);
    }

    @Test
    void blockingLongerThanTheThresholdFailsNamingStepRunLockTableTimesAndTheSqlOnce() {
        RehearsalReport r = report3(List.of(
                lock(add, 100, "public.t", LockMode.ACCESS_EXCLUSIVE, true, 10, 15, "ALTER TABLE t ADD COLUMN c int"),
                lock(idx, 101, "public.t", LockMode.SHARE, true, 120, 2020, "CREATE INDEX i ON t (c)")),
                List.of(read("t", 5, 1), write("t", 130, 1880)), null);

        assertThat(r).noStepBlocksReadsOf("t").longerThan(Duration.ofMillis(100));
        AssertionFailedError e = assertThrows(AssertionFailedError.class,
                () -> assertThat(r).noStepBlocksWritesOf("t").longerThan(Duration.ofMillis(200)));
        assertEquals("Expected no step to block writes to public.t for more than 200 ms, but 1 stretch did. The longest,"
                + " 1900 ms against a threshold of 200 ms:\n"
                + "  Step m1 expand 2/2 [run " + idx.token() + "]\n"
                + "  held SHARE (ShareLock) on public.t for 1900 ms: 1900 ms at a stretch, 1700 ms over the threshold\n"
                + "  the traffic saw up to 1880 ms on writes to public.t meanwhile\n"
                + "  SQL: CREATE INDEX i ON t (c)", e.getMessage());
        // The assertions are kept with the report, for the timeline.
        assertEquals(2, r.checks().size());
        assertTrue(r.checks().get(0).passed());
        assertEquals(List.of(3), r.checks().get(1).failing(), "the add step's two stretches come first");
    }

    @Test
    void aWaitCountsAsBlockingAndIsCalledOne() {
        RehearsalReport r = report3(List.of(lock(add, 100, "public.t", LockMode.ACCESS_EXCLUSIVE, false, 0, 700,
                "ALTER TABLE t ADD COLUMN c int")), List.of(read("t", 1, 690)), null);
        AssertionFailedError e = assertThrows(AssertionFailedError.class,
                () -> assertThat(r).noStepBlocksReadsOf("public.t").longerThan(Duration.ofMillis(100)));
        assertTrue(e.getMessage().contains("waited 700 ms for ACCESS EXCLUSIVE (AccessExclusiveLock) on public.t"),
                e.getMessage());
        assertTrue(e.getMessage().contains("SQL: ALTER TABLE t ADD COLUMN c int"), e.getMessage());
    }

    @Test
    void theMessageNamesTheBlockerAndSaysTheWaitGrewOverRetries() {
        Blocker job = new Blocker(4242, "app", "querk-testkit/report-job", "idle in transaction", Duration.ofMillis(3200),
                "SELECT count(*) FROM t");
        StepRun retried = new StepRun(ADD, add.token(), at(0), at(1500), List.of(new StepRun.StatementRun(
                "ALTER TABLE t ADD COLUMN c int", 100, at(0), at(100), Duration.ofMillis(100), "55P03")), false,
                List.of(new LockWaiting(at(60), ADD, "ALTER TABLE t ADD COLUMN c int", Duration.ofMillis(60), List.of(job))),
                List.of(new StepRetrying(at(100), ADD, 1, "55P03", List.of(job), Duration.ofMillis(50), Duration.ofMillis(200)),
                        new StepRetrying(at(400), ADD, 2, "55P03", List.of(job), Duration.ofMillis(80), Duration.ofMillis(400))));
        RehearsalReport r = report(List.of(retried), List.of(
                new LockInterval(100, 0, session(retried), "public.t", LockMode.ACCESS_EXCLUSIVE, false, at(0), at(100),
                        "ALTER TABLE t ADD COLUMN c int", LockInterval.Source.SAMPLED)), List.of(read("t", 2, 97)));
        AssertionFailedError e = assertThrows(AssertionFailedError.class,
                () -> assertThat(r).noStepBlocksReadsOf("t").longerThan(Duration.ofMillis(50)));
        String m = e.getMessage();
        assertTrue(m.contains("blocked by pid 4242 (user app, application 'querk-testkit/report-job', idle in transaction,"
                + " transaction open 3.2 s): SELECT count(*) FROM t"), m);
        assertTrue(m.contains("the step retried 2 time(s); its lock wait grew over 3 attempts: lock_timeout 100 ms, 200 ms,"
                + " 400 ms"), m);
    }

    @Test
    void weakLocksBlockNeitherReadsNorWrites() {
        RehearsalReport r = report3(List.of(lock(idx, 100, "public.t", LockMode.SHARE_UPDATE_EXCLUSIVE, true, 100, 2000,
                "CREATE INDEX CONCURRENTLY i ON t (c)")), List.of(), null);
        assertThat(r).noStepBlocksReadsOf("t").longerThan(Duration.ofMillis(1))
                .noStepBlocksWritesOf("t").longerThan(Duration.ofMillis(1));
    }

    @Test
    void locksOfHelperSessionsBelongToTheStepRunningThen() {
        RehearsalReport r = report3(List.of(new LockInterval(7, 0, "querk/vacuum", "public.t",
                LockMode.SHARE_UPDATE_EXCLUSIVE, true, at(2200), at(2400), "VACUUM t", LockInterval.Source.SAMPLED)),
                List.of(), null);
        assertEquals(FILL, r.stepOf(r.locks().get(0)).orElseThrow().step());
    }

    @Test
    void aCapturedLockAndTheSampledOnesOfTheSameStatementAreOneStretch() {
        RehearsalReport r = report3(List.of(
                lock(add, 100, "public.t", LockMode.ACCESS_EXCLUSIVE, false, 10, 40, "ALTER TABLE t ADD COLUMN c int"),
                new LockInterval(100, 0, session(add), "public.t", LockMode.ACCESS_EXCLUSIVE, true, at(9), at(47),
                        "ALTER TABLE t ADD COLUMN c int", LockInterval.Source.CAPTURED)), List.of(read("t", 12, 34)), null);
        List<Stretch> s = r.stretches("t", Stretch.Access.READS);
        assertEquals(1, s.size(), s.toString());
        assertEquals(Duration.ofMillis(38), s.get(0).duration());
        assertTrue(s.get(0).captured());
        assertEquals(Duration.ofMillis(34), s.get(0).observed().orElseThrow());
    }

    @Test
    void aTableTheTrafficNeverTouchedIsAnError() {
        RehearsalReport r = report3(List.of(), List.of(read("t", 1, 1)), null);
        io.querk.testkit.TestkitException e = assertThrows(io.querk.testkit.TestkitException.class,
                () -> assertThat(r).noStepBlocksWritesOf("u").longerThan(Duration.ofMillis(100)));
        assertTrue(e.getMessage().contains("never touched public.u (it touched public.t)"), e.getMessage());
    }

    @Test
    void trafficQuantilesPerPhaseAndTheirMessages() {
        List<TrafficOp> ops = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            ops.add(read("t", 2200 + i, i == 99 ? 480 : 3));
        }
        ops.add(read("t", 50, 900));
        RehearsalReport r = report3(List.of(), ops, null);
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
        RehearsalReport r = report3(List.of(), List.of(), new QuerkException("Step m1 failed: boom"));
        AssertionFailedError e = assertThrows(AssertionFailedError.class, () -> assertThat(r).succeeded());
        assertTrue(e.getMessage().contains("boom"));
    }

    @Test
    void trafficErrorsAreReported() {
        RehearsalReport r = report3(List.of(), List.of(new TrafficOp("writes to public.t", "write by key",
                TrafficOp.Kind.WRITE, List.of("public.t"), at(10), at(12), "57014 canceling statement")), null);
        AssertionFailedError e = assertThrows(AssertionFailedError.class, () -> assertThat(r).traffic().hasNoErrors());
        assertTrue(e.getMessage().contains("writes to public.t: 57014"), e.getMessage());
    }

    @Test
    void buildersRefuseIncompleteConfiguration() {
        assertThrows(io.querk.testkit.TestkitException.class, () -> Rehearsal.of(List.of()));
        assertThrows(io.querk.testkit.TestkitException.class, () -> Rehearsal.of(io.querk.migration.Migration.define("x")
                .expand(e -> e.addColumn("t", "c", "int")).build()).run());
    }
}
