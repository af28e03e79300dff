package io.querk.review.internal.shape;

import io.querk.review.internal.plan.Expr;
import io.querk.review.internal.plan.ExprParser;
import io.querk.review.internal.plan.Exprs;
import io.querk.review.internal.plan.PlanNode;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The query's structure as its plan shows it: one {@link RelationUse} per table read, and which
 * column each parameter is compared with.
 *
 * @param root       the plan's top node
 * @param relations  per alias, in plan order
 * @param parameters per parameter number, the comparison it takes part in
 * @param writes     the statement writes or locks rows (ModifyTable, LockRows)
 */
public record QueryShape(PlanNode root, Map<String, RelationUse> relations, Map<Integer, ParamUse> parameters,
                         boolean writes) {

    /** Copies the maps. */
    public QueryShape {
        relations = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(relations));
        parameters = Map.copyOf(parameters);
    }

    /**
     * A parameter compared with a column: {@code alias.column op $n}, with the column on the left.
     *
     * @param alias  the table's alias
     * @param column the column
     * @param op     the operator, column on the left ({@code =}, {@code <}, {@code ~~} ...)
     */
    public record ParamUse(String alias, String column, String op) {
    }

    /** Nodes a row order passes through unchanged, and a LIMIT may sit above. */
    private static final Set<String> ORDER_PRESERVING = Set.of("Gather Merge", "Result", "Subquery Scan", "Materialize",
            "Memoize", "Unique", "Limit", "Incremental Sort");

    /**
     * @param root a plan read with VERBOSE, so that expressions are qualified
     * @return its shape
     */
    public static QueryShape of(PlanNode root) {
        List<PlanNode> scans = root.stream().filter(n -> n.scansTable() && n.alias() != null).toList();
        Set<String> aliases = new LinkedHashSet<>();
        scans.forEach(s -> aliases.add(s.alias()));
        String onlyAlias = aliases.size() == 1 ? aliases.iterator().next() : null;
        boolean writes = root.stream().anyMatch(n -> n.nodeType().equals("ModifyTable") || n.nodeType().equals("LockRows"));

        Map<String, List<Expr>> restrictions = new LinkedHashMap<>();
        Map<String, List<RelationUse.JoinClause>> joins = new LinkedHashMap<>();
        Map<Integer, ParamUse> params = new LinkedHashMap<>();
        Set<String> seen = new HashSet<>();

        for (PlanNode n : root.stream().toList()) {
            String own = n.scansTable() ? n.alias() : null;
            for (Expr e : conditions(n)) {
                for (Expr c : Exprs.conjuncts(e)) {
                    Expr q = qualify(c, own != null ? own : onlyAlias);
                    collectParams(q, params);
                    List<String> qs = Exprs.qualifiers(q);
                    if (qs.size() == 1 && qs.get(0) != null && aliases.contains(qs.get(0))) {
                        if (seen.add(qs.get(0) + "\u0000" + q.sql())) {
                            restrictions.computeIfAbsent(qs.get(0), k -> new ArrayList<>()).add(q);
                        }
                    } else if (qs.size() == 2 && q instanceof Expr.Op op && op.op().equals("=")) {
                        join(op.left(), op.right(), n, joins);
                        join(op.right(), op.left(), n, joins);
                    }
                }
            }
        }

        Map<String, RelationUse> relations = new LinkedHashMap<>();
        for (PlanNode scan : scans) {
            String a = scan.alias();
            if (relations.containsKey(a)) {
                continue;
            }
            Sorting sorting = sorting(root, scan, a, onlyAlias);
            PlanNode nl = innerNestedLoop(root, scan);
            double loops = nl == null ? 1 : Math.max(1, rows(root, nl.child("Outer").orElse(nl)));
            relations.put(a, new RelationUse(a, scan.schema() == null ? "public" : scan.schema(), scan.relation(), scan,
                    restrictions.getOrDefault(a, List.of()), joins.getOrDefault(a, List.of()), sorting.keys,
                    sorting.limit != null, sorting.sort, sorting.limit == null ? 0 : sorting.limit.planRows(),
                    writes ? Set.of("*") : needed(root, scan, a, onlyAlias), rows(root, scan), loops, nl));
        }
        return new QueryShape(root, relations, params, writes);
    }

    /** @return the relation an alias names, if the plan reads it */
    public Optional<RelationUse> relation(String alias) {
        return Optional.ofNullable(relations.get(alias));
    }

    /** @return every condition of a node, parsed; a bitmap heap scan's index conditions come from its children */
    static List<Expr> conditions(PlanNode n) {
        List<Expr> out = new ArrayList<>();
        for (String k : PlanNode.CONDITION_KEYS) {
            n.condition(k).ifPresent(text -> out.add(ExprParser.parse(text)));
        }
        if (n.nodeType().equals("Bitmap Heap Scan")) {
            n.stream().skip(1).filter(c -> c.nodeType().equals("Bitmap Index Scan"))
                    .forEach(c -> c.condition("Index Cond").ifPresent(t -> out.add(qualify(ExprParser.parse(t), n.alias()))));
        }
        return out;
    }

    /** Gives unqualified columns the alias of the node they appear in. */
    static Expr qualify(Expr e, String alias) {
        if (alias == null) {
            return e;
        }
        return ColumnMapper.columns(e, c -> c.qualifier() == null ? new Expr.Col(alias, c.name()) : c);
    }

    private static void collectParams(Expr e, Map<Integer, ParamUse> params) {
        Exprs.walk(e).forEach(x -> {
            if (x instanceof Expr.Op op && op.left() instanceof Expr.Items l && op.right() instanceof Expr.Items r
                    && l.items().size() == r.items().size()) {
                // A row comparison, (a, b) < ($1, $2): each parameter against its column.
                for (int i = 0; i < l.items().size(); i++) {
                    bindParam(l.items().get(i), r.items().get(i), op.op(), params);
                    bindParam(r.items().get(i), l.items().get(i), flip(op.op()), params);
                }
            } else if (x instanceof Expr.Op op && op.left() != null) {
                bindParam(op.left(), op.right(), op.op(), params);
                bindParam(op.right(), op.left(), flip(op.op()), params);
            } else if (x instanceof Expr.AnyAll a && a.left() instanceof Expr.Col c) {
                if (strip(a.array()) instanceof Expr.Param p) {
                    params.putIfAbsent(p.n(), new ParamUse(c.qualifier(), c.name(), a.op() + " ANY"));
                }
            }
        });
    }

    private static void bindParam(Expr colSide, Expr paramSide, String op, Map<Integer, ParamUse> params) {
        if (strip(colSide) instanceof Expr.Col c && strip(paramSide) instanceof Expr.Param p && op != null) {
            params.putIfAbsent(p.n(), new ParamUse(c.qualifier(), c.name(), op));
        }
    }

    /** @return the expression without casts around it */
    public static Expr strip(Expr e) {
        while (e instanceof Expr.Cast c) {
            e = c.expr();
        }
        return e;
    }

    /**
     * @param op a comparison operator
     * @return the operator with its operands swapped, or null if it has none
     */
    public static String flip(String op) {
        return switch (op) {
            case "=", "<>", "!=" -> op;
            case "<" -> ">";
            case ">" -> "<";
            case "<=" -> ">=";
            case ">=" -> "<=";
            default -> null;
        };
    }

    private static void join(Expr mine, Expr other, PlanNode n, Map<String, List<RelationUse.JoinClause>> joins) {
        if (strip(mine) instanceof Expr.Col c && c.qualifier() != null) {
            List<String> oq = Exprs.qualifiers(other);
            if (oq.size() == 1 && oq.get(0) != null && !oq.get(0).equals(c.qualifier())) {
                List<RelationUse.JoinClause> l = joins.computeIfAbsent(c.qualifier(), k -> new ArrayList<>());
                if (l.stream().noneMatch(j -> j.column().equals(c.name()) && j.otherAlias().equals(oq.get(0)))) {
                    l.add(new RelationUse.JoinClause(c.name(), other, oq.get(0), n));
                }
            }
        }
    }

    private record Sorting(List<ExprParser.SortKey> keys, PlanNode sort, PlanNode limit) {
    }

    /** The lowest Sort above the scan whose keys are all this table's, reached through order-keeping nodes. */
    private static Sorting sorting(PlanNode root, PlanNode scan, String alias, String onlyAlias) {
        List<PlanNode> path = root.pathTo(scan);
        for (int i = path.size() - 2; i >= 0; i--) {
            PlanNode n = path.get(i);
            if (n.nodeType().equals("Sort") || n.nodeType().equals("Incremental Sort")) {
                List<ExprParser.SortKey> keys = new ArrayList<>();
                for (String k : n.sortKey()) {
                    ExprParser.SortKey sk = ExprParser.parseSortKey(k);
                    Expr q = qualify(sk.expr(), onlyAlias);
                    List<String> qs = Exprs.qualifiers(q);
                    if (Exprs.hasOpaque(q) || qs.size() != 1 || !alias.equals(qs.get(0))) {
                        return new Sorting(List.of(), null, null);
                    }
                    keys.add(new ExprParser.SortKey(q, sk.descending(), sk.defaultNulls()));
                }
                if (!orderReaches(path.subList(i + 1, path.size()))) {
                    return new Sorting(List.of(), null, null);
                }
                PlanNode limit = null;
                for (int j = i - 1; j >= 0; j--) {
                    PlanNode up = path.get(j);
                    if (up.nodeType().equals("Limit")) {
                        limit = up;
                        break;
                    }
                    if (!ORDER_PRESERVING.contains(up.nodeType()) && !up.nodeType().equals("Gather")) {
                        break;
                    }
                }
                return new Sorting(keys, n, limit);
            }
        }
        return new Sorting(List.of(), null, null);
    }

    /**
     * An index's order reaches the Sort if every node between passes rows through in order: a
     * nested loop does so for its outer side.
     */
    private static boolean orderReaches(List<PlanNode> below) {
        for (int i = 0; i < below.size() - 1; i++) {
            PlanNode n = below.get(i);
            PlanNode next = below.get(i + 1);
            boolean ok = ORDER_PRESERVING.contains(n.nodeType()) || n.nodeType().equals("Gather")
                    || n.nodeType().equals("Hash Join") && "Outer".equals(next.parentRelationship())
                    || n.nodeType().equals("Nested Loop") && "Outer".equals(next.parentRelationship());
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** @return the nested loop whose inner side holds the scan, directly or below a Materialize */
    private static PlanNode innerNestedLoop(PlanNode root, PlanNode scan) {
        List<PlanNode> path = root.pathTo(scan);
        for (int i = path.size() - 2; i >= 0; i--) {
            PlanNode n = path.get(i);
            PlanNode below = path.get(i + 1);
            if (n.nodeType().equals("Nested Loop")) {
                return "Inner".equals(below.parentRelationship()) ? n : null;
            }
            if (!Set.of("Materialize", "Memoize", "Hash", "Gather", "Result").contains(n.nodeType())) {
                return null;
            }
        }
        return null;
    }

    /** Rows a node produces in all: per-worker estimates below a Gather are multiplied back. */
    public static double rows(PlanNode root, PlanNode n) {
        List<PlanNode> path = root.pathTo(n);
        for (int i = path.size() - 2; i >= 0; i--) {
            PlanNode p = path.get(i);
            if (p.nodeType().equals("Gather") || p.nodeType().equals("Gather Merge")) {
                int w = p.workersPlanned();
                double leader = Math.max(0, 1.0 - 0.3 * w);
                return n.planRows() * (w + leader);
            }
        }
        return n.planRows();
    }

    /** Every column of the table the query reads above or in its scan. */
    private static Set<String> needed(PlanNode root, PlanNode scan, String alias, String onlyAlias) {
        Set<String> cols = new LinkedHashSet<>();
        for (PlanNode n : root.stream().toList()) {
            boolean own = n == scan;
            List<Expr> exprs = new ArrayList<>(conditions(n));
            if (!own || n == root) {
                n.output().forEach(o -> exprs.add(ExprParser.parse(o)));
            }
            n.sortKey().forEach(k -> exprs.add(ExprParser.parseSortKey(k).expr()));
            for (Expr e : exprs) {
                Expr q = qualify(e, own ? alias : onlyAlias);
                if (Exprs.hasOpaque(q) && Exprs.qualifiers(q).isEmpty() && (own || alias.equals(onlyAlias))) {
                    // Something unreadable that may read this table, e.g. a whole-row reference: no index-only scan.
                    cols.add("*");
                }
                for (Expr.Col c : q.columns()) {
                    if (alias.equals(c.qualifier())) {
                        cols.add(c.name());
                    }
                }
            }
            if (!own && n.output().stream().anyMatch(o -> o.equals(alias + ".*") || o.equals(alias))) {
                cols.add("*");
            }
        }
        return cols;
    }
}
