package io.querk.benchmarks;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The statistics every benchmark table is made of: nearest-rank percentiles and medians. */
class StatsTest {

    private static List<Double> oneTo(int n) {
        List<Double> xs = new ArrayList<>(IntStream.rangeClosed(1, n).mapToObj(i -> (double) i).toList());
        Collections.shuffle(xs, new Random(7));
        return xs;
    }

    @Test
    void aPercentileIsTheNearestRankAndAValueThatOccurred() {
        assertEquals(999.0, Stats.percentile(oneTo(1000), 99.9), "99.9 % of 1,000 is rank 999, not 1,000");
        assertEquals(1000.0, Stats.percentile(oneTo(1000), 100));
        assertEquals(90.0, Stats.percentile(oneTo(100), 90));
        assertEquals(50.0, Stats.percentile(oneTo(100), 50));
        assertEquals(1.0, Stats.percentile(oneTo(100), 0.5));
        assertEquals(27.0, Stats.percentile(oneTo(30), 90), "ceil(0.9 * 30) = 27");
    }

    @Test
    void aFewValuesGiveTheirMaximumForHighPercentiles() {
        assertEquals(4029.0, Stats.percentile(List.of(3.0, 4029.0, 5.0, 7.0), 99.9));
        assertEquals(42.0, Stats.percentile(List.of(42.0), 99.9));
        assertEquals(42.0, Stats.percentile(List.of(42.0), 1));
    }

    @Test
    void rejectsNoValuesAndPercentilesOutsideTheScale() {
        assertThrows(IllegalArgumentException.class, () -> Stats.percentile(List.of(), 50));
        assertThrows(IllegalArgumentException.class, () -> Stats.percentile(List.of(1.0), 0));
        assertThrows(IllegalArgumentException.class, () -> Stats.percentile(List.of(1.0), 100.1));
        assertThrows(IllegalArgumentException.class, () -> Stats.percentile(List.of(1.0), Double.NaN));
    }

    @Test
    void theMedianOfAnEvenCountIsTheMeanOfTheMiddlePair() {
        assertEquals(2.5, Stats.median(List.of(4.0, 1.0, 3.0, 2.0)));
        assertEquals(3.0, Stats.median(List.of(5.0, 1.0, 3.0)));
    }
}
