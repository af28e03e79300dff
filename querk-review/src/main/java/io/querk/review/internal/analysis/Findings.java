package io.querk.review.internal.analysis;

import io.querk.review.Finding;
import io.querk.review.FindingKind;
import io.querk.review.internal.catalog.TableInfo;
import io.querk.review.internal.index.CandidateGenerator;
import io.querk.review.internal.index.Pred;
import io.querk.review.internal.index.Selectivity;
import io.querk.review.internal.plan.Expr;
import io.querk.review.internal.plan.PlanNode;
import io.querk.review.internal.shape.QueryShape;
import io.querk.review.internal.shape.RelationUse;
import io.querk.review.internal.sql.SqlText;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** What makes the query slow, read from its plan, its tables' catalog facts and its text. */
public final class Findings {

    /** A scan keeping at most this share of a table's rows is selective. */
    static final double SELECTIVE = 0.05;
    /** A sort is wasted on a LIMIT when it sorts at least this many times the rows the LIMIT keeps. */
    static final double SORT_WASTE = 10;

    private Findings() {
    }

    /**
     * @param shape  the query's shape, from its plan with values
     * @param tables facts per alias
     * @param text   the query's text
     * @return the findings, the costliest part of the plan first
     */
    public static List<Finding> of(QueryShape shape, Map<String, TableInfo> tables, SqlText text) {
        List<Finding> out = new ArrayList<>();
        PlanNode root = shape.root();
        double total = Math.max(root.totalCost(), 1e-9);
        for (RelationUse u : shape.relations().values()) {
            TableInfo t = tables.get(u.alias());
            if (t == null) {
                continue;
            }
            String name = t.sqlName();
            if (!t.analyzed()) {
                out.add(new Finding(FindingKind.MISSING_STATISTICS, name, name + " has never been analyzed: the planner"
                        + " guesses its size and every condition's selectivity, and so does this review. Run ANALYZE "
                        + name + " (autovacuum does it once enough rows change) and review again.", 1.0));
            }
            double share = Math.min(1, u.scan().totalCost() * Math.max(1, u.loops()) / total);
            List<Pred> preds = u.restrictions().stream().map(e -> Pred.of(e, u.alias())).toList();
            String filter = u.restrictions().stream().map(Expr::sql).collect(Collectors.joining(" AND "));
            if (u.scan().isSeqScan() && !u.restrictions().isEmpty() && t.rows() >= CandidateGenerator.MIN_ROWS) {
                double kept = Math.max(u.rowsOut(), 1) / t.rows();
                if (kept <= SELECTIVE && u.innerOfNestedLoop() == null) {
                    out.add(new Finding(FindingKind.SEQ_SCAN_SELECTIVE_FILTER, name, "Seq Scan on " + name + " reads all ~"
                            + count(t.rows()) + " rows to keep ~" + count(Math.max(u.rowsOut(), 1)) + " (" + percent(kept)
                            + ") matching " + filter + ".", share));
                }
            }
            if (u.sortNode() != null && u.sortFeedsLimit()) {
                double sorted = Math.max(sortInput(root, u.sortNode()), 1);
                double limit = Math.max(u.limitRows(), 1);
                if (sorted >= SORT_WASTE * limit && sorted >= 100) {
                    String keys = u.sortKeys().stream().map(k -> k.expr().sql(u.alias()) + (k.descending() ? " DESC" : ""))
                            .collect(Collectors.joining(", "));
                    out.add(new Finding(FindingKind.SORT_FEEDS_LIMIT, name, "A Sort of ~" + count(sorted) + " rows feeds a"
                            + " LIMIT that keeps " + count(limit) + ": every matching row of " + name + " is read and sorted"
                            + " by " + keys + " to return the first few. An index in that order returns them in order"
                            + " and stops after " + count(limit) + ".", Math.min(1, u.sortNode().totalCost() / total)));
                }
            }
            if (u.innerOfNestedLoop() != null && u.scan().isSeqScan() && u.loops() > 1 && t.rows() >= CandidateGenerator.MIN_ROWS) {
                out.add(new Finding(FindingKind.NESTED_LOOP_INNER_SEQ_SCAN, name, "The inner side of a Nested Loop scans "
                        + name + " (~" + count(t.rows()) + " rows) sequentially once per outer row, ~" + count(u.loops())
                        + " times" + (u.joins().isEmpty() ? "." : ", to find rows where "
                        + u.joins().stream().map(j -> j.column() + " = " + j.other().sql()).collect(Collectors.joining(" AND "))
                        + "."), Math.min(1, u.innerOfNestedLoop().totalCost() / total)));
            }
            for (RelationUse.JoinClause j : u.joins()) {
                for (TableInfo.ForeignKey fk : t.foreignKeys()) {
                    if (fk.columns().size() == 1 && fk.columns().get(0).equals(j.column())
                            && t.indexes().stream().noneMatch(ix -> ix.valid() && j.column().equals(ix.leadingColumn()))) {
                        out.add(new Finding(FindingKind.UNINDEXED_FOREIGN_KEY_JOIN, name, "The join on " + name + "."
                                + j.column() + " = " + j.other().sql() + " follows foreign key " + fk.name() + " to "
                                + fk.referencedTable() + ", but no index of " + name + " starts with " + j.column()
                                + ": the join cannot look rows up by it, and every DELETE or key UPDATE on "
                                + fk.referencedTable() + " scans " + name + " to check it.", share));
                    }
                }
            }
            for (Pred p : preds) {
                findingsOf(p, u, t, name, share, text, out);
                if (p.kind() == Pred.Kind.OR) {
                    // A pattern inside an OR branch defeats a b-tree just the same.
                    for (Expr term : ((Expr.Bool) p.source()).terms()) {
                        Pred b = Pred.of(term, u.alias());
                        if (b.kind() == Pred.Kind.CONTAINS) {
                            findingsOf(b, u, t, name, share, text, out);
                        }
                    }
                }
            }
        }
        notIn(root, text, out);
        offset(root, text, out);
        Set<String> seen = new LinkedHashSet<>();
        return out.stream().filter(f -> seen.add(f.kind() + "|" + f.message()))
                .sorted(Comparator.comparingDouble(Finding::costShare).reversed()).toList();
    }

