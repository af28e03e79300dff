package io.querk.migration;

import io.querk.Api;
import io.querk.internal.step.AddColumn;
import io.querk.internal.step.ChangeColumnType;
import io.querk.internal.step.ColumnDef;
import io.querk.internal.step.RenameColumn;
import io.querk.sql.Identifier;
import io.querk.sql.QualifiedName;

import java.util.function.Consumer;

/**
 * The steps of the expand phase: additive changes the running application version does not
 * notice. Nothing here removes anything; removals belong to {@link ContractSteps}.
 *
 * <pre>{@code
 * .expand(e -> e
 *     .addColumn("shipments", "dest_city", "text", c -> c.derivedFrom("split_part(destination, ',', 1)"))
 *     .createIndex("shipments_dest_city_idx", "shipments", "dest_city"))
 * }</pre>
 */
@Api(status = Api.Status.STABLE, since = "0.1")
public final class ExpandSteps extends PhaseSteps<ExpandSteps> {

    ExpandSteps() {
    }

    @Override
    ExpandSteps self() {
        return this;
    }

    /**
     * Creates a new table. Nothing uses it yet, so this takes no lock that anyone waits on.
     *
     * @param table      the table, {@code "name"} or {@code "schema.name"}
     * @param definition its columns and constraints; see {@link TableSpec}
     * @return this phase, to chain calls
     */
    public ExpandSteps createTable(String table, Consumer<TableSpec> definition) {
        TableSpec spec = new TableSpec();
        definition.accept(spec);
        return add(spec.build(QualifiedName.parse(table)));
    }

    /**
     * Adds a nullable column without a default: a catalog-only change.
     *
     * @param table  the table, {@code "name"} or {@code "schema.name"}
     * @param column the new column
     * @param type   its SQL type, e.g. {@code "text"} or {@code "numeric(12,2)"}
     * @return this phase, to chain calls
     */
    public ExpandSteps addColumn(String table, String column, String type) {
        return addColumn(table, column, type, c -> { });
    }

    /**
     * Adds a column with options. A non-volatile default is instant (PostgreSQL 11+); a volatile one
     * is applied to new rows at once and to existing rows by an implied backfill; a derived column
     * is kept in sync by a trigger and backfilled.
     *
     * @param table   the table, {@code "name"} or {@code "schema.name"}
     * @param column  the new column
     * @param type    its SQL type, e.g. {@code "text"} or {@code "numeric(12,2)"}
     * @param options its default, NOT NULL, derivation ...; see {@link ColumnSpec}
     * @return this phase, to chain calls
     * @throws MigrationDefinitionException if the column is NOT NULL without a default
     */
    public ExpandSteps addColumn(String table, String column, String type, Consumer<ColumnSpec> options) {
        ColumnSpec spec = new ColumnSpec(column, type, true);
        options.accept(spec);
        ColumnDef def = spec.build();
        if (def.notNull() && def.defaultSql() == null) {
            throw new MigrationDefinitionException("Column " + def.name().sql() + " is added NOT NULL without a"
                    + " default, which fails on a table with rows. Give it a default, or add it nullable,"
                    + " backfill it, and setNotNull(...) it in contract.");
        }
        return add(new AddColumn(QualifiedName.parse(table), def, spec.derivedFrom()));
    }

    /**
     * Renames a column without breaking the running version: adds {@code to} with {@code from}'s
     * type and keeps the two equal by a trigger in both directions; an implied backfill copies
     * existing rows; at contract, {@code from}'s default and NOT NULL move to {@code to} and
     * {@code from} is dropped. Indexes and constraints on {@code from} are not copied: create
     * them on {@code to} in this expand phase.
     *
     * @param table the table, {@code "name"} or {@code "schema.name"}
     * @param from  the column's current name
     * @param to    its new name
     * @return this phase, to chain calls
     * @throws MigrationDefinitionException if {@code from} and {@code to} are the same
     */
    public ExpandSteps renameColumn(String table, String from, String to) {
        if (from.equals(to)) {
            throw new MigrationDefinitionException("renameColumn(" + table + ", " + from + ", " + to
                    + ") renames a column to its own name; remove the step.");
        }
        return add(new RenameColumn(QualifiedName.parse(table), Identifier.of(from), Identifier.of(to)));
    }

    /**
     * Changes a column's type with a plain cast ({@code column::newType}); see the four-argument form.
     *
     * @param table   the table, {@code "name"} or {@code "schema.name"}
     * @param column  the column
     * @param newType the SQL type it gets
     * @return this phase, to chain calls
     */
    public ExpandSteps changeColumnType(String table, String column, String newType) {
        return add(new ChangeColumnType(QualifiedName.parse(table), Identifier.of(column),
                Dsl.requireType(column, newType), null));
    }

    /**
     * Changes a column's type without a table rewrite under lock: a shadow column of the new type
     * follows the old one by a trigger ({@code using} computes it from the row), an implied backfill
     * fills existing rows, and contract swaps the shadow in under the old name in one short
     * transaction. NOT NULL and the default carry over; indexes and constraints on the old
     * column do not.
     *
     * @param table   the table, {@code "name"} or {@code "schema.name"}
     * @param column  the column
     * @param newType the SQL type it gets
     * @param using   an expression over the row, e.g. {@code "round(weight_kg * 1000)::bigint"}
     * @return this phase, to chain calls
     */
    public ExpandSteps changeColumnType(String table, String column, String newType, String using) {
        return add(new ChangeColumnType(QualifiedName.parse(table), Identifier.of(column),
                Dsl.requireType(column, newType), Dsl.requireExpression("the conversion of " + column, using)));
    }
}
