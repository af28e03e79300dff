package io.querk.review.internal.index;

import io.querk.review.internal.plan.Expr;
import io.querk.review.internal.plan.Exprs;
import io.querk.review.internal.shape.QueryShape;

import java.util.List;

/**
 * One condition on one table, classified by what an index can do with it.
 *
 * @param kind       what it is
 * @param column     the column it tests, when it tests a plain column (or a cast of one)
 * @param expression the tested expression with the table's alias left off, for an expression key; else null
 * @param op         the operator with the tested side on the left ({@code =}, {@code <}, {@code ~~} ...)
 * @param value      the other side: a constant, parameter, or expression on no column of this table
 * @param literal    whether {@code value} is written in the query as a constant (a partial index may then hold it)
 * @param castTo     for a column compared through a cast of itself, the type it is cast to; else null
 * @param source     the condition as the plan shows it
 */
public record Pred(Kind kind, String column, String expression, String op, Expr value, boolean literal, String castTo,
                   Expr source) {

    /** What an index can do with a condition. */
    public enum Kind {
        /** {@code col = v}, {@code col = ANY (array)}, {@code col IS NULL}, a boolean column. */
        EQ,
        /** {@code col < v} and the like. */
        RANGE,
        /** {@code col LIKE 'abc%'}: a range for a b-tree with pattern operators or the C collation. */
        PREFIX,
        /** {@code col LIKE '%abc%'} or ILIKE: only a trigram index searches it. */
        CONTAINS,
        /** {@code f(col) = v}: an expression index. */
        EXPR_EQ,
        /** {@code f(col) < v}. */
        EXPR_RANGE,
        /** {@code col IS NOT NULL}: only a partial index's predicate. */
        NOT_NULL,
        /** {@code a OR b} over this table. */
        OR,
        /** anything else: a filter an index does not help. */
        OTHER
    }

    /** @return true for a condition that can be a b-tree's equality prefix */
    public boolean isEquality() {
        return kind == Kind.EQ || kind == Kind.EXPR_EQ;
    }

    /** @return the key an index on this condition uses: the column, or the expression */
    public String keyText() {
        return column != null && expression == null ? column : expression;
    }

    /**
     * @param c     a conjunct of the plan's conditions on {@code alias} alone
     * @param alias the table's alias
     * @return the classified condition
     */
    public static Pred of(Expr c, String alias) {
        if (c instanceof Expr.Col col) {
            return new Pred(Kind.EQ, col.name(), null, "=", new Expr.Const("true", null, false), true, null, c);
        }
        if (c instanceof Expr.Not n && n.expr() instanceof Expr.Col col) {
            return new Pred(Kind.EQ, col.name(), null, "=", new Expr.Const("false", null, false), true, null, c);
        }
        if (c instanceof Expr.Is is) {
            Expr t = is.expr();
            if (t instanceof Expr.Col col) {
                return switch (is.test()) {
                    case "NULL" -> new Pred(Kind.EQ, col.name(), null, "IS NULL", null, true, null, c);
                    case "NOT NULL" -> new Pred(Kind.NOT_NULL, col.name(), null, "IS NOT NULL", null, true, null, c);
                    default -> other(c);
                };
            }
            return other(c);
        }
        if (c instanceof Expr.Bool b && b.or()) {
            return new Pred(Kind.OR, null, null, "OR", null, false, null, c);
        }
        if (c instanceof Expr.AnyAll a && !a.all() && a.op().equals("=")) {
            Side s = side(a.left(), alias);
            if (s != null && s.plain() && !mentions(a.array(), alias)) {
                return new Pred(Kind.EQ, s.column, null, "= ANY", a.array(), isLiteral(a.array()), null, c);
            }
            return other(c);
        }
        if (c instanceof Expr.Op op && op.left() != null) {
            Expr mine = op.left();
            Expr other = op.right();
            String o = op.op();
            if (!mentions(mine, alias) && mentions(other, alias)) {
                mine = op.right();
                other = op.left();
                o = QueryShape.flip(o);
                if (o == null) {
                    return other(c);
                }
            }
            if (mentions(other, alias)) {
                return other(c);
            }
            Side s = side(mine, alias);
            if (s == null) {
                return other(c);
            }
            boolean lit = isLiteral(other);
            switch (o) {
                case "=" -> {
                    return s.plain()
                            ? new Pred(Kind.EQ, s.column, null, o, other, lit, null, c)
                            : new Pred(Kind.EXPR_EQ, s.column, s.expression, o, other, lit, s.castTo, c);
                }
                case "<", ">", "<=", ">=" -> {
                    return s.plain()
                            ? new Pred(Kind.RANGE, s.column, null, o, other, lit, null, c)
                            : new Pred(Kind.EXPR_RANGE, s.column, s.expression, o, other, lit, s.castTo, c);
                }
                case "~~", "~~*" -> {
                    if (!s.plain()) {
                        return other(c);
                    }
                    String pattern = QueryShape.strip(other) instanceof Expr.Const k ? k.value() : null;
                    if (pattern == null) {
                        return new Pred(Kind.OTHER, s.column, null, o, other, false, null, c);
                    }
                    boolean leadingWildcard = pattern.startsWith("%") || pattern.startsWith("_");
                    if (leadingWildcard || o.equals("~~*")) {
                        return new Pred(Kind.CONTAINS, s.column, null, o, other, true, null, c);
                    }
                    return new Pred(Kind.PREFIX, s.column, null, o, other, true, null, c);
                }
                default -> {
                    return new Pred(Kind.OTHER, s.column, null, o, other, lit, null, c);
                }
            }
        }
        return other(c);
    }

    private static Pred other(Expr c) {
        return new Pred(Kind.OTHER, null, null, null, null, false, null, c);
    }

    /** The tested side: a column, a cast of one, or an expression over exactly one column. */
    private record Side(String column, String expression, String castTo) {
        /** @return true for the column itself, neither cast nor wrapped */
        boolean plain() {
            return column != null && expression == null;
        }
    }

    private static Side side(Expr e, String alias) {
        if (e instanceof Expr.Col c) {
            return new Side(c.name(), null, null);
        }
        if (Exprs.hasOpaque(e) || e.params().size() > 0) {
            return null;
        }
        List<Expr.Col> cols = e.columns();
        if (cols.isEmpty() || cols.stream().anyMatch(c -> !alias.equals(c.qualifier()))) {
            return null;
        }
        long distinct = cols.stream().map(Expr.Col::name).distinct().count();
        String only = distinct == 1 ? cols.get(0).name() : null;
        String castTo = e instanceof Expr.Cast cast && cast.expr() instanceof Expr.Col ? cast.type() : null;
        return new Side(only, e.sql(alias), castTo);
    }

    private static boolean mentions(Expr e, String alias) {
        return e.columns().stream().anyMatch(c -> alias.equals(c.qualifier()));
    }

    private static boolean isLiteral(Expr e) {
        Expr s = QueryShape.strip(e);
        return s instanceof Expr.Const || (s instanceof Expr.Items i && i.items().stream().allMatch(Pred::isLiteral));
    }
}
