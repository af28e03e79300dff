package io.querk.review.internal.index;

import io.querk.review.FindingKind;
import io.querk.review.internal.catalog.Keys;
import io.querk.review.internal.catalog.TableInfo;
import io.querk.review.internal.plan.Expr;
import io.querk.review.internal.plan.ExprParser.SortKey;
import io.querk.review.internal.plan.Exprs;
import io.querk.review.internal.shape.RelationUse;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The indexes worth trying for one table, from the conditions and order the plan shows: equality
 * columns first (most selective first), then one range, then the sort; {@code INCLUDE} where an
 * index-only scan is in reach; a partial index for a selective constant condition; an expression
 * index for a wrapped column; a trigram index for {@code LIKE '%x%'}; one index per branch of a
 * cross-column {@code OR}; the join column of a nested loop's inner side. Indexes an existing one
 * covers are left out. Which of them wins is the planner's to say ({@code Ranker}).
 */
public final class CandidateGenerator {

    /** A partial index pays off when its predicate keeps at most this share of the table. */
    static final double PARTIAL_MAX_SELECTIVITY = 0.2;
    /** At most this many equality columns lead an index. */
    static final int MAX_EQUALITY_KEYS = 4;
    /** INCLUDE carries at most this many columns, of at most this many bytes together. */
    static final int MAX_INCLUDE_COLUMNS = 4;
    static final int MAX_INCLUDE_BYTES = 96;
    /** Tables smaller than this are read faster whole. */
    public static final double MIN_ROWS = 1_000;

    /**
     * The candidates for one table.
     *
     * @param singles single indexes
     * @param bundles sets of indexes that only help together (the branches of an OR)
     */
    public record Generated(List<Candidate> singles, List<List<Candidate>> bundles) {
    }

    private CandidateGenerator() {
    }

