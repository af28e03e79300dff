package io.querk.internal.step;

import io.querk.sql.Identifier;

/**
 * One element of an index: a column or an expression, optionally descending.
 *
 * @param column     the column, or null for an expression
 * @param expression the expression, or null for a column
 * @param descending whether the element sorts descending
 */
public record IndexElement(Identifier column, String expression, boolean descending) implements CanonicalForm {

    /** @return the element as written inside CREATE INDEX's parentheses */
    public String sql() {
        String base = column != null ? column.sql() : "(" + expression + ")";
        return descending ? base + " DESC" : base;
    }

    @Override
    public String canonical() {
        return Canonical.of("elem").with("column", column).with("expr", expression).flag("desc", descending).toString();
    }
}
