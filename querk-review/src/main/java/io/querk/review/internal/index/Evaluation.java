package io.querk.review.internal.index;

import io.querk.review.CostBasis;

import java.util.List;

/**
 * The query's cost with some candidate indexes in place.
 *
 * @param cost     the query's total cost
 * @param used     whether the plan uses every one of the indexes
 * @param node     the plan node using the first index; index names as {@code {0}}, {@code {1}} ... placeholders
 * @param planText the whole plan, with the same placeholders; empty for an estimate
 * @param sizes    each index's size in bytes
 * @param basis    the planner's cost (HypoPG) or Querk's estimate
 * @param failure  why the indexes could not be tried (e.g. a non-immutable expression), or null
 */
public record Evaluation(double cost, boolean used, String node, String planText, List<Long> sizes, CostBasis basis,
                         String failure) {

    /** Copies the list. */
    public Evaluation {
        sizes = List.copyOf(sizes);
    }

    /** @return the indexes' size together */
    public long totalSize() {
        return sizes.stream().mapToLong(Long::longValue).sum();
    }
}
