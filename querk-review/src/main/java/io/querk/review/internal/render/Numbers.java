package io.querk.review.internal.render;

import java.time.Duration;
import java.util.Locale;

/** Numbers as the reports print them. */
public final class Numbers {

    private Numbers() {
    }

    /** @return a cost: {@code 21,784} or {@code 8.52} */
    public static String cost(double c) {
        if (Double.isNaN(c)) {
            return "n/a";
        }
        return c >= 100 ? String.format(Locale.ROOT, "%,.0f", c) : String.format(Locale.ROOT, "%.2f", c);
    }

    /** @return a factor: {@code 2,556x} or {@code 1.4x} */
    public static String factor(double f) {
        if (Double.isInfinite(f)) {
            return "∞";
        }
        return (f >= 10 ? String.format(Locale.ROOT, "%,.0f", f) : String.format(Locale.ROOT, "%.1f", f)) + "x";
    }

    /** @return e.g. {@code 142 ms} or {@code 1.3 s} */
    public static String millis(Duration d) {
        long ms = d.toMillis();
        return ms < 1000 ? ms + " ms" : String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
    }

    /** @return a row count: {@code 1,000,000} */
    public static String rows(double n) {
        return String.format(Locale.ROOT, "%,.0f", n);
    }
}
