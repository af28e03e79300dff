package io.querk.review;

import io.querk.Api;

/** Where a cost with a proposed index in place comes from. */
@Api(status = Api.Status.EXPERIMENTAL, since = "0.1")
public enum CostBasis {
    /** The planner's own cost, with the index created hypothetically by HypoPG: what the planner will do. */
    PROVEN("proven with HypoPG"),
    /** Estimated by Querk from {@code pg_stats} and the current plan, without HypoPG: a guide, not a promise. */
    ESTIMATED("estimated from pg_stats");

    private final String label;

    CostBasis(String label) {
        this.label = label;
    }

    /** @return e.g. "proven with HypoPG" */
    public String label() {
        return label;
    }
}