    /**
     * @param u              how the query uses the table
     * @param t              the table's catalog facts
     * @param parameterBound "column|op" of conditions compared with a parameter ($n), which a partial index cannot hold
     * @param implicitCasts  columns the query compares through an implicit cast: the query needs fixing, not an index
     * @return the candidates no existing index covers
     */
    public static Generated generate(RelationUse u, TableInfo t, Set<String> parameterBound, Set<String> implicitCasts) {
        if (t.rows() < MIN_ROWS && t.analyzed()) {
            return new Generated(List.of(), List.of());
        }
        String a = u.alias();
        List<Pred> preds = new ArrayList<>();
        for (Expr c : u.restrictions()) {
            Pred p = Pred.of(c, a);
            if (p.literal() && p.column() != null && parameterBound.contains(p.column() + "|" + p.op())) {
                p = new Pred(p.kind(), p.column(), p.expression(), p.op(), p.value(), false, p.castTo(), p.source());
            }
            preds.add(p);
        }
        Comparator<Pred> bySelectivity = Comparator.comparingDouble(p -> Selectivity.of(p, t));

        List<Pred> eqs = preds.stream().filter(p -> p.kind() == Pred.Kind.EQ).sorted(bySelectivity)
                .limit(MAX_EQUALITY_KEYS).toList();
        List<Pred> exprs = preds.stream().filter(p -> (p.kind() == Pred.Kind.EXPR_EQ || p.kind() == Pred.Kind.EXPR_RANGE)
                && !(p.castTo() != null && implicitCasts.contains(p.column()))).sorted(bySelectivity).toList();
        List<Pred> ranges = preds.stream().filter(p -> p.kind() == Pred.Kind.RANGE || p.kind() == Pred.Kind.PREFIX)
                .sorted(bySelectivity).toList();

        List<Candidate.Key> e = new ArrayList<>();
        eqs.forEach(p -> e.add(key(p, t)));
        exprs.stream().filter(p -> p.kind() == Pred.Kind.EXPR_EQ).forEach(p -> e.add(key(p, t)));
        List<Candidate.Key> sort = sortKeys(u);

        Map<String, Candidate> out = new LinkedHashMap<>();
        Set<FindingKind> filter = EnumSet.of(FindingKind.SEQ_SCAN_SELECTIVE_FILTER);
        String eqWhy = e.isEmpty() ? "" : "equality on " + names(e);
        if (!e.isEmpty()) {
            add(out, btree(u, e, eqWhy, filter));
        }
        Pred bestRange = ranges.isEmpty() ? null : ranges.get(0);
        List<Pred> exprRanges = exprs.stream().filter(p -> p.kind() == Pred.Kind.EXPR_RANGE).toList();
        for (Pred r : first(ranges, 2)) {
            add(out, btree(u, concat(e, List.of(key(r, t))), join(eqWhy, "then the range on " + r.keyText()), filter));
        }
        for (Pred r : first(exprRanges, 1)) {
            add(out, btree(u, concat(e, List.of(key(r, t))), join(eqWhy, "then the range on " + r.keyText()),
                    EnumSet.of(FindingKind.FUNCTION_WRAPS_INDEXED_COLUMN, FindingKind.SEQ_SCAN_SELECTIVE_FILTER)));
        }
        // Only a plain '=' holds a column to one value for the planner's sort order; IS NULL and
        // = ANY narrow the scan but leave the order of the keys after them unknown to it.
        List<Candidate.Key> orderE = new ArrayList<>();
        eqs.stream().filter(p -> p.op().equals("=")).forEach(p -> orderE.add(key(p, t)));
        exprs.stream().filter(p -> p.kind() == Pred.Kind.EXPR_EQ && p.op().equals("=")).forEach(p -> orderE.add(key(p, t)));
        if (!sort.isEmpty()) {
            Set<FindingKind> sorted = EnumSet.of(FindingKind.SORT_FEEDS_LIMIT, FindingKind.SEQ_SCAN_SELECTIVE_FILTER);
            String eqOrderWhy = orderE.isEmpty() ? "" : "equality on " + names(orderE);
            List<Candidate.Key> es = dedupe(concat(orderE, sort));
            String why = join(eqOrderWhy, "then the sort " + sortText(u) + (u.sortFeedsLimit()
                    ? ": rows come out in order, so the LIMIT stops early" : ": rows come out in order, no sort"));
            add(out, btree(u, es, why, sorted));
            if (bestRange != null && !keyTexts(es).contains(bestRange.keyText())) {
                add(out, btree(u, dedupe(concat(es, List.of(key(bestRange, t)))), why + ", then " + bestRange.keyText()
                        + " filtered in the index", sorted));
            }
        }
        for (Pred x : exprs) {
            if (x.kind() == Pred.Kind.EXPR_EQ && e.size() > 1) {
                add(out, btree(u, List.of(key(x, t)), "an expression index on " + x.expression(),
                        EnumSet.of(FindingKind.FUNCTION_WRAPS_INDEXED_COLUMN)));
            }
        }
        // Joins: the inner side of a nested loop looks rows up by the join column.
        for (RelationUse.JoinClause j : u.joins()) {
            Set<FindingKind> joined = EnumSet.of(FindingKind.NESTED_LOOP_INNER_SEQ_SCAN, FindingKind.UNINDEXED_FOREIGN_KEY_JOIN);
            Candidate.Key jk = new Candidate.Key(j.column(), null, false, null);
            add(out, btree(u, List.of(jk), "the join column " + j.column() + " (= " + j.other().sql() + ")", joined));
            if (!e.isEmpty()) {
                add(out, btree(u, dedupe(concat(List.of(jk), e)), "the join column " + j.column() + ", then " + eqWhy, joined));
            }
        }
        // INCLUDE: an index-only scan reads no heap page for the rows it returns.
        if (!u.neededColumns().contains("*")) {
            for (Candidate c : List.copyOf(out.values())) {
                List<String> extra = u.neededColumns().stream()
                        .filter(col -> !keyTexts(c.keys()).contains(col)).sorted().toList();
                if (extra.isEmpty() || extra.size() > MAX_INCLUDE_COLUMNS || width(extra, t) > MAX_INCLUDE_BYTES
                        || c.keys().stream().anyMatch(k -> k.opclass() != null)) {
                    continue;
                }
                add(out, c.withInclude(extra, "INCLUDE " + String.join(", ", extra) + " for an index-only scan"));
            }
        }
        // A partial index for a selective constant condition: smaller, and it holds only the rows wanted.
        preds.stream().filter(p -> p.literal() && p.column() != null
                        && (p.kind() == Pred.Kind.EQ || p.kind() == Pred.Kind.NOT_NULL) && !p.op().equals("= ANY"))
                .filter(p -> Selectivity.of(p, t) <= PARTIAL_MAX_SELECTIVITY && partialWorthy(p, t))
                .sorted(bySelectivity).limit(2)
                .forEach(p -> partials(u, t, p, e, orderE, sort, bestRange, out));
        // Leading-wildcard LIKE: a trigram GIN index.
        for (Pred p : preds) {
            if (p.kind() == Pred.Kind.CONTAINS && trigramSearchable(Selectivity.text(p.value()))) {
                add(out, new Candidate(u.schema(), u.table(), a, "gin",
                        List.of(new Candidate.Key(p.column(), null, false, "gin_trgm_ops")), List.of(), null, "pg_trgm",
                        "a trigram index searches " + p.column() + (p.op().equals("~~*") ? " ILIKE " : " LIKE ")
                                + "'" + Selectivity.text(p.value()) + "' with its wildcards",
                        EnumSet.of(FindingKind.LEADING_WILDCARD_LIKE, FindingKind.SEQ_SCAN_SELECTIVE_FILTER)));
            }
        }
        List<List<Candidate>> bundles = new ArrayList<>();
        if (e.isEmpty() && ranges.isEmpty()) {
            for (Pred p : preds) {
                if (p.kind() == Pred.Kind.OR) {
                    List<Candidate> b = orBundle(u, t, (Expr.Bool) p.source());
                    if (b != null) {
                        bundles.add(b);
                    }
                }
            }
        }
        List<Candidate> singles = out.values().stream().filter(c -> !covered(c, t.indexes())).toList();
        List<List<Candidate>> openBundles = new ArrayList<>();
        for (List<Candidate> b : bundles) {
            List<Candidate> missing = b.stream().filter(c -> !covered(c, t.indexes())).toList();
            if (missing.size() > 1) {
                openBundles.add(missing);
            } else if (missing.size() == 1 && singles.stream().noneMatch(s -> s.shape().equals(missing.get(0).shape()))) {
                List<Candidate> s = new ArrayList<>(singles);
                s.add(missing.get(0));
                singles = s;
            }
        }
        return new Generated(singles, openBundles);
    }

