package io.querk.benchmarks;

import io.querk.testkit.postgres.PostgresExtension;
import io.querk.testkit.postgres.PostgresServer;
import io.querk.testkit.postgres.TestDatabase;
import io.querk.testkit.random.SeededRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The testkit benchmark end to end at a small size: the migration runs traced and untraced, the
 * tracer sees each known hold exactly once, and the section reports both parts. The accuracy
 * bound itself is the testkit's own test; this one never asserts how fast or how close.
 */
@ExtendWith(PostgresExtension.class)
class TestkitBenchmarkIT {

    @Test
    void theMigrationRunsBothWaysTheHoldsAreSeenAndTheSectionReportsThem(PostgresServer server) throws Exception {
        int rows = 5_000;
        Map<TestkitBenchmark.Mode, List<TestkitBenchmark.Migrated>> overhead = new EnumMap<>(TestkitBenchmark.Mode.class);
        for (TestkitBenchmark.Mode m : TestkitBenchmark.Mode.values()) {
            try (TestDatabase db = server.createDatabase("bench")) {
                BackfillBenchmark.load(db.dataSource(), rows);
                TestkitBenchmark.Migrated run = TestkitBenchmark.migrate(m, db.dataSource());
                assertTrue(run.seconds() > 0, m + ": " + run);
                // At this size a statement may fall between two samples: that the tracer sampled is
                // what can be asserted; seeing the locks is the full-size run's own check.
                assertEquals(m == TestkitBenchmark.Mode.WITH, run.samples() > 0, m + ": " + run);
                overhead.put(m, List.of(run));
            }
        }
        long seed = 20261124L;
        List<TestkitBenchmark.Hold> holds;
        try (TestDatabase db = server.createDatabase("holds")) {
            holds = TestkitBenchmark.holds(db.dataSource(), new SeededRandom(seed), 3);
        }
        assertEquals(3, holds.size());
        for (TestkitBenchmark.Hold h : holds) {
            assertTrue(h.requestedMs() >= TestkitBenchmark.MIN_HOLD_MS && h.requestedMs() <= TestkitBenchmark.MAX_HOLD_MS, h.toString());
            assertTrue(h.trueMs() >= h.requestedMs() && h.measuredMs() > 0, h.toString());
        }
        List<TestkitBenchmark.ShortLock> shorts;
        try (TestDatabase db = server.createDatabase("shorts")) {
            shorts = TestkitBenchmark.shortLocks(db.dataSource(), new SeededRandom(seed), 3);
        }
        assertEquals(3, shorts.size());
        for (TestkitBenchmark.ShortLock s : shorts) {
            // Every short lock is listed (the capture cannot miss it), and no shorter than it was held.
            assertTrue(s.capturedMs() >= s.heldMs(), s.toString());
        }
        String md = TestkitBenchmark.markdown(rows, overhead, seed, 1, holds, shorts);
        for (TestkitBenchmark.Mode m : TestkitBenchmark.Mode.values()) {
            assertTrue(md.contains("| " + m.label + " |"), md);
        }
        assertTrue(md.contains("seed 20261124"), md);
        assertEquals(2, md.lines().filter(l -> l.startsWith("Goal:")).count(), md);
        assertTrue(md.contains("**Short locks.**"), md);
    }
}
