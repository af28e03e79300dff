package io.querk.review.internal.plan;

import io.querk.sql.Identifier;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * An expression as the server deparses it in a plan: {@code ((s.customer_id = $1) AND
 * (s.status = 'lost'::text))}. Only the shapes an index or a rewrite depends on are modelled;
 * anything else (CASE, sub-plans, window clauses) is {@link Opaque} and carried as text.
 */
public sealed interface Expr {

    /**
     * Renders the expression back to SQL.
     *
     * @param dropQualifier a table alias to leave off column references (for an index
     *                      expression or predicate, which name their table's columns bare), or null
     * @return the SQL
     */
    String sql(String dropQualifier);

    /** @return the SQL as the plan shows it */
    default String sql() {
        return sql(null);
    }

    /** @return the column references anywhere in this expression */
    default List<Col> columns() {
        List<Col> out = new ArrayList<>();
        collect(this, out);
        return out;
    }

    /** @return the parameter numbers ($n) anywhere in this expression */
    default Set<Integer> params() {
        return Exprs.walk(this).filter(e -> e instanceof Param).map(e -> ((Param) e).n()).collect(Collectors.toSet());
    }

    private static void collect(Expr e, List<Col> out) {
        Exprs.walk(e).filter(x -> x instanceof Col).forEach(x -> out.add((Col) x));
    }

    /**
     * A column reference.
     *
     * @param qualifier the table alias, or null when the plan left it off
     * @param name      the column's name, unquoted
     */
    record Col(String qualifier, String name) implements Expr {
        /** Checks the name. */
        public Col {
            Objects.requireNonNull(name, "name");
        }

        @Override
        public String sql(String dropQualifier) {
            String n = Identifier.of(name).sql();
            return qualifier == null || qualifier.equals(dropQualifier) ? n : Identifier.of(qualifier).sql() + "." + n;
        }
    }

    /**
     * A constant.
     *
     * @param value  its text, unquoted ({@code lost} for {@code 'lost'::text}), or null for NULL
     * @param type   the type it is cast to in the plan, or null
     * @param quoted whether the plan shows it as a quoted literal
     */
    record Const(String value, String type, boolean quoted) implements Expr {
        @Override
        public String sql(String dropQualifier) {
            String v = value == null ? "NULL" : quoted ? "'" + value.replace("'", "''") + "'" : value;
            return type == null ? v : v + "::" + type;
        }
    }

    /**
     * A parameter, {@code $n}.
     *
     * @param n its number, from 1
     */
    record Param(int n) implements Expr {
        @Override
        public String sql(String dropQualifier) {
            return "$" + n;
        }
    }

    /**
     * A cast, explicit or implicit: {@code (s.weight_g)::numeric}.
     *
     * @param expr the expression cast
     * @param type the target type
     */
    record Cast(Expr expr, String type) implements Expr {
        @Override
        public String sql(String dropQualifier) {
            String inner = expr.sql(dropQualifier);
            boolean simple = expr instanceof Col || expr instanceof Param || expr instanceof Func;
            return (simple ? "(" + inner + ")" : inner) + "::" + type;
        }
    }

    /**
     * A binary operator, {@code (a = b)}, or a prefix one when {@code left} is null.
     *
     * @param op    the operator, e.g. "=", "~~", "&lt;="
     * @param left  the left operand, or null for a prefix operator
     * @param right the right operand
     */
    record Op(String op, Expr left, Expr right) implements Expr {
        @Override
        public String sql(String dropQualifier) {
            return left == null ? "(" + op + " " + right.sql(dropQualifier) + ")"
                    : "(" + left.sql(dropQualifier) + " " + op + " " + right.sql(dropQualifier) + ")";
        }
    }

    /**
     * {@code a = ANY (array)} or {@code a <> ALL (array)}.
     *
     * @param op    the operator
     * @param all   ALL rather than ANY
     * @param left  the tested expression
     * @param array the array
     */
    record AnyAll(String op, boolean all, Expr left, Expr array) implements Expr {
        @Override
        public String sql(String dropQualifier) {
            return "(" + left.sql(dropQualifier) + " " + op + (all ? " ALL (" : " ANY (") + array.sql(dropQualifier) + "))";
        }
    }

    /**
     * {@code (a AND b ...)} or {@code (a OR b ...)}.
     *
     * @param or    OR rather than AND
     * @param terms the operands, at least two
     */
    record Bool(boolean or, List<Expr> terms) implements Expr {
        /** Copies the list. */
        public Bool {
            terms = List.copyOf(terms);
        }

        @Override
        public String sql(String dropQualifier) {
            return terms.stream().map(t -> t.sql(dropQualifier)).collect(Collectors.joining(or ? " OR " : " AND ", "(", ")"));
        }
    }

    /**
     * {@code (NOT e)}.
     *
     * @param expr the negated expression
     */
    record Not(Expr expr) implements Expr {
        @Override
        public String sql(String dropQualifier) {
            return "(NOT " + expr.sql(dropQualifier) + ")";
        }
    }

    /**
     * {@code e IS [NOT] NULL}, {@code e IS [NOT] TRUE} and the like.
     *
     * @param expr the tested expression
     * @param test what follows IS, e.g. "NULL", "NOT NULL", "TRUE"
     */
    record Is(Expr expr, String test) implements Expr {
        @Override
        public String sql(String dropQualifier) {
            return "(" + expr.sql(dropQualifier) + " IS " + test + ")";
        }
    }

    /**
     * A function call; SQL-standard forms such as {@code EXTRACT(year FROM x)} have their field as
     * a first, constant argument.
     *
     * @param name the function's name as shown, possibly schema-qualified
     * @param args the arguments
     */
    record Func(String name, List<Expr> args) implements Expr {
        /** Copies the list. */
        public Func {
            args = List.copyOf(args);
        }

        @Override
        public String sql(String dropQualifier) {
            if (name.equalsIgnoreCase("extract") && args.size() == 2 && args.get(0) instanceof Const f) {
                return "EXTRACT(" + f.value() + " FROM " + args.get(1).sql(dropQualifier) + ")";
            }
            return name + args.stream().map(a -> a.sql(dropQualifier)).collect(Collectors.joining(", ", "(", ")"));
        }
    }

    /**
     * {@code ARRAY[a, b]} or a row {@code ROW(a, b)}.
     *
     * @param row   a row rather than an array
     * @param items the elements
     */
    record Items(boolean row, List<Expr> items) implements Expr {
        /** Copies the list. */
        public Items {
            items = List.copyOf(items);
        }

        @Override
        public String sql(String dropQualifier) {
            String inner = items.stream().map(i -> i.sql(dropQualifier)).collect(Collectors.joining(", "));
            return row ? "ROW(" + inner + ")" : "ARRAY[" + inner + "]";
        }
    }

    /**
     * {@code e COLLATE "C"}.
     *
     * @param expr      the expression
     * @param collation the collation as shown
     */
    record Collate(Expr expr, String collation) implements Expr {
        @Override
        public String sql(String dropQualifier) {
            return expr.sql(dropQualifier) + " COLLATE " + collation;
        }
    }

    /**
     * Anything the review does not model, kept as the plan shows it.
     *
     * @param text the SQL text
     */
    record Opaque(String text) implements Expr {
        @Override
        public String sql(String dropQualifier) {
            return text;
        }
    }
}
