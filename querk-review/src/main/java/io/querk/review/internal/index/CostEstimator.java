package io.querk.review.internal.index;

import io.querk.review.internal.catalog.TableInfo;
import io.querk.review.internal.plan.PlanNode;
import io.querk.review.internal.shape.QueryShape;
import io.querk.review.internal.shape.RelationUse;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Estimates the query's cost with candidate indexes in place when HypoPG is not there to ask
 * the planner. It follows the planner's own arithmetic for an index scan (pages the index and
 * the heap are read in, Mackert-Lohman for heap pages, the leading column's correlation, the
 * visibility map for index-only scans) and puts the estimate where the plan read the table
 * (dropping a sort the index makes unnecessary, stopping at a LIMIT, turning a nested loop's
 * inner scan into lookups). It is a guide: the report labels every such figure an estimate.
 */
public final class CostEstimator {

    private CostEstimator() {
    }

    /**
     * The query's cost with the given indexes in place.
     *
     * @param shape    the query's shape (custom plan)
     * @param tables   facts per alias
     * @param indexes  one or more candidates; at most one per table is used, except an OR's branches
     * @param s        the server's cost settings
     * @return the estimate, with the node that would use the index; NaN cost when no estimate applies
     */
    public static Estimate estimate(QueryShape shape, Map<String, TableInfo> tables, List<Candidate> indexes, CostSettings s) {
        PlanNode root = shape.root();
        double saving = 0;
        String node = null;
        Set<PlanNode> replaced = new HashSet<>();
        boolean orBundle = indexes.size() > 1 && indexes.stream().map(Candidate::alias).distinct().count() == 1;
        if (orBundle) {
            RelationUse u = shape.relations().get(indexes.get(0).alias());
            TableInfo t = tables.get(u.alias());
            if (u == null || t == null) {
                return Estimate.NONE;
            }
            double cost = bitmapOr(u, t, indexes, s);
            PlanNode old = parallelTop(root, u.scan());
            if (cost >= old.totalCost()) {
                return Estimate.NONE;
            }
            return new Estimate(root.totalCost() - old.totalCost() + cost, "Bitmap Heap Scan on " + u.table()
                    + " (BitmapOr of {0} and {1})");
        }
        if (indexes.size() == 1) {
            Estimate or = orWithExisting(shape, tables, indexes.get(0), s);
            if (or != null) {
                return or;
            }
        }
        for (Candidate c : indexes) {
            RelationUse u = shape.relations().get(c.alias());
            TableInfo t = u == null ? null : tables.get(u.alias());
            if (u == null || t == null) {
                continue;
            }
            Replacement r = replacement(root, u, t, c, s);
            if (r == null || replaced.contains(r.old) || r.cost >= r.old.totalCost()) {
                continue;
            }
            replaced.add(r.old);
            saving += r.old.totalCost() - r.cost;
            if (node == null) {
                node = r.node;
            }
        }
        if (node == null) {
            return Estimate.NONE;
        }
        return new Estimate(Math.max(root.totalCost() - saving, 0.01), node);
    }

    /**
     * An estimated cost.
     *
     * @param cost the query's total cost, NaN if no estimate applies
     * @param node the plan node expected to use the index, e.g. "Index Scan on shipments", or null
     */
    public record Estimate(double cost, String node) {
        /** No estimate. */
        public static final Estimate NONE = new Estimate(Double.NaN, null);
    }

    private record Replacement(PlanNode old, double cost, String node) {
    }

    /**
     * A candidate for one branch of an OR whose other branches existing indexes serve: together
     * they make a BitmapOr.
     */
    private static Estimate orWithExisting(QueryShape shape, Map<String, TableInfo> tables, Candidate c, CostSettings s) {
        RelationUse u = shape.relations().get(c.alias());
        TableInfo t = u == null ? null : tables.get(c.alias());
        if (t == null || c.keys().isEmpty()) {
            return null;
        }
        for (var e : u.restrictions()) {
            if (!(e instanceof io.querk.review.internal.plan.Expr.Bool b && b.or())) {
                continue;
            }
            List<Candidate> branches = new ArrayList<>();
            boolean mine = false;
            for (var term : b.terms()) {
                Pred p = Pred.of(term, u.alias());
                String key = p.keyText();
                if (key == null) {
                    branches = null;
                    break;
                }
                if (key.equals(c.keys().get(0).text())) {
                    mine = true;
                    branches.add(c);
                } else if (t.indexes().stream().anyMatch(ix -> ix.valid() && key.equals(ix.leadingColumn()))) {
                    branches.add(new Candidate(c.schema(), c.table(), c.alias(), "btree",
                            List.of(new Candidate.Key(key, null, false, null)), List.of(), null, null, "", java.util.Set.of()));
                } else {
                    branches = null;
                    break;
                }
            }
            if (branches != null && mine) {
                double cost = bitmapOr(u, t, branches, s);
                PlanNode old = parallelTop(shape.root(), u.scan());
                if (cost < old.totalCost()) {
                    return new Estimate(shape.root().totalCost() - old.totalCost() + cost,
                            "Bitmap Heap Scan on " + u.table() + " (BitmapOr of {0} and existing indexes)");
                }
            }
        }
        return null;
    }

