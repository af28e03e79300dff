package io.querk.jdbc;

import io.querk.jdbc.event.QuerkListener;
import io.querk.jdbc.internal.run.Runner;
import io.querk.jdbc.retry.RetryPolicy;
import io.querk.migration.Migration;
import io.querk.migration.MigrationDefinitionException;
import io.querk.plan.MigrationPlan;
import io.querk.sql.Identifier;
import io.querk.sql.QualifiedName;

import javax.sql.DataSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The engine: applies migrations to a PostgreSQL database without blocking its application.
 *
 * <pre>{@code
 * Querk querk = Querk.builder()
 *         .dataSource(dataSource)
 *         .migrations(Migrations.all())
 *         .contractReleasedThrough("2026-11-02.drop-legacy-status")   // contracts the old version no longer needs
 *         .build();
 * querk.migrate();   // at every start of every instance: cheap when nothing is pending
 * }</pre>
 *
 * <p>{@link #migrate()} runs, in migration order, every pending expand and backfill phase and
 * the contract phases released by {@link Builder#contractReleasedThrough(String)}. Contract is
 * never implicit: it removes what the previous application version still uses, so the release
 * that no longer runs that version declares it. {@link #migrateAllPhases()} runs everything and
 * is meant for tests and development.
 *
 * <p>Safe when many instances start at once: one takes a session-level advisory lock and runs,
 * the others wait for it and then find nothing pending. A run interrupted anywhere (a crash,
 * {@code kill -9}, a lost connection) is finished by the next: every step checks the catalog for
 * its own effect before acting, and backfills resume from their committed cursor.
 *
 * <p>Connections come from the {@link DataSource}: at most two at a time (one for the work, one
 * holding the runner lock), each handed back with its session settings as they were. Both need
 * session semantics: do not point Querk at a PgBouncer in transaction-pooling mode.
 */
public final class Querk {

    private final QuerkConfig config;
    private final Runner runner;

    private Querk(QuerkConfig config) {
        this.config = config;
        this.runner = new Runner(config);
    }

    /** @return a builder with every default set */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the settings this engine runs with */
    public QuerkConfig config() {
        return config;
    }

    /**
     * Runs pending expand and backfill phases and released contract phases.
     *
     * @return what was done; {@link MigrationReport#nothingPending()} when nothing was
     * @throws LockTimeoutException       when a step's retry budget ran out waiting for a lock
     * @throws StepFailedException        when a step failed for another reason
     * @throws ChecksumMismatchException  when an applied phase was edited
     * @throws RunnerLockException        when another runner held the lock too long
     * @throws io.querk.plan.UnsafeMigrationException before anything runs, when the plan of the
     *                                    pending work refuses a step (its log line shows the plan)
     */
    public MigrationReport migrate() {
        return runner.run(config.contractReleasedThrough().orElse(null), false);
    }

    /**
     * Says what {@link #migrate()} would do now, step by step, without doing any of it: no lock
     * is taken, nothing is created, not even the history table. The plan uses the server's
     * version and live table statistics ("reads every row, about 52 M rows"); a refused step is
     * shown as such rather than thrown.
     *
     * <pre>{@code
     * MigrationPlan plan = querk.plan();
     * System.out.println(plan.toText());
     * if (plan.refused()) { ... }
     * }</pre>
     *
     * @return the plan of the pending work; empty when nothing is pending
     * @throws ChecksumMismatchException when an applied phase was edited
     */
    public MigrationPlan plan() {
        return runner.planOnly(config.contractReleasedThrough().orElse(null), false);
    }

    /**
     * Like {@link #migrate()}, but only the leading expand phases run before this returns; the
     * backfills (and whatever follows them, in order) go on in a background thread while the
     * application starts. The handle watches, pauses, resumes and cancels them; a cancelled or
     * crashed backfill resumes from its saved cursor at the next run.
     *
     * <p>If another instance is already running the backfills, this one has nothing to wait for:
     * the handle reports {@link MigrationHandle.State#RUNNING_ELSEWHERE}.
     *
     * <pre>{@code
     * MigrationHandle h = querk.migrateInBackground();   // new columns exist now
     * server.start();                                    // backfill runs meanwhile
     * Runtime.getRuntime().addShutdownHook(new Thread(h::cancel));
     * }</pre>
     *
     * @return a handle on the run, its expand phases already done
     */
    public MigrationHandle migrateInBackground() {
        return new MigrationHandle(runner.runInBackground(config.contractReleasedThrough().orElse(null)));
    }

    /**
     * Runs every pending phase, contract included, without waiting for a release. For tests and
     * development, where no older application version is running.
     *
     * @return what was done; {@link MigrationReport#nothingPending()} when nothing was
     */
    public MigrationReport migrateAllPhases() {
        return runner.run(null, true);
    }

    /**
     * Runs what {@link #migrate()} runs and, in addition, the contract phases of migrations up to
     * and including {@code throughMigrationId}: the explicit call for tooling that releases
     * contracts (an admin endpoint, a deploy step).
     *
     * @param throughMigrationId the last migration whose contract phase may run
     * @return what was done; {@link MigrationReport#nothingPending()} when nothing was
     * @throws QuerkConfigException if no configured migration has that id
     */
    public MigrationReport contract(String throughMigrationId) {
        requireKnown(config.migrations(), throughMigrationId, "contract(...)");
        String released = config.contractReleasedThrough()
                .filter(r -> Migration.ID_ORDER.compare(r, throughMigrationId) > 0)
                .orElse(throughMigrationId);
        return runner.run(released, false);
    }

    /** @return the state of every phase of every configured migration in this database */
    public List<PhaseState> status() {
        return runner.status();
    }

    /**
     * Accepts the current definitions of a migration's applied phases as the recorded ones, after
     * an edit that changed their checksum but not what they do to the database. Logged as a warning.
     *
     * @param migrationId the migration whose edit is accepted
     * @return how many phases had their checksum replaced
     * @throws QuerkConfigException if no configured migration has that id
     */
    public int repairChecksums(String migrationId) {
        requireKnown(config.migrations(), migrationId, "repairChecksums(...)");
        return runner.repairChecksums(migrationId);
    }

    private static void requireKnown(List<Migration> migrations, String id, String call) {
        if (migrations.stream().noneMatch(m -> m.id().equals(id))) {
            throw new QuerkConfigException(call + " names migration '" + id + "', which is not among the "
                    + migrations.size() + " configured migrations.");
        }
    }

    /**
     * Configures a {@link Querk}. Every setter checks its argument at once; {@link #build()} checks
     * the whole and seals it.
     */
    public static final class Builder {
        private DataSource dataSource;
        private final List<Migration> migrations = new ArrayList<>();
        private Duration lockTimeout = QuerkConfig.DEFAULT_LOCK_TIMEOUT;
        private Duration statementTimeout = QuerkConfig.DEFAULT_STATEMENT_TIMEOUT;
        private Duration longLockTimeout = QuerkConfig.DEFAULT_LONG_LOCK_TIMEOUT;
        private Duration runnerLockTimeout = QuerkConfig.DEFAULT_RUNNER_LOCK_TIMEOUT;
        private RetryPolicy retryPolicy = RetryPolicy.defaults();
        private String historyTable = QuerkConfig.DEFAULT_HISTORY_TABLE;
        private String contractReleasedThrough;
        private final List<QuerkListener> listeners = new ArrayList<>();
        private BackfillSettings backfill = BackfillSettings.defaults();

        private Builder() {
        }

        /**
         * Where connections come from; required. A pool is fine, in session mode.
         *
         * @param dataSource the database to migrate
         * @return this builder
         */
        public Builder dataSource(DataSource dataSource) {
            this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
            return this;
        }

        /**
         * Adds migrations; their order comes from their ids.
         *
         * @param migrations the migrations, in any order
         * @return this builder
         */
        public Builder migrations(Migration... migrations) {
            return migrations(Arrays.asList(migrations));
        }

        /**
         * Adds migrations; their order comes from their ids.
         *
         * @param migrations the migrations, in any order
         * @return this builder
         */
        public Builder migrations(Collection<Migration> migrations) {
            for (Migration m : migrations) {
                this.migrations.add(Objects.requireNonNull(m, "a migration is null"));
            }
            return this;
        }

        /**
         * The first attempt's lock timeout for strong-lock statements; see {@link QuerkConfig#DEFAULT_LOCK_TIMEOUT}.
         *
         * @param d positive
         * @return this builder
         */
        public Builder lockTimeout(Duration d) {
            this.lockTimeout = positive("lockTimeout", d);
            return this;
        }

        /**
         * The statement timeout of strong-lock statements; see {@link QuerkConfig#DEFAULT_STATEMENT_TIMEOUT}.
         *
         * @param d positive
         * @return this builder
         */
        public Builder statementTimeout(Duration d) {
            this.statementTimeout = positive("statementTimeout", d);
            return this;
        }

        /**
         * The lock timeout of weak-lock statements; see {@link QuerkConfig#DEFAULT_LONG_LOCK_TIMEOUT}.
         *
         * @param d positive
         * @return this builder
         */
        public Builder longLockTimeout(Duration d) {
            this.longLockTimeout = positive("longLockTimeout", d);
            return this;
        }

        /**
         * How long to wait for another instance's run; see {@link QuerkConfig#DEFAULT_RUNNER_LOCK_TIMEOUT}.
         *
         * @param d positive
         * @return this builder
         */
        public Builder runnerLockTimeout(Duration d) {
            this.runnerLockTimeout = positive("runnerLockTimeout", d);
            return this;
        }

        /**
         * What to do on lock timeouts and deadlocks; see {@link RetryPolicy}.
         *
         * @param policy the policy, e.g. {@link RetryPolicy#noRetry()}
         * @return this builder
         */
        public Builder retryPolicy(RetryPolicy policy) {
            this.retryPolicy = Objects.requireNonNull(policy, "retryPolicy");
            return this;
        }

        /**
         * The history table, {@code "name"} or {@code "schema.name"}; created on first use, with a
         * step table named like it plus {@code _step}.
         *
         * @param name the table; checked at {@link #build()}
         * @return this builder
         */
        public Builder historyTable(String name) {
            this.historyTable = Objects.requireNonNull(name, "historyTable");
            return this;
        }

        /**
         * Releases the contract phases of migrations up to and including this one. Set it in the
         * release that no longer runs code needing what those contracts remove.
         *
         * @param migrationId a configured migration's id; checked at {@link #build()}
         * @return this builder
         */
        public Builder contractReleasedThrough(String migrationId) {
            this.contractReleasedThrough = Objects.requireNonNull(migrationId, "contractReleasedThrough");
            return this;
        }

        /**
         * Adds a listener for every {@link io.querk.jdbc.event.QuerkEvent}.
         *
         * @param listener called with each event; call this again to add another
         * @return this builder
         */
        public Builder listener(QuerkListener listener) {
            this.listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /**
         * Default pacing of backfills; see {@link BackfillSettings}.
         *
         * @param settings the pacing a migration's backfill uses where it sets none of its own
         * @return this builder
         */
        public Builder backfill(BackfillSettings settings) {
            this.backfill = Objects.requireNonNull(settings, "backfill");
            return this;
        }

        /**
         * @return the engine, its configuration sealed
         * @throws QuerkConfigException if something is missing or inconsistent
         */
        public Querk build() {
            if (dataSource == null) {
                throw new QuerkConfigException("No DataSource: call dataSource(...) with the database to migrate.");
            }
            Map<String, Migration> byId = new HashMap<>();
            for (Migration m : migrations) {
                if (byId.putIfAbsent(m.id(), m) != null) {
                    throw new QuerkConfigException("Two migrations have the id '" + m.id() + "'; ids must be unique.");
                }
            }
            List<Migration> ordered = new ArrayList<>(migrations);
            ordered.sort((a, b) -> Migration.ID_ORDER.compare(a.id(), b.id()));
            if (contractReleasedThrough != null) {
                requireKnown(ordered, contractReleasedThrough, "contractReleasedThrough(...)");
            }
            QualifiedName history;
            try {
                history = QualifiedName.parse(historyTable);
                Identifier.of(history.name().name() + "_step"); // the step table's name must fit too
            } catch (MigrationDefinitionException e) {
                throw new QuerkConfigException("historyTable '" + historyTable + "' is not usable: " + e.getMessage());
            }
            return new Querk(new QuerkConfig(dataSource, ordered, lockTimeout, statementTimeout, longLockTimeout,
                    runnerLockTimeout, retryPolicy, history, contractReleasedThrough, listeners, backfill));
        }

        private static Duration positive(String what, Duration d) {
            if (d == null || d.isZero() || d.isNegative()) {
                throw new QuerkConfigException(what + " must be a positive duration, got " + d + ".");
            }
            return d;
        }
    }
}
