package io.querk.internal.step;

import io.querk.migration.StepKind;
import io.querk.sql.QualifiedName;


/** DROP INDEX CONCURRENTLY. */
public record DropIndex(QualifiedName index) implements StepDefinition {

    @Override
    public StepKind kind() {
        return StepKind.DROP_INDEX;
    }

    @Override
    public String description() {
        return "drop index " + index.sql();
    }

    @Override
    public QualifiedName target() {
        return null;
    }

    @Override
    public boolean destructive() {
        return true;
    }

    @Override
    public String canonical() {
        return Canonical.of("dropIndex").with("index", index).toString();
    }
}