    private static Replacement replacement(PlanNode root, RelationUse u, TableInfo t, Candidate c, CostSettings s) {
        List<Pred> preds = u.restrictions().stream().map(e -> Pred.of(e, u.alias())).toList();
        if (c.predicate() != null && preds.stream().noneMatch(p -> CandidateGenerator.unwrap(p.source().sql(u.alias()))
                .equals(c.predicate()))) {
            return null;
        }
        if (c.method().equals("gin")) {
            double rows = Math.max(1, u.rowsOut());
            double cost = gin(t, rows, s);
            PlanNode old = parallelTop(root, u.scan());
            return new Replacement(old, cost, "Bitmap Heap Scan on " + u.table() + " (Bitmap Index Scan on {0})");
        }
        String lead = c.keys().get(0).column();
        RelationUse.JoinClause join = u.joins().stream().filter(j -> j.column().equals(lead)).findFirst().orElse(null);
        Matched m = match(c, preds, t, u);
        if (join != null) {
            double nd = t.column(lead).map(ci -> ci.stats() == null ? t.rows() / 10 : ci.stats().distinct(t.rows()))
                    .orElse(t.rows() / 10);
            double sel = Math.min(1, m.selectivity / nd);
            double lookup = indexScan(t, c, sel, m, u, s);
            if (u.innerOfNestedLoop() != null) {
                PlanNode nl = u.innerOfNestedLoop();
                PlanNode outer = nl.child("Outer").orElse(null);
                if (outer == null) {
                    return null;
                }
                double cost = outer.totalCost() + u.loops() * lookup + u.loops() * Math.max(1, sel * t.rows()) * s.cpuTupleCost();
                return new Replacement(nl, cost, scanLabel(c, m, u) + " (nested loop inner)");
            }
            PlanNode hash = hashJoinOf(root, u.scan());
            if (hash != null) {
                PlanNode other = otherSide(hash, u.scan());
                if (other != null) {
                    double outerRows = Math.max(1, other.planRows());
                    double cost = other.totalCost() + outerRows * lookup + outerRows * Math.max(1, sel * t.rows()) * s.cpuTupleCost();
                    return new Replacement(hash, cost, scanLabel(c, m, u) + " (nested loop inner)");
                }
            }
            return null;
        }
        if (m.matched == 0 && !m.providesOrder) {
            return null;
        }
        double scan = indexScan(t, c, m.selectivity, m, u, s);
        String label = scanLabel(c, m, u);
        if (m.providesOrder && u.sortNode() != null) {
            if (u.sortFeedsLimit()) {
                PlanNode limit = limitAbove(root, u.sortNode());
                // In index order, the scan stops once the LIMIT has its rows: it reads the share
                // of its rows that the LIMIT keeps of those passing every filter.
                double filtered = Math.max(1, u.rowsOut());
                double first = scan * Math.min(1, Math.max(1, u.limitRows()) / filtered);
                if (limit != null) {
                    return new Replacement(limit, Math.max(first, 0.01), label);
                }
            }
            return new Replacement(u.sortNode(), scan, label);
        }
        return new Replacement(parallelTop(root, u.scan()), scan, label);
    }

    /** What of the query an index's keys serve. */
    private record Matched(int matched, double selectivity, boolean providesOrder, int remainingQuals, double partialShare) {
    }

