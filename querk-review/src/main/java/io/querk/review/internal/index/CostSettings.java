package io.querk.review.internal.index;

/**
 * The planner's cost constants, as the server is configured ({@code SHOW random_page_cost} ...).
 *
 * @param seqPageCost       {@code seq_page_cost}
 * @param randomPageCost    {@code random_page_cost}
 * @param cpuTupleCost      {@code cpu_tuple_cost}
 * @param cpuIndexTupleCost {@code cpu_index_tuple_cost}
 * @param cpuOperatorCost   {@code cpu_operator_cost}
 */
public record CostSettings(double seqPageCost, double randomPageCost, double cpuTupleCost, double cpuIndexTupleCost,
                           double cpuOperatorCost) {

    /** PostgreSQL's defaults. */
    public static final CostSettings DEFAULTS = new CostSettings(1.0, 4.0, 0.01, 0.005, 0.0025);
}