    /** Most distinct values a column may have for a partial index on one of its values to make sense. */
    static final int PARTIAL_MAX_DISTINCT = 50;

    /**
     * A partial index holds the rows of one state the query always asks for: NULL or not, a
     * boolean, or one of a few common values (a status). For one value of a column with many
     * (a tracking number), an index on the column serves every value instead.
     */
    static boolean partialWorthy(Pred p, TableInfo t) {
        if (p.kind() == Pred.Kind.NOT_NULL || "IS NULL".equals(p.op())) {
            return true;
        }
        String v = Selectivity.text(p.value());
        if ("true".equals(v) || "false".equals(v)) {
            return true;
        }
        TableInfo.ColumnStats st = t.column(p.column()).map(TableInfo.ColumnInfo::stats).orElse(null);
        return st != null && v != null && st.mcv().contains(v) && st.distinct(t.rows()) <= PARTIAL_MAX_DISTINCT;
    }

    private static void partials(RelationUse u, TableInfo t, Pred p, List<Candidate.Key> e, List<Candidate.Key> orderE,
                                 List<Candidate.Key> sort, Pred bestRange, Map<String, Candidate> out) {
        String predicate = unwrap(p.source().sql(u.alias()));
        List<Candidate.Key> rest = e.stream().filter(k -> !p.column().equals(k.column())).toList();
        List<Candidate.Key> keys = new ArrayList<>(rest);
        if (bestRange != null) {
            keys.add(key(bestRange, t));
        }
        List<Candidate.Key> sorted = dedupe(concat(orderE.stream().filter(k -> !p.column().equals(k.column())).toList(), sort));
        Set<FindingKind> why = EnumSet.of(FindingKind.SEQ_SCAN_SELECTIVE_FILTER);
        String reason = "a partial index over the " + io.querk.review.internal.analysis.Findings.percent(Selectivity.of(p, t))
                + " of rows where " + predicate;
        if (!sort.isEmpty()) {
            add(out, partial(u, sorted, predicate, reason + ", in the sort order", EnumSet.of(FindingKind.SEQ_SCAN_SELECTIVE_FILTER,
                    FindingKind.SORT_FEEDS_LIMIT)));
        }
        if (!keys.isEmpty()) {
            add(out, partial(u, dedupe(keys), predicate, reason, why));
        }
        if (keys.isEmpty() && sort.isEmpty()) {
            // Nothing else to order by: the primary key (or the column itself) makes a small index of the rows wanted.
            // Nothing else to search or order by: key it on a column the query reads (an index-only
            // scan), else the primary key, else the column itself.
            String pk = t.indexes().stream().filter(i -> i.unique() && i.predicate() == null && i.keys().size() == 1
                    && i.leadingColumn() != null).map(TableInfo.ExistingIndex::leadingColumn).findFirst().orElse(p.column());
            String key = u.neededColumns().stream().filter(c -> !c.equals("*") && !c.equals(p.column())).findFirst().orElse(pk);
            add(out, partial(u, List.of(new Candidate.Key(key, null, false, null)), predicate, reason, why));
        }
    }

