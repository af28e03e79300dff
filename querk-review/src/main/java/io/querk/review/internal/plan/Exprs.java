package io.querk.review.internal.plan;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Walking and splitting {@link Expr} trees. */
public final class Exprs {

    private Exprs() {
    }

    /** @return the expression and every sub-expression, pre-order */
    public static Stream<Expr> walk(Expr e) {
        return Stream.concat(Stream.of(e), children(e).stream().flatMap(Exprs::walk));
    }

    /** @return the direct operands of an expression */
    public static List<Expr> children(Expr e) {
        List<Expr> out = new ArrayList<>();
        if (e instanceof Expr.Cast c) {
            out.add(c.expr());
        } else if (e instanceof Expr.Op o) {
            if (o.left() != null) {
                out.add(o.left());
            }
            out.add(o.right());
        } else if (e instanceof Expr.AnyAll a) {
            out.add(a.left());
            out.add(a.array());
        } else if (e instanceof Expr.Bool b) {
            out.addAll(b.terms());
        } else if (e instanceof Expr.Not n) {
            out.add(n.expr());
        } else if (e instanceof Expr.Is i) {
            out.add(i.expr());
        } else if (e instanceof Expr.Func f) {
            out.addAll(f.args());
        } else if (e instanceof Expr.Items i) {
            out.addAll(i.items());
        } else if (e instanceof Expr.Collate c) {
            out.add(c.expr());
        }
        return out;
    }

    /** @return the operands of a top-level AND, or the expression alone */
    public static List<Expr> conjuncts(Expr e) {
        if (e instanceof Expr.Bool b && !b.or()) {
            List<Expr> out = new ArrayList<>();
            for (Expr t : b.terms()) {
                out.addAll(conjuncts(t));
            }
            return out;
        }
        return List.of(e);
    }

    /** @return true if the expression holds something the review could not read */
    public static boolean hasOpaque(Expr e) {
        return walk(e).anyMatch(x -> x instanceof Expr.Opaque);
    }

    /** @return the distinct qualifiers of the columns in {@code e}; null stands for an unqualified column */
    public static List<String> qualifiers(Expr e) {
        List<String> out = new ArrayList<>();
        for (Expr.Col c : e.columns()) {
            if (!out.contains(c.qualifier())) {
                out.add(c.qualifier());
            }
        }
        return out;
    }
}
