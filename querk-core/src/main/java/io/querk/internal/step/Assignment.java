package io.querk.internal.step;

import io.querk.sql.Identifier;

/** {@code column = expression} in a backfill. */
public record Assignment(Identifier column, String expression) implements CanonicalForm {

    /** @return the assignment as written in UPDATE's SET list */
    public String sql() {
        return column.sql() + " = " + expression;
    }

    @Override
    public String canonical() {
        return Canonical.of("set").with("column", column).with("expr", expression).toString();
    }
}
