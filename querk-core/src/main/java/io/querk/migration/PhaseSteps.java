package io.querk.migration;

import io.querk.Api;
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
@Api(status = Api.Status.STABLE, since = "0.1")
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
     * @return this phase, to chain calls
     */
    public S createIndex(String name, String table, String... columns) {
        return createIndex(name, table, i -> i.columns(columns));
    }

    /**
     * Creates an index of any shape (unique, partial, expression, method, INCLUDE), {@code CONCURRENTLY}.
     *
     * @param name  the index
     * @param table its table, {@code "name"} or {@code "schema.name"}
     * @param spec  describes the index's shape; see {@link IndexSpec} for examples
     * @return this phase, to chain calls
     */
    public S createIndex(String name, String table, Consumer<IndexSpec> spec) {
        IndexSpec s = new IndexSpec();
        spec.accept(s);
        return add(s.build(QualifiedName.parse(table), Identifier.of(name)));
    }

    /**
     * Creates a unique b-tree index on columns, {@code CONCURRENTLY}.
     *
     * @param name    the index
     * @param table   its table, {@code "name"} or {@code "schema.name"}
     * @param columns the indexed columns, in order
     * @return this phase, to chain calls
     */
    public S createUniqueIndex(String name, String table, String... columns) {
        return createIndex(name, table, i -> i.unique().columns(columns));
    }

    /**
     * Adds a CHECK constraint without blocking writes for a scan: {@code ADD CONSTRAINT ... NOT VALID},
     * then {@code VALIDATE CONSTRAINT} in its own transaction.
     *
     * @param table          the constrained table, {@code "name"} or {@code "schema.name"}
     * @param constraintName the constraint
     * @param expression     the boolean SQL expression, without {@code CHECK ( )}
     * @return this phase, to chain calls
     */
    public S addCheck(String table, String constraintName, String expression) {
        return add(new AddCheck(QualifiedName.parse(table), Identifier.of(constraintName),
                Dsl.requirePredicate("check " + constraintName, expression)));
    }

    /**
     * Adds a foreign key {@code NOT VALID}, then validates it in its own transaction, so that
     * neither table is locked against writes while the existing rows are checked.
     *
     * @param table          the referencing table, {@code "name"} or {@code "schema.name"}
     * @param constraintName the constraint
     * @param spec           the columns, the referenced table and the actions
     * @return this phase, to chain calls
     */
    public S addForeignKey(String table, String constraintName, Consumer<ForeignKeySpec> spec) {
        ForeignKeySpec fk = new ForeignKeySpec();
        spec.accept(fk);
        return add(fk.build(QualifiedName.parse(table), Identifier.of(constraintName)));
    }

    /**
     * Adds a single-column foreign key {@code NOT VALID}, then validates it.
     *
     * @param table            the referencing table, {@code "name"} or {@code "schema.name"}
     * @param constraintName   the constraint
     * @param column           the referencing column
     * @param referencedTable  the referenced table, {@code "name"} or {@code "schema.name"}
     * @param referencedColumn the referenced column, usually its key
     * @return this phase, to chain calls
     */
    public S addForeignKey(String table, String constraintName, String column, String referencedTable,
                           String referencedColumn) {
        return addForeignKey(table, constraintName, fk -> fk.columns(column).references(referencedTable, referencedColumn));
    }

    /**
     * Adds a UNIQUE constraint: a unique index built {@code CONCURRENTLY} under the constraint's
     * name, then {@code ADD CONSTRAINT ... UNIQUE USING INDEX}.
     *
     * @param table          the constrained table, {@code "name"} or {@code "schema.name"}
     * @param constraintName the constraint, also the name of its index
     * @param columns        the unique columns, in order
     * @return this phase, to chain calls
     */
    public S addUnique(String table, String constraintName, String... columns) {
        return add(new AddUnique(QualifiedName.parse(table), Identifier.of(constraintName),
                Dsl.columns("A unique constraint", columns), false));
    }

    /**
     * Adds a PRIMARY KEY: each column made NOT NULL through a validated check, a unique index
     * built {@code CONCURRENTLY}, then {@code ADD CONSTRAINT ... PRIMARY KEY USING INDEX}.
     *
     * @param table          the table, {@code "name"} or {@code "schema.name"}
     * @param constraintName the constraint, also the name of its index
     * @param columns        the key columns, in order
     * @return this phase, to chain calls
     */
    public S addPrimaryKey(String table, String constraintName, String... columns) {
        return add(new AddUnique(QualifiedName.parse(table), Identifier.of(constraintName),
                Dsl.columns("A primary key", columns), true));
    }

    /**
     * Makes a column NOT NULL without a long lock: {@code CHECK (column IS NOT NULL) NOT VALID},
     * {@code VALIDATE}, {@code SET NOT NULL} (which then needs no scan), and the check is dropped.
     *
     * @param table  the table, {@code "name"} or {@code "schema.name"}
     * @param column the column
     * @return this phase, to chain calls
     */
    public S setNotNull(String table, String column) {
        return add(new SetNotNull(QualifiedName.parse(table), Identifier.of(column), false));
    }

    /**
     * Runs SQL as written. Statements that must run outside a transaction block
     * ({@code CONCURRENTLY}, {@code VACUUM}) run alone; the others run together in one
     * transaction under the engine's lock guard.
     *
     * <p>The safety planner checks every statement against the known hazards (an index built
     * without CONCURRENTLY, a constraint validated under lock, a rewrite ...) and refuses a step
     * with a DANGER hazard, at {@code build()} when the hazard holds on every server, otherwise
     * when the engine plans the run. Accept a hazard knowingly with
     * {@link #sql(String, SafetyOverride)}.
     *
     * @param script one or more statements separated by {@code ;}
     * @return this phase, to chain calls
     * @throws MigrationDefinitionException if the script is empty or cannot be read
     */
    public S sql(String script) {
        return add(new RawSql(script, statements(script), null, null));
    }

    /**
     * Runs SQL as written, accepting the hazards the override names, for the reason it gives;
     * the reason is recorded in the history table with the step.
     *
     * <pre>{@code
     * contract(c -> c.sql("VACUUM FULL audit_log",
     *         SafetyOverride.because("audit_log holds 2,000 rows; the lock lasts milliseconds")
     *                 .onlyFor("vacuum-full")));
     * }</pre>
     *
     * @param script   one or more statements separated by {@code ;}
     * @param override which hazards are accepted, and why
     * @return this phase, to chain calls
     * @throws MigrationDefinitionException if the override is null, or the script is empty or
     *                                      cannot be read
     */
    public S sql(String script, SafetyOverride override) {
        if (override == null) {
            throw new MigrationDefinitionException("sql(script, override) was given a null override; pass"
                    + " SafetyOverride.because(\"why the hazard is acceptable\"), or call sql(script) without one.");
        }
        return add(new RawSql(script, statements(script), override, null));
    }

    /**
     * Runs SQL as written, like {@link #sql(String)}, and says how to reverse it if the migration is
     * aborted before its contract (typed steps know their own undo; raw SQL does not).
     *
     * @param script one or more statements separated by {@code ;}
     * @param undo   the SQL that reverses it, e.g. {@code Undo.with("DROP TYPE IF EXISTS parcel_size")}
     * @return this phase, to chain calls
     */
    public S sql(String script, Undo undo) {
        return sql(script, null, undo);
    }

    /**
     * Runs SQL as written, accepting the hazards the override names, and says how to reverse it.
     *
     * @param script   one or more statements separated by {@code ;}
     * @param override which hazards are accepted, and why; null for none
     * @param undo     the SQL that reverses it
     * @return this phase, to chain calls
     */
    public S sql(String script, SafetyOverride override, Undo undo) {
        if (undo == null) {
            throw new MigrationDefinitionException("sql(script, override, undo) was given a null undo; pass"
                    + " Undo.with(\"...\"), or call sql(script) without one.");
        }
        return add(new RawSql(script, statements(script), override, statements(undo.script())));
    }

    private static List<SqlStatements.Statement> statements(String script) {
        if (script == null || script.isBlank()) {
            throw new MigrationDefinitionException("A sql(...) step is empty; give it at least one statement.");
        }
        List<SqlStatements.Statement> statements;
        try {
            statements = SqlStatements.split(script);
        } catch (SqlSyntaxException e) {
            throw unreadable(script, statementAt(script, e.offset()), e);
        }
        if (statements.isEmpty()) {
            throw new MigrationDefinitionException("A sql(...) step holds no statement, only separators or comments.");
        }
        for (int i = 0; i < statements.size(); i++) {
            try {
                SqlStatements.checkShape(statements.get(i));
            } catch (SqlSyntaxException e) {
                throw unreadable(script, i + 1, e);
            }
        }
        return statements;
    }

    private static MigrationDefinitionException unreadable(String script, int statement, SqlSyntaxException e) {
        String line = script.substring(script.lastIndexOf('\n', Math.max(0, e.offset() - 1)) + 1);
        int end = line.indexOf('\n');
        line = (end < 0 ? line : line.substring(0, end)).strip();
        if (line.length() > 60) {
            line = line.substring(0, 57) + "...";
        }
        return new MigrationDefinitionException("A sql(...) step cannot be read: statement " + statement + ", at "
                + SqlStatements.position(script, e.offset()) + " (\"" + line + "\"): " + e.getMessage()
                + ". Fix the SQL; Querk checks it before anything reaches the database.");
    }

    /** @return the number (from 1) of the statement holding {@code offset}, counting the ones that end before it */
    private static int statementAt(String script, int offset) {
        try {
            String before = script.substring(0, offset);
            int complete = SqlStatements.split(before + " x").size();
            return Math.max(1, complete);
        } catch (SqlSyntaxException nested) {
            return 1;
        }
    }
}
