package io.querk.testkit.data;

import io.querk.Api;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How {@link TestData} fills a column: a SQL expression evaluated once per generated row, where
 * {@code g} is the row's number (1, 2, 3 ...) and {@code random()} is seeded, so that the same
 * seed gives the same data.
 *
 * <pre>{@code
 * Gen.serial()                       // 1, 2, 3 ...
 * Gen.intBetween(1, 20_000)
 * Gen.oneOf("booked", "in transit", "delivered")
 * Gen.text(8, 30)                    // random text, 8 to 30 characters
 * Gen.nullable(0.1, Gen.text(5, 10)) // NULL one time in ten
 * Gen.sql("'City' || (g % 50)")      // anything else
 * }</pre>
 */
@Api(status = Api.Status.STABLE, since = "0.1")
public final class Gen {

    private final String sql;

    private Gen(String sql) {
        this.sql = sql;
    }

    /**
     * @param expression evaluated per row; it may use {@code g}, the row's number, and {@code random()}
     * @return a generator from a SQL expression over {@code g} and {@code random()}
     */
    public static Gen sql(String expression) {
        return new Gen(expression);
    }

    /** @return the row number: 1, 2, 3 ... (a key) */
    public static Gen serial() {
        return new Gen("g");
    }

    /**
     * @param min the smallest value
     * @param max the largest value
     * @return a uniform integer in [min, max]
     */
    public static Gen intBetween(long min, long max) {
        return new Gen("(" + min + " + floor(random() * " + (max - min + 1) + "))::bigint");
    }

    /**
     * @param min   the smallest value
     * @param max   the upper bound, exclusive
     * @param scale digits after the decimal point
     * @return a uniform decimal in [min, max) with {@code scale} digits after the point
     */
    public static Gen decimalBetween(double min, double max, int scale) {
        return new Gen(String.format(Locale.ROOT, "round((%s + random() * %s)::numeric, %d)", min, max - min, scale));
    }

    /**
     * @param minLength the shortest length
     * @param maxLength the longest length
     * @return random lower-case text of a random length in [minLength, maxLength]
     */
    public static Gen text(int minLength, int maxLength) {
        return new Gen("substr(repeat(md5(random()::text), " + (maxLength / 32 + 1) + "), 1, " + minLength
                + " + floor(random() * " + (maxLength - minLength + 1) + ")::int)");
    }

    /**
     * @param values the values, as plain text: they are quoted for SQL here
     * @return one of the values, uniformly
     */
    public static Gen oneOf(String... values) {
        String array = Arrays.stream(values).map(v -> "'" + v.replace("'", "''") + "'")
                .collect(Collectors.joining(", ", "ARRAY[", "]"));
        return new Gen("(" + array + ")[1 + floor(random() * " + values.length + ")::int]");
    }

    /**
     * @param days how far back the timestamps go
     * @return a timestamp within {@code days} days before 2026-01-01
     */
    public static Gen timestampWithinDays(int days) {
        return new Gen("timestamptz '2026-01-01' - random() * interval '" + days + " days'");
    }

    /** @return a random UUID (from the seeded random(), so reproducible) */
    public static Gen uuid() {
        return new Gen("md5(random()::text)::uuid");
    }

    /**
     * @param nullProbability from 0.0 (never NULL) to 1.0 (always)
     * @param inner           the generator of the non-NULL values
     * @return {@code inner}, or NULL with the given probability
     */
    public static Gen nullable(double nullProbability, Gen inner) {
        return new Gen("CASE WHEN random() < " + nullProbability + " THEN NULL ELSE " + inner.sql + " END");
    }

    /** @return the SQL expression */
    public String sql() {
        return sql;
    }
}
