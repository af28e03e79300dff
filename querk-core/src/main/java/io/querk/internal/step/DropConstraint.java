package io.querk.internal.step;

import io.querk.migration.StepKind;
import io.querk.sql.Identifier;
import io.querk.sql.QualifiedName;


/** DROP CONSTRAINT. */
public record DropConstraint(QualifiedName target, Identifier name) implements StepDefinition {

    @Override
    public StepKind kind() {
        return StepKind.DROP_CONSTRAINT;
    }

    @Override
    public String description() {
        return "drop constraint " + name.sql() + " on " + target.sql();
    }

    @Override
    public boolean destructive() {
        return true;
    }

    @Override
    public String canonical() {
        return Canonical.of("dropConstraint").with("table", target).with("name", name).toString();
    }
}