    private static void findingsOf(Pred p, RelationUse u, TableInfo t, String name, double share, SqlText text,
                                   List<Finding> out) {
        String cond = CandidateGenerator.unwrap(p.source().sql(u.alias()));
        if (p.kind() == Pred.Kind.CONTAINS) {
            String pattern = Selectivity.text(p.value());
            boolean leading = pattern != null && (pattern.startsWith("%") || pattern.startsWith("_"));
            out.add(new Finding(FindingKind.LEADING_WILDCARD_LIKE, name, cond + (leading
                    ? " starts with a wildcard: a b-tree index cannot search it, so every row of " + name + " is tested."
                    : " is case-insensitive: a b-tree index on " + p.column() + " cannot search it.")
                    + " A trigram index (pg_trgm, gin_trgm_ops) can.", share));
        }
        if ((p.kind() == Pred.Kind.EXPR_EQ || p.kind() == Pred.Kind.EXPR_RANGE) && p.column() != null) {
            boolean implicit = p.castTo() != null && !explicitCast(text, p.column());
            TableInfo.ColumnInfo col = t.column(p.column()).orElse(null);
            List<String> indexed = t.indexes().stream().filter(ix -> ix.valid() && p.column().equals(ix.leadingColumn()))
                    .map(TableInfo.ExistingIndex::name).toList();
            if (implicit) {
                out.add(new Finding(FindingKind.IMPLICIT_CAST_DEFEATS_INDEX, name, p.column() + " is "
                        + (col == null ? "of another type" : col.type()) + " but is compared as " + p.castTo() + " (" + cond
                        + "): the cast applies to every row's " + p.column() + ", so no index on " + p.column()
                        + (indexed.isEmpty() ? "" : " (such as " + indexed.get(0) + ")") + " can be searched. Compare with a "
                        + (col == null ? "value of the column's type" : col.type() + " value") + " instead.", share));
            } else if (!indexed.isEmpty()) {
                out.add(new Finding(FindingKind.FUNCTION_WRAPS_INDEXED_COLUMN, name, cond + " wraps " + p.column()
                        + ", which index " + indexed.get(0) + " holds: the index has " + p.column() + ", not "
                        + p.expression() + ", so it cannot be searched. Write the condition on " + p.column()
                        + " itself, or index the expression.", share));
            }
        }
        if (p.kind() == Pred.Kind.OR && u.scan().isSeqScan()) {
            Expr.Bool or = (Expr.Bool) p.source();
            Set<String> cols = new LinkedHashSet<>();
            or.terms().forEach(term -> term.columns().forEach(c -> cols.add(c.name())));
            if (cols.size() > 1) {
                out.add(new Finding(FindingKind.OR_ACROSS_COLUMNS, name, cond + " spans " + String.join(", ", cols)
                        + ": no single index serves it, so " + name + " is scanned whole. Index each branch's column"
                        + " (the planner combines them with a BitmapOr), or split the query into UNION ALL.", share));
            }
        }
    }

