package io.querk.migration;

import io.querk.Api;
import io.querk.internal.step.AddForeignKey;
import io.querk.internal.step.TableConstraint;
import io.querk.sql.Identifier;
import io.querk.sql.QualifiedName;

import java.util.List;

/**
 * A foreign key in {@link PhaseSteps#addForeignKey(String, String, java.util.function.Consumer)}
 * or {@link TableSpec#foreignKey(String, java.util.function.Consumer)}.
 *
 * <pre>{@code
 * e.addForeignKey("shipments", "shipments_carrier_fk", fk -> fk
 *         .columns("carrier_id").references("carriers", "id").onDelete(ReferentialAction.RESTRICT));
 * }</pre>
 */
@Api(status = Api.Status.STABLE, since = "0.1")
public final class ForeignKeySpec {

    private List<Identifier> columns;
    private QualifiedName referencedTable;
    private List<Identifier> referencedColumns = List.of();
    private ReferentialAction onDelete;
    private ReferentialAction onUpdate;

    ForeignKeySpec() {
    }

    /**
     * The referencing columns of this table.
     *
     * @param columns the columns, in the order of the referenced key
     * @return this spec
     */
    public ForeignKeySpec columns(String... columns) {
        this.columns = Dsl.columns("A foreign key", columns);
        return this;
    }

    /**
     * The referenced table and its columns; with no columns, its primary key.
     *
     * @param table   the referenced table, {@code "name"} or {@code "schema.name"}
     * @param columns the referenced columns, as many as the referencing ones, or none
     * @return this spec
     */
    public ForeignKeySpec references(String table, String... columns) {
        this.referencedTable = QualifiedName.parse(table);
        this.referencedColumns = columns.length == 0 ? List.of() : Dsl.columns("The referenced key", columns);
        return this;
    }

    /**
     * What happens to referencing rows when the referenced row is deleted.
     *
     * @param action the action; unset, PostgreSQL's default ({@code NO ACTION})
     * @return this spec
     */
    public ForeignKeySpec onDelete(ReferentialAction action) {
        this.onDelete = action;
        return this;
    }

    /**
     * What happens to referencing rows when the referenced key is updated.
     *
     * @param action the action; unset, PostgreSQL's default ({@code NO ACTION})
     * @return this spec
     */
    public ForeignKeySpec onUpdate(ReferentialAction action) {
        this.onUpdate = action;
        return this;
    }

    private void check(Identifier name) {
        if (columns == null) {
            throw new MigrationDefinitionException("Foreign key " + name.sql() + " has no columns; call columns(...).");
        }
        if (referencedTable == null) {
            throw new MigrationDefinitionException("Foreign key " + name.sql()
                    + " references nothing; call references(table, columns...).");
        }
        if (!referencedColumns.isEmpty() && referencedColumns.size() != columns.size()) {
            throw new MigrationDefinitionException("Foreign key " + name.sql() + " has " + columns.size()
                    + " column(s) but references " + referencedColumns.size() + "; the counts must match.");
        }
    }

    AddForeignKey build(QualifiedName table, Identifier name) {
        check(name);
        return new AddForeignKey(table, name, columns, referencedTable, referencedColumns,
                onDelete == null ? null : onDelete.sql(), onUpdate == null ? null : onUpdate.sql());
    }

    TableConstraint.ForeignKey buildInline(Identifier name) {
        check(name);
        return new TableConstraint.ForeignKey(name, columns, referencedTable, referencedColumns,
                onDelete == null ? null : onDelete.sql(), onUpdate == null ? null : onUpdate.sql());
    }
}
