package io.querk.jdbc;

import io.querk.Api;
import io.querk.internal.check.Checks;
import io.querk.jdbc.event.QuerkListener;
import io.querk.jdbc.internal.store.HistoryStore;
import io.querk.jdbc.retry.RetryPolicy;
import io.querk.migration.Migration;
import io.querk.migration.MigrationDefinitionException;
import io.querk.sql.QualifiedName;

import javax.sql.DataSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The engine's configuration: an immutable value, built and validated on its own, so that a
 * properties binder, a command line or a build plugin can make one, look at it and hand it to
 * {@link Querk#create(QuerkConfig)}. Every default is a named constant here, with the reason for
 * its value.
 *
 * <pre>{@code
 * QuerkConfig config = QuerkConfig.custom()
 *         .dataSource(dataSource)
 *         .migrations(Migrations.all())
 *         .lockTimeout(Duration.ofMillis(100))
 *         .build();
 * Querk querk = Querk.create(config);
 *
 * QuerkConfig released = QuerkConfig.from(config)
 *         .contractReleasedThrough("2026-11-02.drop-legacy-status")
 *         .build();
 * }</pre>
 *
 * <p>Each setter checks its own argument at once and fails with a {@link QuerkConfigException}
 * (a null included); {@link Builder#build()} checks the settings against each other.
 * {@link #toString()} shows every effective value; the engine logs it when a run starts work.
 */
@Api(status = Api.Status.STABLE, since = "0.1")
public final class QuerkConfig {

    /**
     * How long a statement that needs a strong lock (one that blocks reads or writes) may wait
     * for it per attempt: 200 ms. While it waits, every later query on the table queues behind
     * it, so this is also the application's longest stall; attempts never wait longer unless the
     * retry policy opts in to escalation ({@link RetryPolicy.Builder#escalateLockTimeout}).
     */
    public static final Duration DEFAULT_LOCK_TIMEOUT = Duration.ofMillis(200);
    /**
     * How long a statement holding a strong lock may run: 5 s. Querk's strong-lock statements
     * are catalog-only and take milliseconds; one that runs longer is scanning or rewriting a
     * table under lock, and is better cancelled.
     */
    public static final Duration DEFAULT_STATEMENT_TIMEOUT = Duration.ofSeconds(5);
    /**
     * How long {@code CONCURRENTLY} builds, {@code VALIDATE CONSTRAINT} and other statements that
     * take only weak locks may wait: 10 min. Their waits (for older transactions, mostly) block
     * no reads or writes, and restarting a concurrent index build wastes its work, so they are
     * allowed to be patient; they have no statement timeout.
     */
    public static final Duration DEFAULT_LONG_LOCK_TIMEOUT = Duration.ofMinutes(10);
    /** How long {@code migrate()} waits for another instance's run to finish: 10 min. */
    public static final Duration DEFAULT_RUNNER_LOCK_TIMEOUT = Duration.ofMinutes(10);
    /** The history table, resolved through the connection's {@code search_path}. */
    public static final String DEFAULT_HISTORY_TABLE = "querk_history";

    private static final Checks CHECK = Checks.raising(QuerkConfigException::new);

    private final DataSource dataSource;
    private final List<Migration> migrations;
    private final Duration lockTimeout;
    private final Duration statementTimeout;
    private final Duration longLockTimeout;
    private final Duration runnerLockTimeout;
    private final RetryPolicy retryPolicy;
    private final QualifiedName historyTable;
    private final String contractReleasedThrough;
    private final List<QuerkListener> listeners;
    private final BackfillSettings backfill;
    private final boolean outOfOrder;
    private final Baseline baseline;

    private QuerkConfig(Builder b, List<Migration> ordered, QualifiedName historyTable) {
        this.dataSource = b.dataSource;
        this.migrations = List.copyOf(ordered);
        this.lockTimeout = b.lockTimeout;
        this.statementTimeout = b.statementTimeout;
        this.longLockTimeout = b.longLockTimeout;
        this.runnerLockTimeout = b.runnerLockTimeout;
        this.retryPolicy = b.retryPolicy;
        this.historyTable = historyTable;
        this.contractReleasedThrough = b.contractReleasedThrough;
        this.listeners = List.copyOf(b.listeners);
        this.backfill = b.backfill;
        this.outOfOrder = b.outOfOrder;
        this.baseline = b.baseline;
    }

    /** @return a builder with every default set */
    public static Builder custom() {
        return new Builder();
    }

    /**
     * @param base the configuration to start from
     * @return a builder holding {@code base}'s settings; migrations and listeners added to it are
     *         added to {@code base}'s
     */
    public static Builder from(QuerkConfig base) {
        CHECK.notNull("base", base);
        Builder b = new Builder();
        b.dataSource = base.dataSource;
        b.migrations.addAll(base.migrations);
        b.lockTimeout = base.lockTimeout;
        b.statementTimeout = base.statementTimeout;
        b.longLockTimeout = base.longLockTimeout;
        b.runnerLockTimeout = base.runnerLockTimeout;
        b.retryPolicy = base.retryPolicy;
        b.historyTable = base.historyTable.toString();
        b.contractReleasedThrough = base.contractReleasedThrough;
        b.listeners.addAll(base.listeners);
        b.backfill = base.backfill;
        b.outOfOrder = base.outOfOrder;
        b.baseline = base.baseline;
        return b;
    }

    /** @return where connections come from */
    public DataSource dataSource() {
        return dataSource;
    }

    /** @return the migrations, in run order */
    public List<Migration> migrations() {
        return migrations;
    }

    /** @return how long a strong-lock statement waits for its lock per attempt */
    public Duration lockTimeout() {
        return lockTimeout;
    }

    /** @return the statement timeout of strong-lock statements and backfill batches */
    public Duration statementTimeout() {
        return statementTimeout;
    }

    /** @return the lock timeout of weak-lock, long-running statements (CONCURRENTLY, VALIDATE, VACUUM) */
    public Duration longLockTimeout() {
        return longLockTimeout;
    }

    /** @return how long to wait for another runner */
    public Duration runnerLockTimeout() {
        return runnerLockTimeout;
    }

    /** @return the retry policy */
    public RetryPolicy retryPolicy() {
        return retryPolicy;
    }

    /** @return the history table; its step and range tables have the same name with {@code _step} and {@code _range} appended */
    public QualifiedName historyTable() {
        return historyTable;
    }

    /** @return the last migration whose contract phase may run, if any is released */
    public Optional<String> contractReleasedThrough() {
        return Optional.ofNullable(contractReleasedThrough);
    }

    /** @return the listeners, in registration order */
    public List<QuerkListener> listeners() {
        return listeners;
    }

    /** @return the backfill defaults */
    public BackfillSettings backfill() {
        return backfill;
    }

    /** @return true if migrations new to the database may sort before applied ones */
    public boolean outOfOrder() {
        return outOfOrder;
    }

    /** @return what another tool already applied, if Querk takes over from one */
    public Optional<Baseline> baseline() {
        return Optional.ofNullable(baseline);
    }

    /**
     * @return every effective setting on one line, for logs: the data source's class (never its
     *         URL or credentials) and the migrations by count and range of ids
     */
    @Override
    public String toString() {
        String ids = migrations.isEmpty() ? "none" : migrations.size() + " (" + migrations.get(0).id()
                + (migrations.size() > 1 ? " .. " + migrations.get(migrations.size() - 1).id() : "") + ")";
        return "QuerkConfig[dataSource=" + dataSource.getClass().getName() + ", migrations=" + ids
                + ", lockTimeout=" + lockTimeout + ", statementTimeout=" + statementTimeout
                + ", longLockTimeout=" + longLockTimeout + ", runnerLockTimeout=" + runnerLockTimeout
                + ", retryPolicy=" + retryPolicy + ", historyTable=" + historyTable
                + ", contractReleasedThrough=" + (contractReleasedThrough == null ? "none" : contractReleasedThrough)
                + ", outOfOrder=" + outOfOrder + ", baseline=" + (baseline == null ? "none" : baseline)
                + ", listeners=" + listeners.size() + ", backfill=" + backfill + "]";
    }

    /**
     * Builds a {@link QuerkConfig}. Every setter checks its argument at once; {@link #build()}
     * checks the whole.
     */
    public static final class Builder {
        private DataSource dataSource;
        private final List<Migration> migrations = new ArrayList<>();
        private Duration lockTimeout = DEFAULT_LOCK_TIMEOUT;
        private Duration statementTimeout = DEFAULT_STATEMENT_TIMEOUT;
        private Duration longLockTimeout = DEFAULT_LONG_LOCK_TIMEOUT;
        private Duration runnerLockTimeout = DEFAULT_RUNNER_LOCK_TIMEOUT;
        private RetryPolicy retryPolicy = RetryPolicy.defaults();
        private String historyTable = DEFAULT_HISTORY_TABLE;
        private String contractReleasedThrough;
        private final List<QuerkListener> listeners = new ArrayList<>();
        private BackfillSettings backfill = BackfillSettings.defaults();
        private boolean outOfOrder;
        private Baseline baseline;

        private Builder() {
        }

        /**
         * Where connections come from; required. A pool is fine, in session mode.
         *
         * @param dataSource the database to migrate
         * @return this builder
         */
        public Builder dataSource(DataSource dataSource) {
            this.dataSource = CHECK.notNull("dataSource", dataSource);
            return this;
        }

        /**
         * Adds migrations; their order comes from their ids.
         *
         * @param migrations the migrations, in any order
         * @return this builder
         */
        public Builder migrations(Migration... migrations) {
            return migrations(Arrays.asList(CHECK.notNull("migrations", migrations)));
        }

        /**
         * Adds migrations; their order comes from their ids.
         *
         * @param migrations the migrations, in any order
         * @return this builder
         */
        public Builder migrations(Collection<Migration> migrations) {
            int i = 0;
            for (Migration m : CHECK.notNull("migrations", migrations)) {
                this.migrations.add(CHECK.notNull("migrations[" + i++ + "]", m));
            }
            return this;
        }

        /**
         * How long a strong-lock statement waits for its lock per attempt: the application's
         * longest stall; see {@link #DEFAULT_LOCK_TIMEOUT}.
         *
         * @param d positive
         * @return this builder
         */
        public Builder lockTimeout(Duration d) {
            this.lockTimeout = CHECK.positive("lockTimeout", d);
            return this;
        }

        /**
         * The statement timeout of strong-lock statements; see {@link #DEFAULT_STATEMENT_TIMEOUT}.
         *
         * @param d positive
         * @return this builder
         */
        public Builder statementTimeout(Duration d) {
            this.statementTimeout = CHECK.positive("statementTimeout", d);
            return this;
        }

        /**
         * The lock timeout of weak-lock statements; see {@link #DEFAULT_LONG_LOCK_TIMEOUT}.
         *
         * @param d positive
         * @return this builder
         */
        public Builder longLockTimeout(Duration d) {
            this.longLockTimeout = CHECK.positive("longLockTimeout", d);
            return this;
        }

        /**
         * How long to wait for another instance's run; see {@link #DEFAULT_RUNNER_LOCK_TIMEOUT}.
         *
         * @param d positive
         * @return this builder
         */
        public Builder runnerLockTimeout(Duration d) {
            this.runnerLockTimeout = CHECK.positive("runnerLockTimeout", d);
            return this;
        }

        /**
         * What to do on lock timeouts and deadlocks; see {@link RetryPolicy}.
         *
         * @param policy the policy, e.g. {@link RetryPolicy#noRetry()}
         * @return this builder
         */
        public Builder retryPolicy(RetryPolicy policy) {
            this.retryPolicy = CHECK.notNull("retryPolicy", policy);
            return this;
        }

        /**
         * The history table, {@code "name"} or {@code "schema.name"}; created on first use, with a
         * step table and a range table named like it plus {@code _step} and {@code _range}.
         *
         * @param name the table; checked at {@link #build()}
         * @return this builder
         */
        public Builder historyTable(String name) {
            this.historyTable = CHECK.notNull("historyTable", name);
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
            this.contractReleasedThrough = CHECK.notNull("contractReleasedThrough", migrationId);
            return this;
        }

        /**
         * Whether a migration new to the database may sort before one already applied (a branch
         * merged late): refused by default with {@link OutOfOrderMigrationException}, naming both.
         * Even when accepted, its contract waits for a release that names it or a migration seen
         * after it; releasing an older id does not release it.
         *
         * @param accept true to run such migrations
         * @return this builder
         */
        public Builder outOfOrder(boolean accept) {
            this.outOfOrder = accept;
            return this;
        }

        /**
         * Takes over a database another tool (Flyway, Liquibase) manages: the migrations its history
         * already applied count as applied, are recorded in Querk's history at the next run, and
         * never run; see {@link Baseline}.
         *
         * @param baseline where to read what is already applied, e.g. {@link Baseline#flyway()}
         * @return this builder
         */
        public Builder baseline(Baseline baseline) {
            this.baseline = CHECK.notNull("baseline", baseline);
            return this;
        }

        /**
         * Adds a listener for every {@link io.querk.jdbc.event.QuerkEvent}.
         *
         * @param listener called with each event; call this again to add another
         * @return this builder
         */
        public Builder listener(QuerkListener listener) {
            this.listeners.add(CHECK.notNull("listener", listener));
            return this;
        }

        /**
         * Default pacing and throttles of backfills; see {@link BackfillSettings}.
         *
         * @param settings what a migration's backfill uses where it sets nothing of its own
         * @return this builder
         */
        public Builder backfill(BackfillSettings settings) {
            this.backfill = CHECK.notNull("backfill", settings);
            return this;
        }

        /**
         * Checks the settings against each other and seals them.
         *
         * @return the configuration
         * @throws QuerkConfigException if the data source is missing, two migrations share an id,
         *                              the released migration is not configured, the history table's
         *                              names do not fit, or an escalating lock timeout's ceiling is
         *                              below the lock timeout
         */
        public QuerkConfig build() {
            CHECK.require(dataSource != null, "No DataSource: call dataSource(...) with the database to migrate.");
            Map<String, Migration> byId = new HashMap<>();
            for (Migration m : migrations) {
                CHECK.require(byId.putIfAbsent(m.id(), m) == null, "Two migrations have the id '" + m.id()
                        + "'; ids must be unique.");
            }
            List<Migration> ordered = new ArrayList<>(migrations);
            ordered.sort((a, b) -> Migration.ID_ORDER.compare(a.id(), b.id()));
            if (contractReleasedThrough != null) {
                Querk.requireKnown(ordered, contractReleasedThrough, "contractReleasedThrough(...)");
            }
            QualifiedName history;
            try {
                history = QualifiedName.parse(historyTable);
                HistoryStore.tablesOf(history); // the step and range tables' names must fit too
            } catch (MigrationDefinitionException e) {
                throw CHECK.failure("historyTable '" + historyTable + "' is not usable: " + e.getMessage());
            }
            retryPolicy.maxLockTimeout().ifPresent(max -> CHECK.require(max.compareTo(lockTimeout) >= 0,
                    "The retry policy's escalation ceiling (" + max + ") is below lockTimeout (" + lockTimeout
                            + "); raise the ceiling or lower lockTimeout."));
            return new QuerkConfig(this, ordered, history);
        }
    }
}
