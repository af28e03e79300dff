package io.querk.internal.step;

import io.querk.migration.StepKind;
import io.querk.sql.Identifier;
import io.querk.sql.QualifiedName;

import java.util.List;

/** CREATE TABLE of a new table. */
public record CreateTable(QualifiedName target, List<ColumnDef> columns, List<Identifier> primaryKey,
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
        return "create table " + target.sql();
    }

    @Override
    public String canonical() {
        return Canonical.of("createTable").with("table", target).with("columns", columns)
                .with("pk", primaryKey).with("constraints", constraints).toString();
    }
}
