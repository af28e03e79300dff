package io.querk.internal.step;

import io.querk.migration.StepKind;
import io.querk.sql.Identifier;
import io.querk.sql.QualifiedName;


/** SET NOT NULL through a validated CHECK (column IS NOT NULL), which is dropped afterwards. */
public record SetNotNull(QualifiedName target, Identifier column, boolean implied) implements StepDefinition {

    @Override
    public StepKind kind() {
        return StepKind.SET_NOT_NULL;
    }

    @Override
    public String description() {
        return "set not null " + target.sql() + "." + column.sql();
    }

    @Override
    public String canonical() {
        return Canonical.of("setNotNull").with("table", target).with("column", column).toString();
    }
}
