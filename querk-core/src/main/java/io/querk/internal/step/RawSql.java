package io.querk.internal.step;

import io.querk.internal.plan.RawSqlAnalyzer;
import io.querk.internal.sql.SqlStatements;
import io.querk.migration.Phase;
import io.querk.migration.SafetyOverride;
import io.querk.migration.StepKind;
import io.querk.sql.QualifiedName;

import java.util.List;

/**
 * SQL as written by the user, split into statements.
 *
 * @param sql            the script
 * @param statements     its statements
 * @param override   the hazards the safety planner may report that are accepted, and why; or null
 * @param undo       the statements that reverse it, for abort; or null
 */
public record RawSql(String sql, List<SqlStatements.Statement> statements, SafetyOverride override,
                     List<SqlStatements.Statement> undo) implements StepDefinition {
    public RawSql {
        statements = List.copyOf(statements);
        undo = undo == null ? null : List.copyOf(undo);
    }

    @Override
    public StepKind kind() {
        return StepKind.RAW_SQL;
    }

    @Override
    public String description() {
        String first = statements.isEmpty() ? "" : statements.get(0).text().replaceAll("\\s+", " ");
        String head = first.length() > 80 ? first.substring(0, 77) + "..." : first;
        return "sql: " + head + (statements.size() > 1 ? " (+" + (statements.size() - 1) + " more)" : "");
    }

    @Override
    public QualifiedName target() {
        return null;
    }

    /** @return true if a statement must run outside a transaction block (CONCURRENTLY, VACUUM ...) */
    public boolean needsOwnTransaction() {
        return statements.stream().anyMatch(RawSql::mustRunAlone);
    }

    /** @return true if {@code statement} cannot run inside a transaction block */
    public static boolean mustRunAlone(SqlStatements.Statement statement) {
        // Whether a statement may run in a transaction block does not depend on the version or the phase.
        return RawSqlAnalyzer.analyze(statement, RawSqlAnalyzer.NEWEST_KNOWN, Phase.CONTRACT, t -> java.util.Optional.empty())
                .mustRunAlone();
    }

    /** @return the reason recorded in the history table, or null without an override */
    public String overrideReason() {
        return override == null ? null : override.describe();
    }

    @Override
    public String canonical() {
        // The undo is deliberately absent: adding one to an applied step, in order to abort it, is allowed.
        return Canonical.of("sql").with("sql", sql).toString();
    }
}
