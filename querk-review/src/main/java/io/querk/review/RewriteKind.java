package io.querk.review;

import io.querk.Api;

/** The rewrites a review proposes; each returns the same rows as the original query. */
@Api(status = Api.Status.EXPERIMENTAL, since = "0.1")
public enum RewriteKind {
    /** {@code OFFSET n} replaced by a condition on the last row of the previous page (keyset pagination). */
    KEYSET_PAGINATION("keyset pagination instead of OFFSET"),
    /** A cross-column {@code OR} split into {@code UNION ALL} branches that each use their own index. */
    UNION_ALL_FOR_OR("UNION ALL instead of OR across columns"),
    /** {@code x NOT IN (SELECT y ...)} as {@code NOT EXISTS}, which plans as an anti-join. */
    NOT_EXISTS_FOR_NOT_IN("NOT EXISTS instead of NOT IN"),
    /** A condition on a wrapped column rewritten as a range on the column itself. */
    SARGABLE_PREDICATE("sargable condition instead of a wrapped column");

    private final String label;

    RewriteKind(String label) {
        this.label = label;
    }

    /** @return a short label for reports */
    public String label() {
        return label;
    }
}
