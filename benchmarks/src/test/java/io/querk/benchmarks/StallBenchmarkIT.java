package io.querk.benchmarks;

import io.querk.testkit.postgres.PostgresExtension;
import io.querk.testkit.postgres.PostgresServer;
import io.querk.testkit.postgres.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The stall benchmark end to end on a small table with a one-second blocker, so that it cannot
 * rot between the runs that produce the report. It asserts what every run must show (the plain
 * ALTER waits out the blocker, Querk retries past it, the application sees no errors), never how
 * fast.
 */
@ExtendWith(PostgresExtension.class)
class StallBenchmarkIT {

    @Test
    void plainSqlWaitsOutTheBlockerQuerkRetriesAndTheSectionReportsBoth(PostgresServer server) throws Exception {
        int rows = 5_000;
        Duration hold = Duration.ofSeconds(1);
        Map<StallBenchmark.Approach, List<StallBenchmark.Run>> results = new EnumMap<>(StallBenchmark.Approach.class);
        for (StallBenchmark.Approach a : StallBenchmark.Approach.values()) {
            try (TestDatabase db = server.createDatabase("bench")) {
                BackfillBenchmark.load(db.dataSource(), rows);
                StallBenchmark.Run run = StallBenchmark.measure(a, db.dataSource(), rows, hold);
                assertEquals(0, run.errors(), a + ": " + run);
                assertTrue(run.ops() > 0 && run.remainingSeconds() > 0, a + ": " + run);
                // The migration cannot end before the blocker lets go, whichever way it runs.
                assertTrue(run.migrationSeconds() >= run.remainingSeconds() * 0.9, a + ": " + run);
                if (a == StallBenchmark.Approach.PLAIN_SQL) {
                    assertTrue(run.maxMs() >= run.remainingSeconds() * 1000 * 0.9, "the application queued: " + run);
                } else {
                    assertTrue(run.attempts() > 1, "Querk gave up its lock and retried: " + run);
                }
                results.computeIfAbsent(a, k -> new ArrayList<>()).add(run);
            }
        }
        String md = StallBenchmark.markdown(rows, hold, results);
        for (StallBenchmark.Approach a : StallBenchmark.Approach.values()) {
            assertTrue(md.contains("| " + a.label + " |"), md);
        }
        assertEquals(1, md.lines().filter(l -> l.startsWith("Goal:")).count(), md);
        assertTrue(md.contains("A table of 5,000 orders") && md.contains("open for 1 s"), md);
    }
}
