package io.querk.review.internal.shape;

import io.querk.review.internal.plan.Expr;
import io.querk.review.internal.plan.ExprParser.SortKey;
import io.querk.review.internal.plan.PlanNode;

import java.util.List;
import java.util.Set;

/**
 * How the query uses one table, read from its plan: the conditions on it alone, its joins, the
 * order the query wants its rows in, and the columns it needs.
 *
 * @param alias          the name the plan's expressions use for it
 * @param schema         its schema
 * @param table          its name
 * @param scan           the plan node that reads it
 * @param restrictions   conditions on this table alone (the plan's conjuncts)
 * @param joins          equality joins on one of its columns
 * @param sortKeys       the ORDER BY an index on this table could produce, or empty
 * @param sortFeedsLimit whether a LIMIT takes the first rows of that sort
 * @param sortNode       the Sort node, or null
 * @param limitRows      rows the LIMIT returns, or 0 without a LIMIT
 * @param neededColumns  every column of this table the query reads; what an index-only scan must carry
 * @param rowsOut        rows the scan returns per loop, across parallel workers
 * @param loops          how often the scan runs (outer rows, for the inner side of a nested loop)
 * @param innerOfNestedLoop the nested loop it is the inner side of, or null
 */
public record RelationUse(String alias, String schema, String table, PlanNode scan, List<Expr> restrictions,
                          List<JoinClause> joins, List<SortKey> sortKeys, boolean sortFeedsLimit, PlanNode sortNode,
                          double limitRows, Set<String> neededColumns, double rowsOut, double loops,
                          PlanNode innerOfNestedLoop) {

    /** Copies the collections. */
    public RelationUse {
        restrictions = List.copyOf(restrictions);
        joins = List.copyOf(joins);
        sortKeys = List.copyOf(sortKeys);
        neededColumns = Set.copyOf(neededColumns);
    }

    /** @return "public.shipments" */
    public String qualified() {
        return schema + "." + table;
    }

    /**
     * An equality join {@code this.column = other}.
     *
     * @param column     this table's column
     * @param other      the other side
     * @param otherAlias the alias the other side's columns belong to
     * @param node       the join node or parameterised scan carrying it
     */
    public record JoinClause(String column, Expr other, String otherAlias, PlanNode node) {
    }
}
