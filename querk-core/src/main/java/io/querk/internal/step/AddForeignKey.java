package io.querk.internal.step;

import io.querk.migration.StepKind;
import io.querk.sql.Identifier;
import io.querk.sql.QualifiedName;

import java.util.List;

/** A FOREIGN KEY added NOT VALID and then validated. */
public record AddForeignKey(QualifiedName target, Identifier name, List<Identifier> columns,
                            QualifiedName referencedTable, List<Identifier> referencedColumns,
                            String onDelete, String onUpdate) implements StepDefinition {
    public AddForeignKey {
        columns = List.copyOf(columns);
        referencedColumns = List.copyOf(referencedColumns);
    }

    @Override
    public StepKind kind() {
        return StepKind.ADD_FOREIGN_KEY;
    }

    @Override
    public String description() {
        return "add foreign key " + name.sql() + " on " + target.sql() + " (" + Sql.list(columns)
                + ") references " + referencedTable.sql();
    }

    @Override
    public String canonical() {
        return Canonical.of("addForeignKey").with("table", target).with("name", name).with("columns", columns)
                .with("ref", referencedTable).with("refColumns", referencedColumns)
                .with("onDelete", onDelete).with("onUpdate", onUpdate).toString();
    }
}
