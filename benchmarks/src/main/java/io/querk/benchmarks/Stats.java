package io.querk.benchmarks;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/** Medians, percentiles and ranges of repeated measurements. */
final class Stats {

    private Stats() {
    }

    static double median(List<Double> xs) {
        List<Double> s = new ArrayList<>(xs);
        Collections.sort(s);
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }

    /**
     * The nearest-rank percentile: the smallest value that at least {@code p} percent of the values
     * are at or below. Nearest rank rather than interpolation, so that a p99.9 of a few thousand
     * latencies is a latency that really happened.
     *
     * @param p from 0 (exclusive) to 100
     */
    static double percentile(List<Double> xs, double p) {
        if (xs.isEmpty()) {
            throw new IllegalArgumentException("No values to take a percentile of");
        }
        if (!(p > 0 && p <= 100)) {
            throw new IllegalArgumentException("A percentile is above 0 and at most 100, got " + p);
        }
        List<Double> s = new ArrayList<>(xs);
        Collections.sort(s);
        // The epsilon keeps 99.9 % of 1,000 at rank 999: in binary, 99.9 is a hair above itself.
        int rank = (int) Math.ceil(p * s.size() / 100 - 1e-9);
        return s.get(Math.max(rank, 1) - 1);
    }

    static String range(List<Double> xs, String format) {
        return String.format(Locale.ROOT, format + "–" + format, Collections.min(xs), Collections.max(xs));
    }

    static String fmt(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
