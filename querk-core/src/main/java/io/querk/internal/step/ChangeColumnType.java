package io.querk.internal.step;

import io.querk.migration.StepKind;
import io.querk.sql.Identifier;
import io.querk.sql.QualifiedName;


/**
 * The expand half of a type change: add a shadow column of the new type, kept equal to
 * {@code using} (by default {@code column::newType}) by a trigger. The backfill fills existing
 * rows; contract swaps the shadow in under the old name and drops the old column.
 *
 * @param using the conversion expression over the row's columns, or null for a plain cast
 */
public record ChangeColumnType(QualifiedName target, Identifier column, String newType, String using)
        implements StepDefinition {

    @Override
    public StepKind kind() {
        return StepKind.CHANGE_COLUMN_TYPE;
    }

    @Override
    public String description() {
        return "change type of " + target.sql() + "." + column.sql() + " to " + newType
                + (using == null ? "" : " using " + using) + " (expand: add shadow and sync)";
    }

    /** @return the expression that computes the new value from a row */
    public String conversion() {
        return using != null ? using : "(" + column.sql() + ")::" + newType;
    }

    @Override
    public String canonical() {
        return Canonical.of("changeColumnType").with("table", target).with("column", column)
                .with("type", newType).with("using", using).toString();
    }
}
