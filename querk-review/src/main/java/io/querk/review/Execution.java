package io.querk.review;

import io.querk.Api;

/**
 * What {@code EXPLAIN (ANALYZE, BUFFERS)} measured, when the review was asked to run the query.
 *
 * @param executionMs      the execution time the server measured
 * @param planningMs       the planning time
 * @param rows             rows the query returned
 * @param sharedHitBlocks  8 kB pages found in shared buffers
 * @param sharedReadBlocks pages read from the operating system (disk or its cache)
 * @param text             the measured plan as an indented tree
 */
@Api(status = Api.Status.EXPERIMENTAL, since = "0.1")
public record Execution(double executionMs, double planningMs, double rows, long sharedHitBlocks, long sharedReadBlocks,
                        String text) {
}
