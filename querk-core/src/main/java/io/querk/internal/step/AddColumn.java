package io.querk.internal.step;

import io.querk.migration.StepKind;
import io.querk.sql.QualifiedName;


/**
 * ADD COLUMN. With {@code derivedFrom}, the column is computed from other columns of the
 * row by a trigger on every write and filled for existing rows by an implied backfill.
 */
public record AddColumn(QualifiedName target, ColumnDef column, String derivedFrom) implements StepDefinition {

    @Override
    public StepKind kind() {
        return StepKind.ADD_COLUMN;
    }

    @Override
    public String description() {
        String d = "add column " + target.sql() + "." + column.name().sql() + " " + column.type();
        return derivedFrom == null ? d : d + " derived from " + derivedFrom;
    }

    /** @return true if existing rows must be filled by batches rather than by the ALTER */
    public boolean needsBackfill() {
        return derivedFrom != null || (column.volatileDefault() && column.defaultSql() != null);
    }

    @Override
    public String canonical() {
        return Canonical.of("addColumn").with("table", target).with("column", column)
                .with("derivedFrom", derivedFrom).toString();
    }
}
