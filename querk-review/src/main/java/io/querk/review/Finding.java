package io.querk.review;

import io.querk.Api;
import java.util.Objects;

/**
 * One thing that makes the reviewed query slow.
 *
 * @param kind      what it is
 * @param table     the table it concerns, as SQL names it, or null for the whole query
 * @param message   where and why, in a sentence or two, with what to do
 * @param costShare the share of the query's planned cost spent in the part of the plan it concerns, 0 to 1:
 *                  findings are ordered by it
 */
@Api(status = Api.Status.EXPERIMENTAL, since = "0.1")
public record Finding(FindingKind kind, String table, String message, double costShare) {

    /**
     * Checks the fields.
     *
     * @param kind      what it is
     * @param table     the table, or null
     * @param message   the explanation
     * @param costShare 0 to 1
     */
    public Finding {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(message, "message");
    }
}
