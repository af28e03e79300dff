package io.querk.internal.step;

import io.querk.sql.Identifier;
import io.querk.sql.QualifiedName;

import java.util.List;

/** A constraint declared inside CREATE TABLE. */
public sealed interface TableConstraint extends CanonicalForm {

    /** @return the constraint's name */
    Identifier name();

    /** @return the clause as written inside CREATE TABLE */
    String sql();

    /** A CHECK constraint. */
    record Check(Identifier name, String expression) implements TableConstraint {
        @Override
        public String sql() {
            return "CONSTRAINT " + name.sql() + " CHECK (" + expression + ")";
        }

        @Override
        public String canonical() {
            return Canonical.of("check").with("name", name).with("expr", expression).toString();
        }
    }

    /** A UNIQUE constraint. */
    record Unique(Identifier name, List<Identifier> columns) implements TableConstraint {
        public Unique {
            columns = List.copyOf(columns);
        }

        @Override
        public String sql() {
            return "CONSTRAINT " + name.sql() + " UNIQUE (" + Sql.list(columns) + ")";
        }

        @Override
        public String canonical() {
            return Canonical.of("unique").with("name", name).with("columns", columns).toString();
        }
    }

    /** A FOREIGN KEY constraint. */
    record ForeignKey(Identifier name, List<Identifier> columns, QualifiedName referencedTable,
                      List<Identifier> referencedColumns, String onDelete, String onUpdate)
            implements TableConstraint {
        public ForeignKey {
            columns = List.copyOf(columns);
            referencedColumns = List.copyOf(referencedColumns);
        }

        @Override
        public String sql() {
            return "CONSTRAINT " + name.sql() + " " + Sql.foreignKeyClause(columns, referencedTable,
                    referencedColumns, onDelete, onUpdate);
        }

        @Override
        public String canonical() {
            return Canonical.of("fk").with("name", name).with("columns", columns)
                    .with("ref", referencedTable).with("refColumns", referencedColumns)
                    .with("onDelete", onDelete).with("onUpdate", onUpdate).toString();
        }
    }
}
