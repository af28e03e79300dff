package io.querk.benchmarks;

import io.querk.testkit.postgres.PostgresExtension;
import io.querk.testkit.postgres.PostgresServer;
import io.querk.testkit.postgres.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The backfill benchmark end to end on a small table, so that it cannot rot between the runs
 * that produce the report. It asserts what every run must produce, never how fast.
 */
@ExtendWith(PostgresExtension.class)
class BackfillBenchmarkIT {

    @Test
    void everyApproachFillsEveryRowAndTheSectionReportsThemAll(PostgresServer server) throws Exception {
        int rows = 5_000;
        Map<BackfillBenchmark.Approach, List<BackfillBenchmark.Run>> results = new EnumMap<>(BackfillBenchmark.Approach.class);
        for (BackfillBenchmark.Approach a : BackfillBenchmark.Approach.values()) {
            try (TestDatabase db = server.createDatabase("bench")) {
                BackfillBenchmark.load(db.dataSource(), rows);
                BackfillBenchmark.Run run = BackfillBenchmark.measure(a, db.dataSource());
                assertTrue(run.seconds() > 0 && run.longestLockSeconds() > 0, a + ": " + run);
                assertTrue(run.sizeAfter() >= run.sizeBefore(), a + ": " + run);
                results.computeIfAbsent(a, k -> new ArrayList<>()).add(run);
            }
        }
        String md = BackfillBenchmark.markdown(rows, results);
        for (BackfillBenchmark.Approach a : BackfillBenchmark.Approach.values()) {
            assertTrue(md.contains("| " + a.label + " |"), md);
        }
        assertEquals(1, md.lines().filter(l -> l.startsWith("Goals:")).count(), md);
        assertTrue(md.contains("A table of 5,000 orders"), md);
    }
}
