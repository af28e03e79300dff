package io.querk.testkit.traffic;

import io.querk.testkit.TestkitException;
import io.querk.Api;
import io.querk.sql.QualifiedName;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * Where an operation's parameter comes from, drawn anew for every execution with the traffic's
 * seeded random, so that the same seed sends the same sequence of values.
 *
 * <pre>{@code
 * Operation.read("shipments by city", "SELECT count(*) FROM shipments WHERE destination = ? AND status = ?")
 *         .on("shipments")
 *         .param(Param.sample("shipments", "destination"))   // values from the seeded data
 *         .param(Param.oneOf("booked", "in transit"));
 * }</pre>
 */
@Api(status = Api.Status.STABLE, since = "0.1")
public abstract sealed class Param permits Param.Values, Param.Generated, Param.FromQuery {

    Param() {
    }

    /**
     * @param values the values, at least one
     * @return a parameter drawn uniformly from {@code values}
     */
    public static Param oneOf(Object... values) {
        if (values.length == 0) {
            throw new TestkitException("oneOf needs at least one value");
        }
        return new Values(List.copyOf(Arrays.asList(values)));
    }

    /**
     * @param value the value
     * @return a parameter that is always {@code value}
     */
    public static Param constant(Object value) {
        return new Values(List.of(Objects.requireNonNull(value, "value")));
    }

    /**
     * @param min the smallest value
     * @param max the largest value, inclusive
     * @return a long drawn uniformly from {@code [min, max]}
     */
    public static Param longBetween(long min, long max) {
        if (max < min) {
            throw new TestkitException("longBetween needs min <= max, got " + min + " > " + max);
        }
        return new Generated(r -> min + (max == Long.MAX_VALUE && min <= 0 ? r.nextLong() : r.nextLong(max - min + 1)));
    }

    /**
     * @param generator makes a value from the traffic's seeded random
     * @return a parameter made by {@code generator}
     */
    public static Param of(Function<SplittableRandom, Object> generator) {
        return new Generated(Objects.requireNonNull(generator, "generator"));
    }

    /**
     * Values of a table's single-column primary key, from a seeded sample of the table (up to
     * 5,000 keys).
     *
     * @param table {@code "name"} or {@code "schema.name"}
     * @return a key drawn uniformly from the sample
     */
    public static Param keyOf(String table) {
        return new FromQuery(QualifiedName.parse(table), null, null);
    }

    /**
     * Values of a column, from a seeded sample of the table (up to 5,000 rows).
     *
     * @param table  {@code "name"} or {@code "schema.name"}
     * @param column the column
     * @return a value drawn uniformly from the sample
     */
    public static Param sample(String table, String column) {
        return new FromQuery(QualifiedName.parse(table), Objects.requireNonNull(column, "column"), null);
    }

    /**
     * Values of a query's first column, read once when the traffic starts.
     *
     * @param sql a query, e.g. {@code "SELECT id FROM shipments WHERE status = 'booked' LIMIT 1000"}
     * @return a value drawn uniformly from its rows
     */
    public static Param query(String sql) {
        return new FromQuery(null, null, Objects.requireNonNull(sql, "sql"));
    }

    /** A fixed list of values. */
    static final class Values extends Param {
        final List<Object> values;

        Values(List<Object> values) {
            this.values = values;
        }
    }

    /** Values made by a function of the random. */
    static final class Generated extends Param {
        final Function<SplittableRandom, Object> generator;

        Generated(Function<SplittableRandom, Object> generator) {
            this.generator = generator;
        }
    }

    /** Values read from the database when the traffic starts. */
    static final class FromQuery extends Param {
        /** At most this many values are read. */
        static final int LIMIT = 5000;
        final QualifiedName table;
        final String column;
        final String sql;

        FromQuery(QualifiedName table, String column, String sql) {
            this.table = table;
            this.column = column;
            this.sql = sql;
        }
    }
}
