package io.querk.internal.step;

import io.querk.migration.StepKind;
import io.querk.sql.Identifier;
import io.querk.sql.QualifiedName;

import java.util.List;
import java.util.Optional;

/** CREATE TABLE of a new table. */
public record CreateTable(QualifiedName name, List<ColumnDef> columns, List<Identifier> primaryKey,
                          List<TableConstraint> constraints) implements StepDefinition {
    public CreateTable {
        columns = List.copyOf(columns);
        primaryKey = List.copyOf(primaryKey);
        constraints = List.copyOf(constraints);
    }

    @Override
    public StepKind kind() {
        return StepKind.CREATE_TABLE;
    }

    @Override
    public String description() {
        return "create table " + name.sql();
    }

    @Override
    public Optional<QualifiedName> table() {
        return Optional.of(name);
    }

    @Override
    public boolean destructive() {
        return false;
    }

    @Override
    public String canonical() {
        return Canonical.of("createTable").with("table", name).with("columns", columns)
                .with("pk", primaryKey).with("constraints", constraints).toString();
    }
}
