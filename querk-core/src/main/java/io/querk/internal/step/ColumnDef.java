package io.querk.internal.step;

import io.querk.sql.Identifier;

/**
 * A column of a new table or a column being added.
 *
 * @param name            the column
 * @param type            its SQL type, as written
 * @param notNull         whether it is NOT NULL
 * @param defaultSql      its default expression, or null
 * @param volatileDefault whether the default is volatile (a per-row value such as random())
 * @param identity        identity generation, or null: "ALWAYS" or "BY DEFAULT"
 * @param generated       the expression of a stored generated column (new tables only), or null
 */
public record ColumnDef(Identifier name, String type, boolean notNull, String defaultSql,
                        boolean volatileDefault, String identity, String generated) implements CanonicalForm {

    @Override
    public String canonical() {
        return Canonical.of("column").with("name", name).with("type", type).flag("notNull", notNull)
                .with("default", defaultSql).flag("volatile", volatileDefault).with("identity", identity)
                .with("generated", generated).toString();
    }

    /** @return the column definition as it appears in CREATE TABLE or ADD COLUMN */
    public String sql(boolean withDefault) {
        StringBuilder sb = new StringBuilder(name.sql()).append(' ').append(type);
        if (identity != null) {
            sb.append(" GENERATED ").append(identity).append(" AS IDENTITY");
        }
        if (generated != null) {
            sb.append(" GENERATED ALWAYS AS (").append(generated).append(") STORED");
        }
        if (withDefault && defaultSql != null) {
            sb.append(" DEFAULT ").append(defaultSql);
        }
        if (notNull) {
            sb.append(" NOT NULL");
        }
        return sb.toString();
    }
}
