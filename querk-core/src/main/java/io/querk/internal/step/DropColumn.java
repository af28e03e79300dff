package io.querk.internal.step;

import io.querk.migration.StepKind;
import io.querk.sql.Identifier;
import io.querk.sql.QualifiedName;


/** DROP COLUMN. */
public record DropColumn(QualifiedName target, Identifier column) implements StepDefinition {

    @Override
    public StepKind kind() {
        return StepKind.DROP_COLUMN;
    }

    @Override
    public String description() {
        return "drop column " + target.sql() + "." + column.sql();
    }

    @Override
    public boolean destructive() {
        return true;
    }

    @Override
    public String canonical() {
        return Canonical.of("dropColumn").with("table", target).with("column", column).toString();
    }
}
