package io.querk.review;

import io.querk.Api;

/**
 * What {@link Verification#check(javax.sql.DataSource)} found on the database.
 *
 * @param indexesValid    every proposed index exists and is valid ({@code pg_index.indisvalid})
 * @param planUsesIndexes the query's plan uses the proposed indexes
 * @param cost            the plan's total cost now
 * @param executionMs     the measured execution time, or NaN when the statement writes (then it is only planned)
 * @param plan            the plan as an indented tree
 */
@Api(status = Api.Status.EXPERIMENTAL, since = "0.1")
public record VerificationResult(boolean indexesValid, boolean planUsesIndexes, double cost, double executionMs,
                                 String plan) {

    /** @return true if the indexes are valid and the plan uses them */
    public boolean passed() {
        return indexesValid && planUsesIndexes;
    }
}
