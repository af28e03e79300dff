package io.querk.review;

import io.querk.Api;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A rewrite of the query that returns the same rows, and why it is faster.
 *
 * @param kind       what it changes
 * @param sql        the rewritten query
 * @param reason     why it is faster, and what it takes (e.g. the previous page's last row for keyset pagination)
 * @param costBefore the original query's planned cost
 * @param costAfter  the rewrite's planned cost with today's indexes, or NaN when it could not be planned on its own
 *                   (it takes values the application supplies)
 * @param index      the best index for the rewritten query, when one makes it cheaper still: a rewrite often
 *                   is what lets an index be used at all
 * @param parameters the parameters the rewrite adds, each described (e.g. {@code $3: created_at of the last row})
 */
@Api(status = Api.Status.EXPERIMENTAL, since = "0.1")
public record Rewrite(RewriteKind kind, String sql, String reason, double costBefore, double costAfter,
                      Optional<IndexProposal> index, List<String> parameters) {

    /**
     * Copies the list and rejects nulls.
     *
     * @param kind             what it changes
     * @param sql              the rewritten query
     * @param reason           why
     * @param costBefore       the original cost
     * @param costAfter        the rewrite's cost, or NaN
     * @param index            the best index for the rewrite, or empty
     * @param parameters       new parameters
     */
    public Rewrite {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(sql, "sql");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(index, "index");
        parameters = List.copyOf(parameters);
    }

    /** @return the rewrite's cost with its {@linkplain #index() index} in place, or NaN without one */
    public double costWithIndex() {
        return index.map(IndexProposal::costAfter).orElse(Double.NaN);
    }

    /** @return the cheapest of the rewrite alone and the rewrite with its index */
    public double bestCost() {
        return index.map(IndexProposal::costAfter).filter(c -> c < costAfter).orElse(costAfter);
    }
}
