package io.querk.internal.step;

import io.querk.migration.StepKind;
import io.querk.sql.Identifier;
import io.querk.sql.QualifiedName;

import java.util.List;

/**
 * A UNIQUE constraint or PRIMARY KEY attached to a unique index built concurrently.
 *
 * @param primaryKey true for a primary key, whose columns are first made NOT NULL safely
 */
public record AddUnique(QualifiedName target, Identifier name, List<Identifier> columns, boolean primaryKey)
        implements StepDefinition {
    public AddUnique {
        columns = List.copyOf(columns);
    }

    @Override
    public StepKind kind() {
        return primaryKey ? StepKind.ADD_PRIMARY_KEY : StepKind.ADD_UNIQUE;
    }

    @Override
    public String description() {
        return "add " + (primaryKey ? "primary key " : "unique constraint ") + name.sql() + " on "
                + target.sql() + " (" + Sql.list(columns) + ")";
    }

    @Override
    public String canonical() {
        return Canonical.of(primaryKey ? "addPrimaryKey" : "addUnique").with("table", target).with("name", name)
                .with("columns", columns).toString();
    }
}
