package io.querk.internal.step;

import io.querk.migration.StepKind;
import io.querk.sql.QualifiedName;


/** DROP TABLE. */
public record DropTable(QualifiedName target) implements StepDefinition {

    @Override
    public StepKind kind() {
        return StepKind.DROP_TABLE;
    }

    @Override
    public String description() {
        return "drop table " + target.sql();
    }

    @Override
    public boolean destructive() {
        return true;
    }

    @Override
    public String canonical() {
        return Canonical.of("dropTable").with("table", target).toString();
    }
}
