package io.querk.internal.step;

import io.querk.internal.sql.SqlStatements;
import io.querk.migration.StepKind;
import io.querk.sql.QualifiedName;

import java.util.List;

/**
 * SQL as written by the user, split into statements.
 *
 * @param sql            the script
 * @param statements     its statements
 * @param overrideReason why a hazard the safety check reports is accepted, or null
 */
public record RawSql(String sql, List<SqlStatements.Statement> statements, String overrideReason)
        implements StepDefinition {
    public RawSql {
        statements = List.copyOf(statements);
    }

    @Override
    public StepKind kind() {
        return StepKind.RAW_SQL;
    }

    @Override
    public String description() {
        String first = statements.isEmpty() ? "" : statements.get(0).text().replaceAll("\\s+", " ");
        String head = first.length() > 80 ? first.substring(0, 77) + "..." : first;
        // "unchecked": no safety check has looked at it; the planner's raw SQL check replaces this mark.
        return "sql (unchecked): " + head + (statements.size() > 1 ? " (+" + (statements.size() - 1) + " more)" : "");
    }

    @Override
    public QualifiedName target() {
        return null;
    }

    @Override
    public boolean destructive() {
        return statements.stream().anyMatch(s -> RawSqlShapes.isDestructive(s.tokens()));
    }

    /** @return true if a statement must run outside a transaction block (CONCURRENTLY, VACUUM ...) */
    public boolean needsOwnTransaction() {
        return statements.stream().anyMatch(s -> RawSqlShapes.cannotRunInTransaction(s.tokens()));
    }

    @Override
    public String canonical() {
        return Canonical.of("sql").with("sql", sql).toString();
    }
}
