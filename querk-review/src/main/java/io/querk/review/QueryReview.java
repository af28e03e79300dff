package io.querk.review;

import io.querk.Api;
import io.querk.review.internal.Reviewer;
import io.querk.review.internal.sql.SqlText;

import javax.sql.DataSource;
import java.time.Duration;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * A review of one slow query on a live PostgreSQL: what makes it slow, the indexes that make it
 * fast ranked by the planner's cost with each in place (proven with HypoPG's hypothetical indexes
 * where the extension is installed, else estimated and said so), rewrites that return the same
 * rows, each index's write-path impact, a verification command, and each index as a ready Querk
 * {@link io.querk.migration.Migration}.
 *
 * <pre>{@code
 * QueryReviewReport report = QueryReview.of("""
 *         SELECT id, created_at FROM shipments
 *         WHERE customer_id = $1 AND status = 'lost' ORDER BY created_at DESC LIMIT 20""")
 *         .on(dataSource)
 *         .run();
 * System.out.println(report.toText());
 * Migration m = report.bestProposal().orElseThrow().toMigration("2026-11-24.shipments-lost-by-customer");
 * }</pre>
 *
 * <p>The review never changes the database: it plans the query with {@code EXPLAIN} in a
 * {@code READ ONLY} transaction with a statement timeout, runs it ({@code EXPLAIN ANALYZE}) only
 * when asked and only if it is read-only, rolls everything back, and removes every hypothetical
 * index and prepared statement it made. A statement that writes is planned, never executed.
 *
 * <p>A review is an immutable value: build it once (a CLI builds it from its arguments), run it
 * on any database with {@link #run(DataSource)}.
 */
@Api(status = Api.Status.EXPERIMENTAL, since = "0.1")
public final class QueryReview {

    /** The statement timeout of each statement the review runs, unless set. */
    public static final Duration DEFAULT_STATEMENT_TIMEOUT = Duration.ofSeconds(10);

    private final String sql;
    private final List<Object> parameters;
    private final boolean parametersGiven;
    private final boolean analyze;
    private final Duration statementTimeout;
    private final HypotheticalIndexes hypotheticalIndexes;

    private QueryReview(Builder b) {
        this.sql = b.sql;
        this.parameters = b.parameters == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(b.parameters));
        this.parametersGiven = b.parameters != null;
        this.analyze = b.analyze;
        this.statementTimeout = b.statementTimeout;
        this.hypotheticalIndexes = b.hypotheticalIndexes;
    }

    /**
     * Starts a review.
     *
     * @param sql one statement: a query, or an INSERT, UPDATE, DELETE or MERGE (which is planned, never run);
     *            parameters are written {@code $1}, {@code $2} ...
     * @return a builder
     * @throws QueryReviewException if the SQL is blank, holds more than one statement, or has an
     *                              unterminated string, quoted name or comment
     */
    public static Builder of(String sql) {
        return new Builder(sql);
    }

    /** @return the statement, without trailing semicolons */
    public String sql() {
        return sql;
    }

    /** @return the parameter values given, or empty if typical values are to be sampled from {@code pg_stats} */
    public Optional<List<Object>> parameters() {
        return parametersGiven ? Optional.of(parameters) : Optional.empty();
    }

    /** @return whether the query is run with {@code EXPLAIN (ANALYZE, BUFFERS)} (read-only statements only) */
    public boolean analyze() {
        return analyze;
    }

    /** @return the timeout of each statement of the review, the ANALYZE run included */
    public Duration statementTimeout() {
        return statementTimeout;
    }

    /** @return whether proposals are proven with HypoPG */
    public HypotheticalIndexes hypotheticalIndexes() {
        return hypotheticalIndexes;
    }

    /**
     * Reviews the query on a database.
     *
     * @param dataSource the database; each review takes one connection for its duration (well under a second
     *                   for most queries) and hands it back as it was
     * @return the report
     * @throws QueryReviewException if the query does not parse or plan (with the server's message and
     *                              position), names a missing table or column, gets the wrong number of
     *                              parameters, or HypoPG is required but not installed
     */
    public QueryReviewReport run(DataSource dataSource) {
        return Reviewer.review(this, Objects.requireNonNull(dataSource, "dataSource"));
    }

    /** Configures a {@link QueryReview}; every setting has a default. */
    public static final class Builder {
        private final String sql;
        private List<Object> parameters;
        private boolean analyze;
        private Duration statementTimeout = DEFAULT_STATEMENT_TIMEOUT;
        private HypotheticalIndexes hypotheticalIndexes = HypotheticalIndexes.AUTO;
        private DataSource dataSource;

        private Builder(String sql) {
            if (sql == null || sql.isBlank()) {
                throw new QueryReviewException("The query to review is blank. Pass the SQL of one statement, for example"
                        + " QueryReview.of(\"SELECT * FROM shipments WHERE customer_id = $1\").");
            }
            SqlText text;
            try {
                text = SqlText.of(sql);
            } catch (IllegalArgumentException e) {
                throw new QueryReviewException("The query to review cannot be read: " + e.getMessage()
                        + ". Close it and review again.");
            }
            int second = text.secondStatementAt();
            if (second >= 0) {
                throw new QueryReviewException("The query to review holds more than one statement (the next starts at "
                        + text.lineAndColumn(second) + "). Review one statement at a time.");
            }
            this.sql = text.withoutTrailingSemicolons();
        }

        /**
         * The values of {@code $1}, {@code $2} ... Without this call the review samples a typical
         * value for each from {@code pg_stats} (and plans the generic plan if it cannot).
         *
         * @param values one per parameter: String, a Number, Boolean, a {@code java.time} value, UUID, byte[],
         *               an enum (its name), or null for SQL NULL
         * @return this builder
         * @throws QueryReviewException if a value is of a type a literal cannot be written for
         */
        public Builder parameters(Object... values) {
            List<Object> l = new ArrayList<>(Arrays.asList(values == null ? new Object[] {null} : values));
            for (int i = 0; i < l.size(); i++) {
                Object v = l.get(i);
                if (!(v == null || v instanceof CharSequence || v instanceof Number || v instanceof Boolean
                        || v instanceof TemporalAccessor || v instanceof UUID || v instanceof byte[] || v instanceof Enum<?>
                        || v instanceof Character)) {
                    throw new QueryReviewException("Parameter $" + (i + 1) + " is a " + v.getClass().getName()
                            + ", which the review cannot write as SQL. Pass a String, a Number, a Boolean, a java.time"
                            + " value, a UUID, a byte[] or an enum, or its text as a String.");
                }
            }
            this.parameters = l;
            return this;
        }

        /**
         * Whether to run the query with {@code EXPLAIN (ANALYZE, BUFFERS)} too (default false): only
         * a read-only statement, in a read-only transaction, under the statement timeout. A statement
         * that writes is planned only, and the report says so.
         *
         * @param analyze true to run it
         * @return this builder
         */
        public Builder analyze(boolean analyze) {
            this.analyze = analyze;
            return this;
        }

        /**
         * The timeout of each statement of the review (default 10 s), ANALYZE's run included. A
         * wait for a lock on a table the query reads (a migration holding it) ends sooner: at 90%
         * of this, and after 2 s at most.
         *
         * @param timeout at least 1 ms
         * @return this builder
         * @throws QueryReviewException if it is not positive
         */
        public Builder statementTimeout(Duration timeout) {
            if (timeout == null || timeout.isNegative() || timeout.isZero()) {
                throw new QueryReviewException("statementTimeout must be positive, got " + timeout
                        + "; for example Duration.ofSeconds(10).");
            }
            this.statementTimeout = timeout;
            return this;
        }

        /**
         * Whether to prove proposals with HypoPG (default {@link HypotheticalIndexes#AUTO}).
         *
         * @param mode AUTO, REQUIRE or OFF
         * @return this builder
         */
        public Builder hypotheticalIndexes(HypotheticalIndexes mode) {
            this.hypotheticalIndexes = Objects.requireNonNull(mode, "mode");
            return this;
        }

        /**
         * The database to review on, for {@link #run()}.
         *
         * @param dataSource the database
         * @return this builder
         */
        public Builder on(DataSource dataSource) {
            this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
            return this;
        }

        /** @return the review as a value, to run on any database */
        public QueryReview build() {
            return new QueryReview(this);
        }

        /**
         * Builds the review and runs it on the database given to {@link #on(DataSource)}.
         *
         * @return the report
         * @throws QueryReviewException if no database was given, or as {@link QueryReview#run(DataSource)}
         */
        public QueryReviewReport run() {
            if (dataSource == null) {
                throw new QueryReviewException("No database to review on: call on(dataSource) before run().");
            }
            return build().run(dataSource);
        }
    }
}