    /** A NOT IN over a subquery, as the text writes it and the plan runs it (a SubPlan per row or hashed). */
    private static void notIn(PlanNode root, SqlText text, List<Finding> out) {
        List<SqlText.Token> t = text.tokens();
        for (int i = 0; i + 3 < t.size(); i++) {
            if (t.get(i).is("not") && t.get(i + 1).is("in") && t.get(i + 2).isPunct("(")
                    && (t.get(i + 3).is("select") || t.get(i + 3).is("with") || t.get(i + 3).is("values") || t.get(i + 3).is("table"))) {
                int close = text.closing(i + 2);
                String sub = close > 0 ? text.text(i + 3, close) : "...";
                boolean hashed = root.stream().anyMatch(n -> n.conditions().values().stream().anyMatch(c -> c.contains("hashed SubPlan")));
                out.add(new Finding(FindingKind.NOT_IN_SUBQUERY, null, "NOT IN (" + abbreviate(sub, 80) + ") cannot be"
                        + " planned as an anti-join: PostgreSQL runs the subquery as a " + (hashed ? "hashed SubPlan, kept in"
                        + " memory (and re-run for every row if it outgrows work_mem)" : "SubPlan for every row") + "; and a"
                        + " single NULL in its result makes the condition unknown for every row. NOT EXISTS is planned as an"
                        + " anti-join.", 0.9));
                return;
            }
        }
    }

    private static void offset(PlanNode root, SqlText text, List<Finding> out) {
        int at = text.find(0, 0, "offset");
        if (at < 0 || at + 1 >= text.tokens().size()) {
            return;
        }
        SqlText.Token v = text.tokens().get(at + 1);
        String what = v.kind() == SqlText.Kind.NUMBER ? v.text() : "n";
        out.add(new Finding(FindingKind.OFFSET_PAGINATION, null, "OFFSET " + what + " reads and throws away " + what
                + " rows before it returns the page" + (v.kind() == SqlText.Kind.NUMBER ? " (" + count(Double.parseDouble(v.text()))
                + " rows on this page)" : "") + ", so each page costs more than the one before. Keyset pagination (WHERE"
                + " the sort key is past the previous page's last row) costs the same on every page.", 0.5));
    }

    /**
     * @param u    a table's use
     * @param text the query's text
     * @return the columns the plan compares through a cast the text does not write: implicit casts
     */
    public static java.util.Set<String> implicitCasts(RelationUse u, SqlText text) {
        java.util.Set<String> out = new java.util.LinkedHashSet<>();
        for (Expr e : u.restrictions()) {
            Pred p = Pred.of(e, u.alias());
            if (p.castTo() != null && p.column() != null && !explicitCast(text, p.column())) {
                out.add(p.column());
            }
        }
        return out;
    }

    /** Whether the text writes a cast of the column itself ({@code col::t}, {@code CAST(col AS t)}). */
    static boolean explicitCast(SqlText text, String column) {
        List<SqlText.Token> t = text.tokens();
        for (int i = 0; i < t.size(); i++) {
            SqlText.Token k = t.get(i);
            boolean named = k.kind() == SqlText.Kind.WORD ? k.text().equalsIgnoreCase(column)
                    : k.kind() == SqlText.Kind.QUOTED_NAME && k.text().equals("\"" + column + "\"");
            if (!named) {
                continue;
            }
            if (i + 1 < t.size() && t.get(i + 1).isPunct("::")) {
                return true;
            }
            if (i + 1 < t.size() && t.get(i + 1).isPunct(")") && i >= 1) {
                // (col)::t
                if (i + 2 < t.size() && t.get(i + 2).isPunct("::")) {
                    return true;
                }
            }
            if (i + 1 < t.size() && t.get(i + 1).is("as")) {
                for (int j = i - 1; j >= 0 && j >= i - 4; j--) {
                    if (t.get(j).is("cast")) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private static double sortInput(PlanNode root, PlanNode sort) {
        return sort.children().isEmpty() ? sort.planRows() : QueryShape.rows(root, sort.children().get(0));
    }

    static String abbreviate(String s, int max) {
        String one = s.replaceAll("\\s+", " ").strip();
        return one.length() <= max ? one : one.substring(0, max - 3) + "...";
    }

    /** @return e.g. "1,000,000" */
    public static String count(double n) {
        return String.format(Locale.ROOT, "%,.0f", n);
    }

    /** @return e.g. "0.0002%" */
    public static String percent(double f) {
        double p = f * 100;
        if (p >= 10) {
            return String.format(Locale.ROOT, "%.0f%%", p);
        }
        if (p >= 1) {
            return String.format(Locale.ROOT, "%.1f%%", p);
        }
        return String.format(Locale.ROOT, "%.2g%%", p);
    }
}
