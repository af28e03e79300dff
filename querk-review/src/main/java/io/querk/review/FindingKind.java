package io.querk.review;

import io.querk.Api;

/**
 * What a review can find that makes a query slow. Each kind names the plan shape or the SQL
 * pattern it stands for; {@link Finding#message()} says where and why.
 */
@Api(status = Api.Status.EXPERIMENTAL, since = "0.1")
public enum FindingKind {
    /** A sequential scan of a large table keeps few of its rows: an index on the filter finds them directly. */
    SEQ_SCAN_SELECTIVE_FILTER("sequential scan under a selective filter"),
    /** A sort of many rows feeds a LIMIT that keeps few: an index in the sort order stops early. */
    SORT_FEEDS_LIMIT("sort feeding a LIMIT"),
    /** The inner side of a nested loop scans its table once per outer row. */
    NESTED_LOOP_INNER_SEQ_SCAN("inner sequential scan of a nested loop"),
    /** A join follows a foreign key whose columns have no index. */
    UNINDEXED_FOREIGN_KEY_JOIN("join on an unindexed foreign key"),
    /** A function or operator wraps a column an index holds, so the index cannot be searched. */
    FUNCTION_WRAPS_INDEXED_COLUMN("function wrapping an indexed column"),
    /** {@code LIKE '%x'} or {@code ILIKE}: a b-tree cannot search a pattern with a leading wildcard. */
    LEADING_WILDCARD_LIKE("leading-wildcard LIKE"),
    /** {@code OFFSET n} reads and discards n rows on every page. */
    OFFSET_PAGINATION("OFFSET pagination"),
    /** {@code a = x OR b = y}: no single index serves a condition across columns. */
    OR_ACROSS_COLUMNS("OR across columns"),
    /** {@code x NOT IN (SELECT ...)}: cannot become an anti-join, and NULLs change its result. */
    NOT_IN_SUBQUERY("NOT IN (subquery)"),
    /** A column is cast to the other side's type, which defeats an index on the column. */
    IMPLICIT_CAST_DEFEATS_INDEX("implicit cast defeating an index"),
    /** A table the query reads has never been analyzed: every estimate about it is a guess. */
    MISSING_STATISTICS("table without statistics");

    private final String label;

    FindingKind(String label) {
        this.label = label;
    }

    /** @return a short label for reports, e.g. "sort feeding a LIMIT" */
    public String label() {
        return label;
    }
}
