package io.querk.migration;

import io.querk.Api;
import io.querk.internal.step.DropColumn;
import io.querk.internal.step.DropConstraint;
import io.querk.internal.step.DropIndex;
import io.querk.internal.step.DropTable;
import io.querk.sql.Identifier;
import io.querk.sql.QualifiedName;

/**
 * The steps of the contract phase: removals of what only the previous application version
 * used. Contract runs only once released (see the engine's documentation), because it
 * breaks the old version.
 *
 * <pre>{@code
 * .contract(c -> c
 *     .setNotNull("shipments", "dest_city")
 *     .dropColumn("shipments", "destination"))
 * }</pre>
 */
@Api(status = Api.Status.STABLE, since = "0.1")
public final class ContractSteps extends PhaseSteps<ContractSteps> {

    ContractSteps() {
    }

    @Override
    ContractSteps self() {
        return this;
    }

    /**
     * Drops a column (a catalog change under a brief ACCESS EXCLUSIVE lock; no rewrite).
     *
     * @param table  the table, {@code "name"} or {@code "schema.name"}
     * @param column the column
     * @return this phase, to chain calls
     */
    public ContractSteps dropColumn(String table, String column) {
        return add(new DropColumn(QualifiedName.parse(table), Identifier.of(column)));
    }

    /**
     * Drops a table.
     *
     * @param table the table, {@code "name"} or {@code "schema.name"}
     * @return this phase, to chain calls
     */
    public ContractSteps dropTable(String table) {
        return add(new DropTable(QualifiedName.parse(table)));
    }

    /**
     * Drops an index {@code CONCURRENTLY}.
     *
     * @param index the index, {@code "name"} or {@code "schema.name"}
     * @return this phase, to chain calls
     */
    public ContractSteps dropIndex(String index) {
        return add(new DropIndex(QualifiedName.parse(index)));
    }

    /**
     * Drops a constraint.
     *
     * @param table          the table, {@code "name"} or {@code "schema.name"}
     * @param constraintName the constraint
     * @return this phase, to chain calls
     */
    public ContractSteps dropConstraint(String table, String constraintName) {
        return add(new DropConstraint(QualifiedName.parse(table), Identifier.of(constraintName)));
    }
}
