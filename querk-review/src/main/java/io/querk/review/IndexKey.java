package io.querk.review;

import io.querk.Api;
import io.querk.sql.Identifier;

/**
 * One key of a proposed index: a column or an expression, its direction and operator class.
 *
 * @param column        the column, or null for an expression
 * @param expression    the expression (e.g. {@code lower(email)}), or null for a column
 * @param descending    DESC
 * @param operatorClass an operator class other than the type's default (e.g. {@code gin_trgm_ops}), or null
 */
@Api(status = Api.Status.EXPERIMENTAL, since = "0.1")
public record IndexKey(String column, String expression, boolean descending, String operatorClass) {

    /**
     * Checks that exactly one of column and expression is given.
     *
     * @param column        the column, or null
     * @param expression    the expression, or null
     * @param descending    DESC
     * @param operatorClass an operator class, or null
     */
    public IndexKey {
        if ((column == null) == (expression == null)) {
            throw new IllegalArgumentException("An index key is a column or an expression, not both or neither");
        }
    }

    /** @return the key as CREATE INDEX writes it, e.g. {@code created_at DESC}, {@code (lower(email))} */
    public String sql() {
        String base = column != null ? Identifier.of(column).sql() : "(" + expression + ")";
        return base + (operatorClass == null ? "" : " " + operatorClass) + (descending ? " DESC" : "");
    }
}
