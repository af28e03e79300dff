package io.querk.internal.step;

import io.querk.sql.Identifier;

/**
 * One element of an index: a column or an expression, optionally with an operator class,
 * optionally descending.
 *
 * @param column        the column, or null for an expression
 * @param expression    the expression, or null for a column
 * @param descending    whether the element sorts descending
 * @param operatorClass an operator class other than the type's default (e.g. gin_trgm_ops), or null
 */
public record IndexElement(Identifier column, String expression, boolean descending, String operatorClass)
        implements CanonicalForm {

    /** An element with the default operator class. */
    public IndexElement(Identifier column, String expression, boolean descending) {
        this(column, expression, descending, null);
    }

    /** @return the element as written inside CREATE INDEX's parentheses */
    public String sql() {
        String base = column != null ? column.sql() : "(" + expression + ")";
        if (operatorClass != null) {
            base += " " + operatorClass;
        }
        return descending ? base + " DESC" : base;
    }

    @Override
    public String canonical() {
        // The operator class is omitted when null, so indexes defined before it existed keep their checksum.
        return Canonical.of("elem").with("column", column).with("expr", expression).flag("desc", descending)
                .with("opclass", operatorClass).toString();
    }
}
