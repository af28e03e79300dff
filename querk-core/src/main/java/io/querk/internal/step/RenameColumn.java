package io.querk.internal.step;

import io.querk.migration.StepKind;
import io.querk.sql.Identifier;
import io.querk.sql.QualifiedName;


/**
 * The expand half of a column rename: add the new column with the old one's type and keep
 * both equal by a trigger. The backfill copies existing rows; contract drops the old column.
 */
public record RenameColumn(QualifiedName target, Identifier from, Identifier to) implements StepDefinition {

    @Override
    public StepKind kind() {
        return StepKind.RENAME_COLUMN;
    }

    @Override
    public String description() {
        return "rename column " + target.sql() + "." + from.sql() + " to " + to.sql() + " (expand: add and sync)";
    }

    @Override
    public String canonical() {
        return Canonical.of("renameColumn").with("table", target).with("from", from).with("to", to).toString();
    }
}
