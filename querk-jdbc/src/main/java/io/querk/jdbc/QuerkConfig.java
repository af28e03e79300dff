package io.querk.jdbc;

import io.querk.jdbc.event.QuerkListener;
import io.querk.jdbc.retry.RetryPolicy;
import io.querk.migration.Migration;
import io.querk.sql.QualifiedName;

import javax.sql.DataSource;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The engine's settings, sealed once {@link Querk.Builder#build()} has checked them. Every
 * default is a named constant here, with the reason for its value.
 */
public final class QuerkConfig {

    /**
     * How long a statement that needs a strong lock (one that blocks reads or writes) may wait
     * for it per attempt: 200 ms. While it waits, every later query on the table queues behind
     * it, so this is also the application's stall per attempt. Attempts may grow it up to
     * {@link RetryPolicy#maxLockTimeout()}.
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

    QuerkConfig(DataSource dataSource, List<Migration> migrations, Duration lockTimeout, Duration statementTimeout,
                Duration longLockTimeout, Duration runnerLockTimeout, RetryPolicy retryPolicy, QualifiedName historyTable,
                String contractReleasedThrough, List<QuerkListener> listeners, BackfillSettings backfill) {
        this.dataSource = dataSource;
        this.migrations = List.copyOf(migrations);
        this.lockTimeout = lockTimeout;
        this.statementTimeout = statementTimeout;
        this.longLockTimeout = longLockTimeout;
        this.runnerLockTimeout = runnerLockTimeout;
        this.retryPolicy = retryPolicy;
        this.historyTable = historyTable;
        this.contractReleasedThrough = contractReleasedThrough;
        this.listeners = List.copyOf(listeners);
        this.backfill = backfill;
    }

    /** @return where connections come from */
    public DataSource dataSource() {
        return dataSource;
    }

    /** @return the migrations, in run order */
    public List<Migration> migrations() {
        return migrations;
    }

    /** @return the first attempt's lock timeout for strong-lock statements */
    public Duration lockTimeout() {
        return lockTimeout;
    }

    /** @return the statement timeout of strong-lock statements and backfill batches */
    public Duration statementTimeout() {
        return statementTimeout;
    }

    /** @return the lock timeout of weak-lock, long-running statements (CONCURRENTLY, VALIDATE) */
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

    /** @return the history table; its step table has the same name with {@code _step} appended */
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
}