    private static Matched match(Candidate c, List<Pred> preds, TableInfo t, RelationUse u) {
        double sel = 1;
        int matched = 0;
        int i = 0;
        List<Pred> used = new ArrayList<>();
        for (; i < c.keys().size(); i++) {
            Candidate.Key k = c.keys().get(i);
            Pred eq = preds.stream().filter(p -> p.isEquality() && k.text().equals(p.keyText())).findFirst().orElse(null);
            if (eq == null) {
                break;
            }
            sel *= Selectivity.of(eq, t);
            used.add(eq);
            matched++;
        }
        int afterEq = i;
        // Only a plain '=' holds a column to one value for the planner's sort order: IS NULL and
        // = ANY narrow the scan but leave the next key's order unknown to it.
        int orderPrefix = 0;
        while (orderPrefix < afterEq && "=".equals(used.get(orderPrefix).op())) {
            orderPrefix++;
        }
        if (i < c.keys().size()) {
            Candidate.Key k = c.keys().get(i);
            List<Pred> ranges = preds.stream().filter(p -> (p.kind() == Pred.Kind.RANGE || p.kind() == Pred.Kind.EXPR_RANGE
                    || (p.kind() == Pred.Kind.PREFIX && k.opclass() != null)) && k.text().equals(p.keyText())).toList();
            for (Pred r : ranges) {
                sel *= Selectivity.of(r, t);
                used.add(r);
                matched++;
            }
        }
        double partialShare = 1;
        if (c.predicate() != null) {
            for (Pred p : preds) {
                if (CandidateGenerator.unwrap(p.source().sql(c.alias())).equals(c.predicate()) && !used.contains(p)) {
                    partialShare = Selectivity.of(p, t);
                    sel *= partialShare;
                    used.add(p);
                    matched++;
                }
            }
        }
        if (!used.isEmpty() && used.size() == preds.size()) {
            // The index serves every condition on the table: the planner's own row estimate is the better one.
            sel = Math.max(u.rowsOut(), 1) / t.rows();
        }
        return new Matched(matched, Math.max(sel, 1 / t.rows()), providesOrder(c, orderPrefix, u), preds.size() - used.size(),
                partialShare);
    }

    /** Whether the keys after the equality prefix are the sort, in one direction or its reverse throughout. */
    static boolean providesOrder(Candidate c, int afterEq, RelationUse u) {
        if (u.sortKeys().isEmpty() || !c.method().equals("btree")) {
            return false;
        }
        List<Candidate.Key> rest = new ArrayList<>(c.keys().subList(afterEq, c.keys().size()));
        int k = 0;
        Boolean flipped = null;
        for (var sk : u.sortKeys()) {
            String text = sk.expr() instanceof io.querk.review.internal.plan.Expr.Col col ? col.name()
                    : CandidateGenerator.unwrap(sk.expr().sql(u.alias()));
            // A sort key held equal by the index's prefix is satisfied already.
            boolean heldEqual = c.keys().subList(0, afterEq).stream().anyMatch(x -> x.text().equals(text));
            if (heldEqual) {
                continue;
            }
            if (k >= rest.size() || !rest.get(k).text().equals(text)) {
                return false;
            }
            boolean f = rest.get(k).descending() != sk.descending();
            if (flipped != null && flipped != f) {
                return false;
            }
            flipped = f;
            k++;
        }
        return true;
    }

    private static double indexScan(TableInfo t, Candidate c, double sel, Matched m, RelationUse u, CostSettings s) {
        double n = t.rows();
        double pages = Math.max(1, t.relpages());
        double tuples = Math.max(1, sel * n);
        double indexRows = Math.max(1, n * m.partialShare());
        double keyBytes = 0;
        for (Candidate.Key k : c.keys()) {
            keyBytes += k.column() == null ? 8 : t.column(k.column()).map(ci -> ci.stats() == null ? 8 : ci.stats().avgWidth()).orElse(8);
        }
        for (String inc : c.include()) {
            keyBytes += t.column(inc).map(ci -> ci.stats() == null ? 8 : ci.stats().avgWidth()).orElse(8);
        }
        double indexPages = Math.max(1, Math.ceil(indexRows * (keyBytes + 16) / (8192 * 0.9)));
        double descent = Math.ceil(Math.log(Math.max(indexRows, 2)) / Math.log(2)) * s.cpuOperatorCost()
                + 50 * s.cpuOperatorCost() * (Math.ceil(Math.log(Math.max(indexPages, 2)) / Math.log(256)) + 1);
        double indexTuples = tuples;
        double indexIo = Math.ceil(indexTuples * indexPages / Math.max(indexRows, 1)) * s.randomPageCost();
        double indexCpu = indexTuples * (s.cpuIndexTupleCost() + s.cpuOperatorCost() * Math.max(1, m.matched()));
        double pf = Math.min(2 * tuples * pages / (2 * pages + tuples), pages);
        double maxIo = pf * s.randomPageCost();
        double minPages = Math.ceil(sel * pages);
        double minIo = s.randomPageCost() + Math.max(0, minPages - 1) * s.seqPageCost();
        String lead = c.keys().get(0).column();
        double corr = lead == null ? 0 : t.column(lead).map(ci -> ci.stats() == null ? 0 : ci.stats().correlation()).orElse(0.0);
        double heapIo = maxIo + corr * corr * (minIo - maxIo);
        if (indexOnly(c, u)) {
            heapIo *= 1 - Math.min(1, (double) t.allVisible() / pages);
        }
        double cpu = tuples * (s.cpuTupleCost() + m.remainingQuals() * s.cpuOperatorCost());
        return descent + indexIo + indexCpu + heapIo + cpu;
    }

