package io.querk.review.internal.plan;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * One node of a plan as {@code EXPLAIN (FORMAT JSON, VERBOSE)} gives it. Conditions and output
 * columns are the server's deparsed expressions, resolved and qualified by the planner; the
 * review reads them with {@link ExprParser} rather than parsing the user's SQL.
 *
 * @param nodeType       e.g. "Seq Scan", "Index Scan", "Hash Join", "Sort", "Limit"
 * @param relation       the scanned table, or null
 * @param schema         its schema (VERBOSE), or null
 * @param alias          the name the plan's expressions use for it, or null
 * @param indexName      the index an index scan uses, or null
 * @param parentRelationship "Outer", "Inner", "SubPlan", "InitPlan" ..., or null at the root
 * @param subplanName    e.g. "SubPlan 1", or null
 * @param joinType       "Inner", "Left", "Anti", "Semi" ..., or null
 * @param scanDirection  "Forward", "Backward", or null
 * @param parallelAware  the node runs in parallel workers
 * @param startupCost    the planner's cost before the first row
 * @param totalCost      the planner's cost for all rows
 * @param planRows       rows per loop the planner expects (per worker below a Gather)
 * @param planWidth      average row width in bytes
 * @param workersPlanned parallel workers of a Gather, or 0
 * @param output         output expressions (VERBOSE)
 * @param conditions     Filter, Index Cond, Recheck Cond, Hash Cond, Merge Cond, Join Filter ... by name
 * @param sortKey        sort keys of a Sort, e.g. "s.created_at DESC"
 * @param actual         measured figures with ANALYZE, or null
 * @param children       the child nodes, in order
 */
public record PlanNode(String nodeType, String relation, String schema, String alias, String indexName,
                       String parentRelationship, String subplanName, String joinType, String scanDirection,
                       boolean parallelAware, double startupCost, double totalCost, double planRows, int planWidth, int workersPlanned,
                       List<String> output, Map<String, String> conditions, List<String> sortKey, Actual actual,
                       List<PlanNode> children) {

    /** The condition members a node may carry, in the order they are shown. */
    public static final List<String> CONDITION_KEYS = List.of("Index Cond", "Recheck Cond", "TID Cond",
            "Hash Cond", "Merge Cond", "Join Filter", "Filter", "One-Time Filter");

    /**
     * What ANALYZE measured for a node.
     *
     * @param totalMs           time to the last row, per loop
     * @param rows              rows per loop
     * @param loops             how often the node ran
     * @param sharedHit         shared buffers found in cache
     * @param sharedRead        shared buffers read
     * @param rowsRemovedByFilter rows a Filter discarded, all loops
     */
    public record Actual(double totalMs, double rows, double loops, long sharedHit, long sharedRead,
                         long rowsRemovedByFilter) {
    }

    /** Copies the lists: a plan does not change once read. */
    public PlanNode {
        output = List.copyOf(output);
        conditions = Map.copyOf(conditions);
        sortKey = List.copyOf(sortKey);
        children = List.copyOf(children);
    }

    /** @return this node and all below it, depth first */
    public Stream<PlanNode> stream() {
        return Stream.concat(Stream.of(this), children.stream().flatMap(PlanNode::stream));
    }

    /** @return true for a node that reads a table (sequential, index, bitmap, TID scans) */
    public boolean scansTable() {
        return relation != null && !nodeType.equals("ModifyTable");
    }

    /** @return true for a sequential scan, parallel or not */
    public boolean isSeqScan() {
        return nodeType.equals("Seq Scan");
    }

    /** @return the named condition, if the node has it */
    public Optional<String> condition(String key) {
        return Optional.ofNullable(conditions.get(key));
    }

    /** @return the child with the given parent relationship ("Outer", "Inner"), if any */
    public Optional<PlanNode> child(String relationship) {
        return children.stream().filter(c -> relationship.equals(c.parentRelationship)).findFirst();
    }

    /** @return the schema-qualified table, e.g. "public.shipments", or null */
    public String qualifiedRelation() {
        return relation == null ? null : (schema == null ? relation : schema + "." + relation);
    }

    /** @return e.g. "Seq Scan on shipments s", "Index Scan using x on shipments" */
    public String label() {
        StringBuilder b = new StringBuilder(parallelAware ? "Parallel " + nodeType : nodeType);
        if ("Backward".equals(scanDirection) && b.indexOf("Scan") >= 0) {
            b.insert(b.indexOf("Scan") + 4, " Backward");
        }
        if (indexName != null) {
            b.append(" using ").append(indexName);
        }
        if (relation != null) {
            b.append(" on ").append(relation);
            if (alias != null && !alias.equals(relation)) {
                b.append(' ').append(alias);
            }
        }
        return b.toString();
    }

    /** @return the path from this node down to {@code target}, both included, or empty */
    public List<PlanNode> pathTo(PlanNode target) {
        List<PlanNode> path = new ArrayList<>();
        return find(target, path) ? path : List.of();
    }

    private boolean find(PlanNode target, List<PlanNode> path) {
        path.add(this);
        if (this == target) {
            return true;
        }
        for (PlanNode c : children) {
            if (c.find(target, path)) {
                return true;
            }
        }
        path.remove(path.size() - 1);
        return false;
    }
}