    private static Candidate partial(RelationUse u, List<Candidate.Key> keys, String predicate, String reason,
                                     Set<FindingKind> why) {
        return new Candidate(u.schema(), u.table(), u.alias(), "btree", keys, List.of(), predicate, null, reason, why);
    }

    /** One single-key index per OR branch, or null if a branch is not one column's condition. */
    private static List<Candidate> orBundle(RelationUse u, TableInfo t, Expr.Bool or) {
        List<Candidate> out = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        for (Expr term : or.terms()) {
            List<Expr> cs = Exprs.conjuncts(term);
            Pred best = null;
            for (Expr c : cs) {
                Pred p = Pred.of(c, u.alias());
                if (p.kind() == Pred.Kind.EQ || p.kind() == Pred.Kind.RANGE || p.kind() == Pred.Kind.PREFIX
                        || p.kind() == Pred.Kind.EXPR_EQ || p.kind() == Pred.Kind.CONTAINS) {
                    if (best == null || Selectivity.of(p, t) < Selectivity.of(best, t)) {
                        best = p;
                    }
                }
            }
            if (best == null) {
                return null;
            }
            if (seen.contains(best.keyText())) {
                continue;
            }
            seen.add(best.keyText());
            Set<FindingKind> why = EnumSet.of(FindingKind.OR_ACROSS_COLUMNS, FindingKind.SEQ_SCAN_SELECTIVE_FILTER);
            if (best.kind() == Pred.Kind.CONTAINS) {
                out.add(new Candidate(u.schema(), u.table(), u.alias(), "gin",
                        List.of(new Candidate.Key(best.column(), null, false, "gin_trgm_ops")), List.of(), null, "pg_trgm",
                        "one index per OR branch, combined by a BitmapOr: a trigram index on " + best.column(), why));
            } else {
                out.add(btree(u, List.of(key(best, t)), "one index per OR branch, combined by a BitmapOr: " + best.keyText(), why));
            }
        }
        return out.isEmpty() ? null : out;
    }

    /**
     * @param c        a candidate
     * @param existing the table's indexes
     * @return true if a valid existing index has the same method and starts with the same keys, carries its
     *         INCLUDE columns, and has the same predicate (or none when the candidate has none)
     */
    public static boolean covered(Candidate c, List<TableInfo.ExistingIndex> existing) {
        for (TableInfo.ExistingIndex x : existing) {
            if (!x.valid() || !x.method().equals(c.method()) || x.keys().size() < c.keys().size()) {
                continue;
            }
            boolean keys = true;
            boolean flipped = !c.keys().isEmpty() && c.keys().get(0).descending() != x.keys().get(0).descending();
            for (int i = 0; i < c.keys().size() && keys; i++) {
                Candidate.Key k = c.keys().get(i);
                TableInfo.Key xk = x.keys().get(i);
                String xcol = Keys.columnOf(xk.expression());
                boolean same = k.column() != null ? k.column().equals(xcol)
                        : xcol == null && Keys.normalize(k.expression()).equals(Keys.normalize(xk.expression()));
                boolean opclass = k.opclass() == null ? xk.opclass() == null : k.opclass().equals(xk.opclass());
                boolean direction = c.method().equals("btree") ? (k.descending() != xk.descending()) == flipped : true;
                keys = same && opclass && direction;
            }
            if (!keys) {
                continue;
            }
            List<String> carried = new ArrayList<>(x.include());
            x.keys().forEach(k -> {
                String col = Keys.columnOf(k.expression());
                if (col != null) {
                    carried.add(col);
                }
            });
            if (!carried.containsAll(c.include())) {
                continue;
            }
            boolean predicate = c.predicate() == null ? x.predicate() == null
                    : x.predicate() != null && Keys.normalize(x.predicate()).equals(Keys.normalize(c.predicate()));
            if (predicate) {
                return true;
            }
        }
        return false;
    }

