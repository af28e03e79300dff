package io.querk.testkit.data;

import io.querk.testkit.TestkitException;
import io.querk.Api;
import io.querk.sql.Identifier;
import io.querk.sql.QualifiedName;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Creates tables filled with generated rows for a test, reproducibly: the same seed gives the
 * same rows. Rows are generated inside PostgreSQL ({@code INSERT ... SELECT} over
 * {@code generate_series}, {@code setseed} first), so a million rows take seconds.
 *
 * <pre>{@code
 * TestData.seed(42).table("shipments").rows(200_000)
 *         .column("id", "bigint", Gen.serial()).primaryKey("id")
 *         .column("destination", "text", Gen.sql("'City' || (g % 50) || ', Dock ' || (g % 97)"))
 *         .column("weight_kg", "int", Gen.intBetween(1, 20_000))
 *         .column("status", "text", Gen.oneOf("booked", "in transit", "delivered"))
 *         .create(dataSource);
 * }</pre>
 */
@Api(status = Api.Status.STABLE, since = "0.1")
public final class TestData {

    private final long seed;

    private TestData(long seed) {
        this.seed = seed;
    }

    /**
     * @param seed any value; the same seed gives the same rows
     * @return a seeder; note the seed in the test so a failure can be reproduced
     */
    public static TestData seed(long seed) {
        return new TestData(seed);
    }

    /**
     * Starts the definition of a table.
     *
     * @param name the table, {@code "name"} or {@code "schema.name"}; it must not exist yet
     * @return the table's definition
     */
    public TableBuilder table(String name) {
        return new TableBuilder(QualifiedName.parse(name));
    }

    /** A table to create and fill. */
    public final class TableBuilder {
        private final QualifiedName name;
        private final List<String[]> columns = new ArrayList<>();
        private final List<String> constraints = new ArrayList<>();
        private long rows;

        private TableBuilder(QualifiedName name) {
            this.name = name;
        }

        /**
         * How many rows to generate; zero or more.
         *
         * @param rows zero or more
         * @return this definition
         * @throws io.querk.testkit.TestkitException if {@code rows} is negative
         */
        public TableBuilder rows(long rows) {
            if (rows < 0) {
                throw new TestkitException("rows must be zero or more, got " + rows);
            }
            this.rows = rows;
            return this;
        }

        /**
         * Adds a column of a SQL type, filled by {@code gen}.
         *
         * @param column the column
         * @param type   its SQL type; the generated value is cast to it
         * @param gen    how to fill it
         * @return this definition
         */
        public TableBuilder column(String column, String type, Gen gen) {
            columns.add(new String[] {Identifier.of(column).sql(), type, gen.sql()});
            return this;
        }

        /**
         * Declares the primary key.
         *
         * @param columns the key columns, in order
         * @return this definition
         */
        public TableBuilder primaryKey(String... columns) {
            constraints.add("PRIMARY KEY (" + String.join(", ", List.of(columns).stream()
                    .map(c -> Identifier.of(c).sql()).toList()) + ")");
            return this;
        }

        /**
         * Creates the table, fills it, and analyzes it (so that plans and estimates are realistic).
         *
         * @param ds the database to create it in
         * @throws SQLException             if the database refuses, e.g. the table exists
         * @throws io.querk.testkit.TestkitException if no column was added
         */
        public void create(DataSource ds) throws SQLException {
            if (columns.isEmpty()) {
                throw new TestkitException("Table " + name.sql() + " has no columns; add them with column(...).");
            }
            List<String> defs = new ArrayList<>();
            for (String[] c : columns) {
                defs.add(c[0] + " " + c[1]);
            }
            defs.addAll(constraints);
            try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE " + name.sql() + " (" + String.join(", ", defs) + ")");
                try (PreparedStatement ps = c.prepareStatement("SELECT setseed(?)")) {
                    // setseed wants [-1, 1]; fold any long into it deterministically.
                    ps.setDouble(1, ((seed % 2_000_001) - 1_000_000) / 1_000_000.0);
                    ps.execute();
                }
                s.execute("INSERT INTO " + name.sql() + " SELECT "
                        + String.join(", ", columns.stream().map(col -> "(" + col[2] + ")::" + col[1]).toList())
                        + " FROM generate_series(1, " + rows + ") AS g");
                s.execute("ANALYZE " + name.sql());
            }
        }
    }
}
