package io.querk.migration;

import io.querk.Api;
import io.querk.internal.step.ColumnDef;
import io.querk.internal.step.CreateTable;
import io.querk.internal.step.TableConstraint;
import io.querk.sql.Identifier;
import io.querk.sql.QualifiedName;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The definition of a new table in {@link ExpandSteps#createTable(String, Consumer)}.
 *
 * <pre>{@code
 * e.createTable("carriers", t -> t
 *         .column("id", "bigint", c -> c.identity())
 *         .column("name", "text", c -> c.notNull())
 *         .column("created_at", "timestamptz", c -> c.notNull().defaultValue("now()"))
 *         .primaryKey("id")
 *         .unique("carriers_name_key", "name"));
 * }</pre>
 */
@Api(status = Api.Status.STABLE, since = "0.1")
public final class TableSpec {

    private final List<ColumnDef> columns = new ArrayList<>();
    private final Set<String> columnNames = new HashSet<>();
    private final List<TableConstraint> constraints = new ArrayList<>();
    private List<Identifier> primaryKey = List.of();

    TableSpec() {
    }

    /**
     * Adds a nullable column without a default.
     *
     * @param name the column
     * @param type its SQL type, e.g. {@code "text"} or {@code "numeric(12,2)"}
     * @return this spec
     */
    public TableSpec column(String name, String type) {
        return column(name, type, c -> { });
    }

    /**
     * Adds a column with options (NOT NULL, default, identity).
     *
     * @param name    the column
     * @param type    its SQL type, e.g. {@code "text"} or {@code "numeric(12,2)"}
     * @param options its options; see {@link ColumnSpec}
     * @return this spec
     * @throws MigrationDefinitionException if the column is already declared
     */
    public TableSpec column(String name, String type, Consumer<ColumnSpec> options) {
        ColumnSpec spec = new ColumnSpec(name, type, false);
        options.accept(spec);
        ColumnDef def = spec.build();
        if (!columnNames.add(name)) {
            throw new MigrationDefinitionException("Column " + def.name().sql() + " is declared twice.");
        }
        columns.add(def);
        return this;
    }

    /**
     * Declares the primary key.
     *
     * @param columns the key columns, in order; each declared with {@link #column(String, String)}
     * @return this spec
     */
    public TableSpec primaryKey(String... columns) {
        this.primaryKey = Dsl.columns("A primary key", columns);
        return this;
    }

    /**
     * Adds a named UNIQUE constraint.
     *
     * @param constraintName the constraint
     * @param columns        the unique columns, in order
     * @return this spec
     */
    public TableSpec unique(String constraintName, String... columns) {
        constraints.add(new TableConstraint.Unique(Identifier.of(constraintName), Dsl.columns("A unique constraint", columns)));
        return this;
    }

    /**
     * Adds a named CHECK constraint.
     *
     * @param constraintName the constraint
     * @param expression     the boolean SQL expression, without {@code CHECK ( )}
     * @return this spec
     */
    public TableSpec check(String constraintName, String expression) {
        constraints.add(new TableConstraint.Check(Identifier.of(constraintName),
                Dsl.requirePredicate("check " + constraintName, expression)));
        return this;
    }

    /**
     * Adds a named FOREIGN KEY constraint.
     *
     * @param constraintName the constraint
     * @param spec           the columns, the referenced table and the actions
     * @return this spec
     */
    public TableSpec foreignKey(String constraintName, Consumer<ForeignKeySpec> spec) {
        ForeignKeySpec fk = new ForeignKeySpec();
        spec.accept(fk);
        constraints.add(fk.buildInline(Identifier.of(constraintName)));
        return this;
    }

    CreateTable build(QualifiedName name) {
        if (columns.isEmpty()) {
            throw new MigrationDefinitionException("Table " + name.sql() + " has no columns; add them with column(...).");
        }
        for (Identifier pk : primaryKey) {
            if (!columnNames.contains(pk.name())) {
                throw new MigrationDefinitionException("The primary key of " + name.sql() + " names column "
                        + pk.sql() + ", which the table does not declare.");
            }
        }
        Set<String> constraintNames = new HashSet<>();
        for (TableConstraint c : constraints) {
            if (!constraintNames.add(c.name().name())) {
                throw new MigrationDefinitionException("Table " + name.sql() + " declares constraint "
                        + c.name().sql() + " twice.");
            }
        }
        return new CreateTable(name, columns, primaryKey, constraints);
    }
}
