package io.querk.benchmarks;

import io.querk.testkit.postgres.PostgresExtension;
import io.querk.testkit.postgres.PostgresServer;
import io.querk.testkit.postgres.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.LinkedHashMap;
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
        Map<BackfillBenchmark.Case, List<BackfillBenchmark.Run>> results = new LinkedHashMap<>();
        for (int n : List.of(rows, rows * BackfillBenchmark.LARGE)) {
            for (BackfillBenchmark.Approach a : BackfillBenchmark.Approach.values()) {
                if (n != rows && !a.atScale) {
                    continue;
                }
                try (TestDatabase db = server.createDatabase("bench")) {
                    BackfillBenchmark.load(db.dataSource(), n);
                    BackfillBenchmark.Run run = BackfillBenchmark.measure(a, db.dataSource());
                    assertTrue(run.seconds() > 0 && run.longestLockSeconds() > 0, a + ": " + run);
                    assertTrue(run.sizeAfter() >= run.sizeBefore(), a + ": " + run);
                    results.computeIfAbsent(new BackfillBenchmark.Case(a, n), k -> new ArrayList<>()).add(run);
                }
            }
        }
        String md = BackfillBenchmark.markdown(rows, results);
        for (BackfillBenchmark.Approach a : BackfillBenchmark.Approach.values()) {
            assertTrue(md.contains("| " + a.label + " | 5,000 |"), md);
        }
        assertTrue(md.contains("| Querk, no pause | 20,000 |"), md);
        assertEquals(1, md.lines().filter(l -> l.startsWith("Goals:")).count(), md);
        assertTrue(md.contains("A table of 5,000 orders"), md);
    }
}
