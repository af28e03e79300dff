package io.querk.internal.step;

import io.querk.migration.StepKind;
import io.querk.sql.Identifier;
import io.querk.sql.QualifiedName;


/** A CHECK constraint added NOT VALID and then validated. */
public record AddCheck(QualifiedName target, Identifier name, String expression) implements StepDefinition {

    @Override
    public StepKind kind() {
        return StepKind.ADD_CHECK;
    }

    @Override
    public String description() {
        return "add check " + name.sql() + " on " + target.sql() + " (" + expression + ")";
    }

    @Override
    public String canonical() {
        return Canonical.of("addCheck").with("table", target).with("name", name).with("expr", expression).toString();
    }
}
