package io.querk.internal.step;

import io.querk.migration.StepKind;
import io.querk.sql.Identifier;
import io.querk.sql.QualifiedName;

/**
 * The backfill-phase half of a rename or type change, implied by its expand step: once the new
 * column is filled, the old column's indexes (built concurrently), unique constraints (their
 * index built concurrently, attached at contract), checks and foreign keys (added NOT VALID,
 * then validated) are built again over the new column, under temporary names that contract
 * swaps for the originals when it drops the old column. Which ones is read from the live
 * catalog when the step is planned and when it runs.
 *
 * @param source    the column whose dependents are carried (the rename's old column, the retyped column)
 * @param column    the column they are carried to (the rename's new column, the type change's shadow)
 * @param newType   the type change's new type; null for a rename
 */
public record CarryDependents(QualifiedName target, Identifier source, Identifier column, String newType)
        implements StepDefinition {

    @Override
    public StepKind kind() {
        return StepKind.CARRY_DEPENDENTS;
    }

    @Override
    public String description() {
        return "carry the indexes and constraints of " + target.sql() + "." + source.sql() + " to " + column.sql();
    }

    @Override
    public boolean implied() {
        return true;
    }

    @Override
    public String canonical() {
        return Canonical.of("carryDependents").with("table", target).with("source", source).with("column", column)
                .with("type", newType).toString();
    }
}
