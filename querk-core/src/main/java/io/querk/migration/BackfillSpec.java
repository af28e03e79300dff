package io.querk.migration;

import io.querk.Api;
import io.querk.internal.step.Assignment;
import io.querk.internal.step.Backfill;
import io.querk.internal.step.BackfillTuning;
import io.querk.sql.Identifier;
import io.querk.sql.QualifiedName;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One backfill: an UPDATE of existing rows, run in keyset batches of a few thousand rows
 * (each its own short transaction) with a pause between them. The cursor commits with each
 * batch, so every row is updated exactly once even across crashes.
 *
 * <pre>{@code
 * .backfill(b -> b
 *     .table("shipments")
 *     .set("dest_city", "split_part(destination, ',', 1)")
 *     .where("dest_city IS NULL")
 *     .batchSize(2_000)
 *     .pause(Duration.ofMillis(20)))
 * }</pre>
 *
 * <p>Pacing left unset here takes the engine's defaults, and pacing never enters the
 * migration's checksum: it can be changed after the backfill has started.
 */
@Api(status = Api.Status.STABLE, since = "0.1")
public final class BackfillSpec {

    private QualifiedName table;
    private final List<Assignment> assignments = new ArrayList<>();
    private final Set<String> assigned = new HashSet<>();
    private String where;
    private Integer batchSize;
    private Duration pause;
    private Duration targetBatchTime;
    private Integer minBatchSize;
    private Integer maxBatchSize;
    private Integer workers;

    BackfillSpec() {
    }

    /**
     * The table to update; it needs a primary key or a unique NOT NULL key to walk.
     *
     * @param table the table, {@code "name"} or {@code "schema.name"}
     * @return this spec
     */
    public BackfillSpec table(String table) {
        this.table = QualifiedName.parse(table);
        return this;
    }

    /**
     * Sets {@code column} to {@code expression}, evaluated on each row.
     *
     * @param column     the column to set, once per backfill
     * @param expression a SQL expression over the row
     * @return this spec
     * @throws MigrationDefinitionException if the column is already set
     */
    public BackfillSpec set(String column, String expression) {
        if (!assigned.add(column)) {
            throw new MigrationDefinitionException("The backfill sets column " + Identifier.of(column).sql() + " twice.");
        }
        assignments.add(new Assignment(Identifier.of(column), Dsl.requireExpression("the value of " + column, expression)));
        return this;
    }

    /**
     * Only rows matching {@code predicate} are updated; a predicate such as
     * {@code "dest_city IS NULL"} also skips rows the application already wrote.
     *
     * @param predicate a boolean SQL expression, without {@code WHERE}
     * @return this spec
     */
    public BackfillSpec where(String predicate) {
        this.where = Dsl.requirePredicate("the backfill predicate", predicate);
        return this;
    }

    /**
     * Rows per batch to start with (the classic advice: 1,000 to 5,000).
     *
     * @param rows positive
     * @return this spec
     */
    public BackfillSpec batchSize(int rows) {
        this.batchSize = Dsl.positive("The batch size", rows);
        return this;
    }

    /**
     * Sleep between batches, to leave room for application traffic and autovacuum.
     *
     * @param pause zero or positive
     * @return this spec
     */
    public BackfillSpec pause(Duration pause) {
        if (pause == null || pause.isNegative()) {
            throw new MigrationDefinitionException("The pause between batches must be zero or positive, got " + pause + ".");
        }
        this.pause = pause;
        return this;
    }

    /**
     * Adapts the batch size so that one batch takes about this long, between
     * {@link #minBatchSize(int)} and {@link #maxBatchSize(int)}.
     *
     * @param target positive
     * @return this spec
     */
    public BackfillSpec targetBatchTime(Duration target) {
        if (target == null || target.isZero() || target.isNegative()) {
            throw new MigrationDefinitionException("The target batch time must be positive, got " + target + ".");
        }
        this.targetBatchTime = target;
        return this;
    }

    /**
     * The smallest batch adaptive sizing may choose.
     *
     * @param rows positive, at most the maximum batch size
     * @return this spec
     */
    public BackfillSpec minBatchSize(int rows) {
        this.minBatchSize = Dsl.positive("The minimum batch size", rows);
        return this;
    }

    /**
     * The largest batch adaptive sizing may choose.
     *
     * @param rows positive, at least the minimum batch size
     * @return this spec
     */
    public BackfillSpec maxBatchSize(int rows) {
        this.maxBatchSize = Dsl.positive("The maximum batch size", rows);
        return this;
    }

    /**
     * Walks the table with this many sessions at once, each its own contiguous key range, for a
     * backfill that should finish fast rather than gently (on a machine with cores to spare).
     * Each range keeps its own cursor: exactly once holds for each.
     *
     * @param sessions positive
     * @return this spec
     */
    public BackfillSpec workers(int sessions) {
        this.workers = Dsl.positive("The number of workers", sessions);
        return this;
    }

    Backfill build() {
        if (table == null) {
            throw new MigrationDefinitionException("A backfill names no table; call table(...).");
        }
        if (assignments.isEmpty()) {
            throw new MigrationDefinitionException("The backfill of " + table.sql() + " sets nothing; call set(column, expression).");
        }
        if (minBatchSize != null && maxBatchSize != null && minBatchSize > maxBatchSize) {
            throw new MigrationDefinitionException("The backfill of " + table.sql() + " has minBatchSize " + minBatchSize
                    + " above maxBatchSize " + maxBatchSize + ".");
        }
        return new Backfill(table, assignments, where, tuning(), null);
    }

    private BackfillTuning tuning() {
        return new BackfillTuning(batchSize, pause, targetBatchTime, minBatchSize, maxBatchSize, workers);
    }
}