    /** The sort as index keys: one direction for all (read backwards if need be), else as declared. */
    private static List<Candidate.Key> sortKeys(RelationUse u) {
        List<SortKey> ks = u.sortKeys();
        if (ks.isEmpty() || ks.stream().anyMatch(k -> !k.defaultNulls())) {
            return List.of();
        }
        boolean mixed = ks.stream().map(SortKey::descending).distinct().count() > 1;
        boolean flip = ks.get(0).descending();
        List<Candidate.Key> out = new ArrayList<>();
        for (SortKey k : ks) {
            boolean desc = mixed && (k.descending() != flip);
            if (k.expr() instanceof Expr.Col c) {
                out.add(new Candidate.Key(c.name(), null, desc, null));
            } else if (!Exprs.hasOpaque(k.expr()) && k.expr().params().isEmpty()) {
                out.add(new Candidate.Key(null, unwrap(k.expr().sql(u.alias())), desc, null));
            } else {
                return List.of();
            }
        }
        return out;
    }

    private static String sortText(RelationUse u) {
        return u.sortKeys().stream().map(k -> k.expr().sql(u.alias()) + (k.descending() ? " DESC" : ""))
                .collect(Collectors.joining(", "));
    }

    private static Candidate.Key key(Pred p, TableInfo t) {
        if (p.kind() == Pred.Kind.PREFIX) {
            TableInfo.ColumnInfo col = t.column(p.column()).orElse(null);
            String coll = col == null ? null : col.collation();
            boolean c = "C".equals(coll) || "POSIX".equals(coll);
            String opclass = c || col == null ? null : switch (col.type().replaceAll("\\(.*\\)", "")) {
                case "character varying" -> "varchar_pattern_ops";
                case "character" -> "bpchar_pattern_ops";
                default -> "text_pattern_ops";
            };
            return new Candidate.Key(p.column(), null, false, opclass);
        }
        if (p.expression() != null && (p.kind() == Pred.Kind.EXPR_EQ || p.kind() == Pred.Kind.EXPR_RANGE)) {
            return new Candidate.Key(null, unwrap(p.expression()), false, null);
        }
        return new Candidate.Key(p.column(), null, false, null);
    }

    private static Candidate btree(RelationUse u, List<Candidate.Key> keys, String reason, Set<FindingKind> why) {
        Set<FindingKind> w = EnumSet.noneOf(FindingKind.class);
        w.addAll(why);
        if (keys.stream().anyMatch(k -> k.expression() != null)) {
            w.add(FindingKind.FUNCTION_WRAPS_INDEXED_COLUMN);
        }
        return new Candidate(u.schema(), u.table(), u.alias(), "btree", keys, List.of(), null, null, reason, w);
    }

    private static void add(Map<String, Candidate> out, Candidate c) {
        if (!c.keys().isEmpty()) {
            out.putIfAbsent(c.method() + " " + c.shape(), c);
        }
    }

    /** A trigram index needs three characters in a row between wildcards. */
    static boolean trigramSearchable(String pattern) {
        if (pattern == null) {
            return false;
        }
        for (String part : pattern.split("[%_]")) {
            if (part.replace("\\", "").length() >= 3) {
                return true;
            }
        }
        return false;
    }

    private static int width(List<String> cols, TableInfo t) {
        int w = 0;
        for (String c : cols) {
            w += t.column(c).map(ci -> ci.stats() == null ? 8 : ci.stats().avgWidth()).orElse(8);
        }
        return w;
    }

    private static List<Candidate.Key> dedupe(List<Candidate.Key> keys) {
        Map<String, Candidate.Key> m = new LinkedHashMap<>();
        keys.forEach(k -> m.putIfAbsent(k.text(), k));
        return new ArrayList<>(m.values());
    }

    private static List<String> keyTexts(List<Candidate.Key> keys) {
        return keys.stream().map(Candidate.Key::text).toList();
    }

    private static <T> List<T> concat(List<T> a, List<T> b) {
        List<T> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    private static <T> List<T> first(List<T> l, int n) {
        return l.subList(0, Math.min(n, l.size()));
    }

    private static String names(List<Candidate.Key> keys) {
        return keys.stream().map(Candidate.Key::text).collect(Collectors.joining(", "));
    }

    private static String join(String a, String b) {
        return a.isEmpty() ? b.replaceFirst("^then ", "") : a + ", " + b;
    }


    /** Drops one pair of brackets around a whole expression: {@code (a = 1)} reads better as {@code a = 1}. */
    public static String unwrap(String sql) {
        String s = sql.strip();
        if (s.startsWith("(") && s.endsWith(")")) {
            int depth = 0;
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c == '(') {
                    depth++;
                } else if (c == ')') {
                    depth--;
                    if (depth == 0 && i < s.length() - 1) {
                        return s;
                    }
                }
            }
            return s.substring(1, s.length() - 1).strip();
        }
        return s;
    }
}
