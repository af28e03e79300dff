package io.querk.review.internal.shape;

import io.querk.review.internal.plan.Expr;

import java.util.List;
import java.util.function.UnaryOperator;

/** Rebuilds expression trees with their column references replaced. */
final class ColumnMapper {

    private ColumnMapper() {
    }

    static Expr columns(Expr e, UnaryOperator<Expr.Col> f) {
        if (e instanceof Expr.Col c) {
            return f.apply(c);
        } else if (e instanceof Expr.Cast c) {
            return new Expr.Cast(columns(c.expr(), f), c.type());
        } else if (e instanceof Expr.Op o) {
            return new Expr.Op(o.op(), o.left() == null ? null : columns(o.left(), f), columns(o.right(), f));
        } else if (e instanceof Expr.AnyAll a) {
            return new Expr.AnyAll(a.op(), a.all(), columns(a.left(), f), columns(a.array(), f));
        } else if (e instanceof Expr.Bool b) {
            return new Expr.Bool(b.or(), map(b.terms(), f));
        } else if (e instanceof Expr.Not n) {
            return new Expr.Not(columns(n.expr(), f));
        } else if (e instanceof Expr.Is i) {
            return new Expr.Is(columns(i.expr(), f), i.test());
        } else if (e instanceof Expr.Func fn) {
            return new Expr.Func(fn.name(), map(fn.args(), f));
        } else if (e instanceof Expr.Items it) {
            return new Expr.Items(it.row(), map(it.items(), f));
        } else if (e instanceof Expr.Collate c) {
            return new Expr.Collate(columns(c.expr(), f), c.collation());
        }
        return e;
    }

    private static List<Expr> map(List<Expr> l, UnaryOperator<Expr.Col> f) {
        return l.stream().map(x -> columns(x, f)).toList();
    }
}
