package io.querk.review;

import io.querk.Api;

/**
 * A plan as the reviewer read it.
 *
 * @param topNode     the top node, e.g. "Limit"
 * @param startupCost the planner's cost before the first row
 * @param totalCost   the planner's cost for all rows: what proposals are ranked by
 * @param rows        rows the planner expects the query to return
 * @param text        the plan as an indented tree, one node a line, with costs and rows
 * @param json        the server's {@code EXPLAIN (FORMAT JSON, VERBOSE)} output, as it came
 */
@Api(status = Api.Status.EXPERIMENTAL, since = "0.1")
public record PlanSummary(String topNode, double startupCost, double totalCost, double rows, String text, String json) {
}
