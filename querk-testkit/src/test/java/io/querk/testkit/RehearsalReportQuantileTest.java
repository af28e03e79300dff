package io.querk.testkit;

import io.querk.testkit.traffic.TrafficOp;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.querk.testkit.Fixture.read;
import static org.junit.jupiter.api.Assertions.assertEquals;

class RehearsalReportQuantileTest {

    /** Latencies of 1 to n ms. */
    private static List<TrafficOp> ops(int n) {
        List<TrafficOp> out = new ArrayList<>();
        for (int i = n; i >= 1; i--) {
            out.add(read("t", i * 10L, i));
        }
        return out;
    }

    @Test
    void nearestRankQuantilesAreLatenciesThatHappened() {
        List<TrafficOp> thousand = ops(1000);
        assertEquals(Duration.ofMillis(999), RehearsalReport.quantile(thousand, 0.999));
        assertEquals(Duration.ofMillis(7), RehearsalReport.quantile(ops(100), 0.07),
                "the 7th of 100, not the 8th: 0.07 * 100 is 7.000000000000001 in binary");
        assertEquals(Duration.ofMillis(990), RehearsalReport.quantile(thousand, 0.99));
        assertEquals(Duration.ofMillis(500), RehearsalReport.quantile(thousand, 0.5));
        assertEquals(Duration.ofMillis(1000), RehearsalReport.quantile(thousand, 1.0));
        assertEquals(Duration.ofMillis(1), RehearsalReport.quantile(thousand, 0.0));
        assertEquals(Duration.ZERO, RehearsalReport.quantile(List.of(), 0.99));
    }
}
