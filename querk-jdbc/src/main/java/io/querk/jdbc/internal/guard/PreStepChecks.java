package io.querk.jdbc.internal.guard;

import io.querk.internal.render.Catalog;
import io.querk.internal.render.StepChecks;
import io.querk.internal.step.StepDefinition;
import io.querk.jdbc.StepFailedException;
import io.querk.migration.StepRef;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;

/**
 * Compiles a step's fragments against the live table just before the step's first statement
 * ({@link StepChecks}), each as an EXPLAIN in a transaction that is rolled back: the plan made
 * before the run checks them too, but a step on a table an earlier step of the same run changes
 * (a backfill of a column just added) can only be checked once that earlier step has run.
 */
public final class PreStepChecks {

    private PreStepChecks() {
    }

    /**
     * @throws StepFailedException naming the fragment and the server's message, before the step changes anything
     */
    public static void require(StepRef ref, StepDefinition step, Catalog catalog, Connection c, Duration lockTimeout)
            throws SQLException {
        for (StepChecks.Check check : StepChecks.of(step, catalog)) {
            Optional<String> error = compileError(c, check.sql(), lockTimeout);
            if (error.isPresent()) {
                throw new StepFailedException("Step " + ref + " cannot run: the SQL for " + check.what() + " ("
                        + check.fragment() + ") does not work on " + (check.table() == null ? "this server"
                        : check.table().sql()) + ": " + error.get() + ". Nothing of this step has run. Fix the"
                        + " migration and run again, or undo what its earlier steps added with abort(\""
                        + ref.migrationId() + "\").", ref, check.sql(), null, null);
            }
        }
    }

    /**
     * Runs an EXPLAIN in a transaction it rolls back. A check that cannot get its table's lock in
     * time tells nothing: empty, as for one that compiles.
     *
     * @return the server's error, with its SQLSTATE, if the statement does not compile
     */
    public static Optional<String> compileError(Connection c, String explain, Duration lockTimeout) throws SQLException {
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
            s.execute("SET LOCAL lock_timeout = '" + lockTimeout.toMillis() + "ms'");
            s.execute(explain);
            return Optional.empty();
        } catch (SQLException e) {
            return "55P03".equals(e.getSQLState()) ? Optional.empty()
                    : Optional.of(e.getMessage() + " [SQLSTATE " + e.getSQLState() + "]");
        } finally {
            c.rollback();
            c.setAutoCommit(autoCommit);
        }
    }
}
