package io.querk.review.internal.index;

import io.querk.review.internal.catalog.TableInfo;
import io.querk.review.internal.plan.Expr;
import io.querk.review.internal.shape.QueryShape;

import java.util.List;

/**
 * The fraction of a table's rows a condition keeps, from {@code pg_stats}, the way the planner
 * reckons it (most common values, then the histogram, then its defaults). Used to order an
 * index's columns and to estimate costs where HypoPG is missing.
 */
public final class Selectivity {

    /** The planner's default for an equality it knows nothing about ({@code DEFAULT_EQ_SEL}). */
    public static final double DEFAULT_EQ = 0.005;
    /** The planner's default for a range ({@code DEFAULT_INEQ_SEL}). */
    public static final double DEFAULT_RANGE = 1.0 / 3;

    private Selectivity() {
    }

    /**
     * @param p the condition
     * @param t its table
     * @return the fraction of rows it keeps, in (0, 1]
     */
    public static double of(Pred p, TableInfo t) {
        TableInfo.ColumnStats st = p.column() == null ? null
                : t.column(p.column()).map(TableInfo.ColumnInfo::stats).orElse(null);
        double sel = switch (p.kind()) {
            case EQ -> eq(p, st, t.rows());
            case RANGE -> st == null ? DEFAULT_RANGE : range(st, p.op(), text(p.value()));
            case PREFIX -> st == null ? DEFAULT_EQ * 4 : prefix(st, text(p.value()));
            case CONTAINS -> 0.01;
            case EXPR_EQ -> DEFAULT_EQ;
            case EXPR_RANGE -> DEFAULT_RANGE;
            case NOT_NULL -> st == null ? 0.9 : 1 - st.nullFrac();
            case OR, OTHER -> 0.5;
        };
        return clamp(sel, t.rows());
    }

    private static double clamp(double sel, double rows) {
        return Math.max(Math.min(sel, 1.0), 1.0 / Math.max(rows, 1));
    }

    private static double eq(Pred p, TableInfo.ColumnStats st, double rows) {
        if (p.op().equals("IS NULL")) {
            return st == null ? DEFAULT_EQ : Math.max(st.nullFrac(), 1 / rows);
        }
        if (st == null) {
            return DEFAULT_EQ;
        }
        if (p.op().equals("= ANY")) {
            List<String> values = arrayValues(p.value());
            if (values == null) {
                return Math.min(1, 10 * eqValue(st, null, rows));
            }
            double s = 0;
            for (String v : values) {
                s += eqValue(st, v, rows);
            }
            return s;
        }
        return eqValue(st, text(p.value()), rows);
    }

    /**
     * @param st    the column's statistics
     * @param value the compared value as text, or null when unknown (a typical value is assumed)
     * @param rows  the table's rows
     * @return the fraction of rows equal to it
     */
    public static double eqValue(TableInfo.ColumnStats st, String value, double rows) {
        if (value != null) {
            int i = st.mcv().indexOf(value);
            if (i >= 0 && i < st.mcf().size()) {
                return st.mcf().get(i);
            }
        }
        double mcvSum = st.mcf().stream().mapToDouble(Double::doubleValue).sum();
        double others = st.distinct(rows) - st.mcv().size();
        if (others <= 0) {
            // Every value is a common one; an unseen value is rare.
            return Math.min(mcvSum / Math.max(1, st.mcv().size()), 0.5 / Math.max(1, st.mcv().size()));
        }
        return Math.max(0, 1 - st.nullFrac() - mcvSum) / others;
    }

    /**
     * @param st    the column's statistics
     * @param op    {@code <}, {@code <=}, {@code >} or {@code >=}, column on the left
     * @param value the bound as text, or null
     * @return the fraction of rows on that side
     */
    public static double range(TableInfo.ColumnStats st, String op, String value) {
        if (value == null || (st.histogram().size() < 2 && st.mcv().isEmpty())) {
            return DEFAULT_RANGE;
        }
        boolean below = op.startsWith("<");
        double mcvSum = 0;
        double mcvBelow = 0;
        for (int i = 0; i < st.mcv().size() && i < st.mcf().size(); i++) {
            mcvSum += st.mcf().get(i);
            int c = compare(st.mcv().get(i), value);
            if (c < 0 || (c == 0 && op.endsWith("="))) {
                mcvBelow += st.mcf().get(i);
            }
        }
        double histShare = Math.max(0, 1 - st.nullFrac() - mcvSum);
        double fracBelow = histogramFraction(st.histogram(), value);
        double belowAll = mcvBelow + histShare * fracBelow;
        double nonNull = 1 - st.nullFrac();
        return below ? belowAll : Math.max(0, nonNull - belowAll);
    }

    /** Where {@code value} falls in the histogram, 0 to 1, interpolated between numeric bounds. */
    static double histogramFraction(List<String> bounds, String value) {
        int n = bounds.size();
        if (n < 2) {
            return 0.5;
        }
        if (compare(value, bounds.get(0)) <= 0) {
            return 0;
        }
        if (compare(value, bounds.get(n - 1)) >= 0) {
            return 1;
        }
        for (int i = 1; i < n; i++) {
            if (compare(value, bounds.get(i)) == 0) {
                return (double) i / (n - 1);
            }
            if (compare(value, bounds.get(i)) < 0) {
                double within = 0.5;
                Double lo = number(bounds.get(i - 1));
                Double hi = number(bounds.get(i));
                Double v = number(value);
                if (lo != null && hi != null && v != null && hi > lo) {
                    within = (v - lo) / (hi - lo);
                }
                return (i - 1 + within) / (n - 1);
            }
        }
        return 1;
    }

    private static double prefix(TableInfo.ColumnStats st, String pattern) {
        if (pattern == null) {
            return DEFAULT_EQ * 4;
        }
        String prefix = pattern.replaceAll("[%_].*$", "");
        if (prefix.isEmpty()) {
            return 1;
        }
        double lo = range(st, ">=", prefix);
        double hi = range(st, ">=", prefix + "\uffff");
        return Math.max(lo - hi, DEFAULT_EQ / 10);
    }

    /** Compares as numbers when both are numbers, else as text (which orders ISO dates and times). */
    static int compare(String a, String b) {
        Double x = number(a);
        Double y = number(b);
        if (x != null && y != null) {
            return Double.compare(x, y);
        }
        return a.compareTo(b);
    }

    private static Double number(String s) {
        if (s == null || s.isEmpty() || !(Character.isDigit(s.charAt(0)) || s.charAt(0) == '-' || s.charAt(0) == '.')) {
            return null;
        }
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** @return a constant's text, or null for a parameter or expression */
    public static String text(Expr e) {
        return e != null && QueryShape.strip(e) instanceof Expr.Const c ? c.value() : null;
    }

    /** @return the elements of a constant array such as {@code '{a,b}'::text[]}, or null */
    static List<String> arrayValues(Expr e) {
        String t = text(e);
        if (t == null) {
            if (QueryShape.strip(e) instanceof Expr.Items items && !items.row()) {
                return items.items().stream().map(Selectivity::text).toList().contains(null) ? null
                        : items.items().stream().map(Selectivity::text).toList();
            }
            return null;
        }
        return ArrayText.parse(t);
    }
}