    private static double gin(TableInfo t, double rows, CostSettings s) {
        double pages = Math.max(1, t.relpages());
        double pf = Math.min(2 * rows * pages / (2 * pages + rows), pages);
        double perPage = s.randomPageCost() - (s.randomPageCost() - s.seqPageCost()) * Math.sqrt(pf / pages);
        // A trigram search reads a few posting lists per trigram and rechecks every candidate row.
        double index = s.randomPageCost() * (8 + rows / 200) + rows * 4 * s.cpuIndexTupleCost();
        return index + pf * perPage + rows * (s.cpuTupleCost() + 4 * s.cpuOperatorCost());
    }

    private static double bitmapOr(RelationUse u, TableInfo t, List<Candidate> branches, CostSettings s) {
        double index = 0;
        double rows = Math.max(1, u.rowsOut());
        for (Candidate c : branches) {
            index += c.method().equals("gin") ? s.randomPageCost() * (8 + rows / 200)
                    : s.randomPageCost() * (3 + rows / branches.size() / 300) + rows / branches.size() * s.cpuIndexTupleCost();
        }
        double pages = Math.max(1, t.relpages());
        double pf = Math.min(2 * rows * pages / (2 * pages + rows), pages);
        double perPage = s.randomPageCost() - (s.randomPageCost() - s.seqPageCost()) * Math.sqrt(pf / pages);
        return index + pf * perPage + rows * (s.cpuTupleCost() + 2 * s.cpuOperatorCost());
    }

    private static boolean indexOnly(Candidate c, RelationUse u) {
        if (!c.method().equals("btree") || u.neededColumns().contains("*")) {
            return false;
        }
        Set<String> carried = new HashSet<>(c.include());
        c.keys().forEach(k -> {
            if (k.column() != null) {
                carried.add(k.column());
            }
        });
        return carried.containsAll(u.neededColumns());
    }

    private static String scanLabel(Candidate c, Matched m, RelationUse u) {
        return (indexOnly(c, u) ? "Index Only Scan" : "Index Scan") + " using {0} on " + u.table();
    }

    /** The scan, or the Gather above it when the scan runs in parallel. */
    static PlanNode parallelTop(PlanNode root, PlanNode scan) {
        List<PlanNode> path = root.pathTo(scan);
        for (int i = path.size() - 2; i >= 0; i--) {
            PlanNode p = path.get(i);
            if (p.nodeType().startsWith("Gather")) {
                return p;
            }
            if (!p.nodeType().equals("Hash") && !p.nodeType().equals("Materialize")) {
                break;
            }
        }
        return scan;
    }

    private static PlanNode hashJoinOf(PlanNode root, PlanNode scan) {
        List<PlanNode> path = root.pathTo(scan);
        for (int i = path.size() - 2; i >= 0; i--) {
            PlanNode p = path.get(i);
            if (p.nodeType().equals("Hash Join") || p.nodeType().equals("Merge Join")) {
                return p;
            }
            if (!Set.of("Hash", "Gather", "Sort", "Materialize").contains(p.nodeType())) {
                return null;
            }
        }
        return null;
    }

    private static PlanNode otherSide(PlanNode join, PlanNode scan) {
        for (PlanNode ch : join.children()) {
            if (ch.stream().noneMatch(n -> n == scan)) {
                return ch;
            }
        }
        return null;
    }

    private static PlanNode limitAbove(PlanNode root, PlanNode sort) {
        List<PlanNode> path = root.pathTo(sort);
        for (int i = path.size() - 2; i >= 0; i--) {
            if (path.get(i).nodeType().equals("Limit")) {
                return path.get(i);
            }
        }
        return null;
    }
}
