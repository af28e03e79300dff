package io.querk.benchmarks;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fleet benchmark end to end on a few databases, so that it cannot rot between the runs that
 * produce the report. It asserts what every run must produce, never how fast.
 */
class FleetBenchmarkIT {

    @Test
    void everyTargetIsMigratedAndTheSectionReportsEachParallelism() throws Exception {
        try (BenchServer server = BenchServer.start()) {
            FleetBenchmark.template(server, 200);
            Map<Integer, List<FleetBenchmark.Run>> results = new LinkedHashMap<>();
            for (int p : FleetBenchmark.PARALLELISM) {
                FleetBenchmark.Run run = FleetBenchmark.measure(server, 4, p);
                assertEquals(4, run.targetSeconds().size());
                assertTrue(run.totalSeconds() > 0 && run.targetSeconds().stream().allMatch(s -> s > 0), run.toString());
                results.put(p, List.of(run));
            }
            String md = FleetBenchmark.markdown(4, 200, results);
            assertTrue(md.contains("| 1 | ") && md.contains("| 4 | "), md);
            assertTrue(md.contains("4 databases, each a table of 200 shipments"), md);
        }
    }
}
