package io.querk.review;

import io.querk.Api;
import io.querk.review.internal.db.Verifier;

import javax.sql.DataSource;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How to prove a proposal worked once its migration ran: the query's plan uses the new index at
 * about the expected cost, and the catalog shows the index valid.
 *
 * <pre>{@code
 * VerificationResult v = proposal.verification().check(dataSource);
 * assertTrue(v.passed(), v.plan());
 * }</pre>
 *
 * @param query         the reviewed query with its parameter values written in, ready to run
 * @param analyze       whether the command runs the query ({@code EXPLAIN (ANALYZE, BUFFERS)}); false for a
 *                      statement that writes, which is only planned
 * @param expectedPlan  the plan node expected to use the index, e.g. {@code Index Scan using x on shipments}
 * @param expectedCost  the query's total cost expected with the index
 * @param indexNames    the indexes the plan should use
 * @param catalogChecks queries returning true once each index exists and is valid (from Querk's planner)
 */
@Api(status = Api.Status.EXPERIMENTAL, since = "0.1")
public record Verification(String query, boolean analyze, String expectedPlan, double expectedCost,
                           List<String> indexNames, List<String> catalogChecks) {

    /** The statement timeout {@link #check(DataSource)} runs under. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    /**
     * Copies the lists.
     *
     * @param query         the query with values
     * @param analyze       whether to run it
     * @param expectedPlan  the expected node
     * @param expectedCost  the expected cost
     * @param indexNames    the indexes
     * @param catalogChecks the catalog checks
     */
    public Verification {
        Objects.requireNonNull(query, "query");
        indexNames = List.copyOf(indexNames);
        catalogChecks = List.copyOf(catalogChecks);
    }

    /** @return the command to run by hand: {@code EXPLAIN (ANALYZE, BUFFERS) <query>}, or plain EXPLAIN for a write */
    public String command() {
        return (analyze ? "EXPLAIN (ANALYZE, BUFFERS) " : "EXPLAIN ") + query;
    }

    /**
     * Runs the catalog checks and the command (in a read-only transaction that is rolled back),
     * within {@link #DEFAULT_TIMEOUT}.
     *
     * @param dataSource the database the migration ran on
     * @return what it found
     * @throws QueryReviewException if the database cannot be asked
     */
    public VerificationResult check(DataSource dataSource) {
        return check(dataSource, DEFAULT_TIMEOUT);
    }

    /**
     * Runs the catalog checks and the command, as {@link #check(DataSource)}.
     *
     * @param dataSource the database
     * @param timeout    the statement timeout
     * @return what it found
     * @throws QueryReviewException if the database cannot be asked
     */
    public VerificationResult check(DataSource dataSource, Duration timeout) {
        return Verifier.check(this, Objects.requireNonNull(dataSource, "dataSource"), timeout);
    }
}
