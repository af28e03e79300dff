package io.querk.migration;

import io.querk.internal.sql.SqlStatements;
import io.querk.internal.sql.SqlSyntaxException;
import io.querk.internal.step.AddCheck;
import io.querk.internal.step.AddUnique;
import io.querk.internal.step.RawSql;
import io.querk.internal.step.SetNotNull;
import io.querk.internal.step.StepDefinition;
import io.querk.sql.Identifier;
import io.querk.sql.QualifiedName;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The steps both {@link ExpandSteps} and {@link ContractSteps} offer: indexes and
 * constraints, each rendered in its non-blocking form, and raw SQL.
 *
 * @param <S> the concrete phase, so that calls chain
 */
public abstract sealed class PhaseSteps<S extends PhaseSteps<S>> permits ExpandSteps, ContractSteps {

    final List<StepDefinition> steps = new ArrayList<>();

    PhaseSteps() {
    }

    abstract S self();

    S add(StepDefinition step) {
        steps.add(step);
        return self();
    }

    /**
     * Creates a b-tree index on columns, {@code CONCURRENTLY}. A build that fails leaves an
     * INVALID index; the next run drops and rebuilds it.
     *
     * @param name    the index
     * @param table   its table, {@code "name"} or {@code "schema.name"}
     * @param columns the indexed columns, in order
     */
    public S createIndex(String name, String table, String... columns) {
        return createIndex(name, table, i -> i.columns(columns));
    }

    /** Creates an index of any shape (unique, partial, expression, method, INCLUDE), {@code CONCURRENTLY}. */
    public S createIndex(String name, String table, Consumer<IndexSpec> spec) {
        IndexSpec s = new IndexSpec();
        spec.accept(s);
        return add(s.build(QualifiedName.parse(table), Identifier.of(name)));
    }

    /** Creates a unique b-tree index on columns, {@code CONCURRENTLY}. */
    public S createUniqueIndex(String name, String table, String... columns) {
        return createIndex(name, table, i -> i.unique().columns(columns));
    }

    /**
     * Adds a CHECK constraint without blocking writes for a scan: {@code ADD CONSTRAINT ... NOT VALID},
     * then {@code VALIDATE CONSTRAINT} in its own transaction.
     */
    public S addCheck(String table, String constraintName, String expression) {
        return add(new AddCheck(QualifiedName.parse(table), Identifier.of(constraintName),
                Dsl.requireFragment("check " + constraintName, expression)));
    }

    /** Adds a foreign key {@code NOT VALID}, then validates it in its own transaction. */
    public S addForeignKey(String table, String constraintName, Consumer<ForeignKeySpec> spec) {
        ForeignKeySpec fk = new ForeignKeySpec();
        spec.accept(fk);
        return add(fk.build(QualifiedName.parse(table), Identifier.of(constraintName)));
    }

    /** Adds a single-column foreign key {@code NOT VALID}, then validates it. */
    public S addForeignKey(String table, String constraintName, String column, String referencedTable,
                           String referencedColumn) {
        return addForeignKey(table, constraintName, fk -> fk.columns(column).references(referencedTable, referencedColumn));
    }

    /**
     * Adds a UNIQUE constraint: a unique index built {@code CONCURRENTLY} under the constraint's
     * name, then {@code ADD CONSTRAINT ... UNIQUE USING INDEX}.
     */
    public S addUnique(String table, String constraintName, String... columns) {
        return add(new AddUnique(QualifiedName.parse(table), Identifier.of(constraintName),
                Dsl.columns("A unique constraint", columns), false));
    }

    /**
     * Adds a PRIMARY KEY: each column made NOT NULL through a validated check, a unique index
     * built {@code CONCURRENTLY}, then {@code ADD CONSTRAINT ... PRIMARY KEY USING INDEX}.
     */
    public S addPrimaryKey(String table, String constraintName, String... columns) {
        return add(new AddUnique(QualifiedName.parse(table), Identifier.of(constraintName),
                Dsl.columns("A primary key", columns), true));
    }

    /**
     * Makes a column NOT NULL without a long lock: {@code CHECK (column IS NOT NULL) NOT VALID},
     * {@code VALIDATE}, {@code SET NOT NULL} (which then needs no scan), and the check is dropped.
     */
    public S setNotNull(String table, String column) {
        return add(new SetNotNull(QualifiedName.parse(table), Identifier.of(column), false));
    }

    /**
     * Runs SQL as written. Statements that must run outside a transaction block
     * ({@code CONCURRENTLY}, {@code VACUUM}) run alone; the others run together in one
     * transaction under the engine's lock guard.
     *
     * @param script one or more statements separated by {@code ;}
     */
    public S sql(String script) {
        if (script == null || script.isBlank()) {
            throw new MigrationDefinitionException("A sql(...) step is empty; give it at least one statement.");
        }
        List<SqlStatements.Statement> statements;
        try {
            statements = SqlStatements.split(script);
        } catch (SqlSyntaxException e) {
            throw new MigrationDefinitionException("A sql(...) step cannot be read: " + e.getMessage() + " at "
                    + SqlStatements.position(script, e.offset()) + ".");
        }
        if (statements.isEmpty()) {
            throw new MigrationDefinitionException("A sql(...) step holds no statement, only separators or comments.");
        }
        return add(new RawSql(script, statements, null));
    }
}
