package io.querk.spring.boot;

import io.querk.Api;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

import java.time.Duration;

/**
 * The {@code querk.*} properties, bound onto a {@link io.querk.jdbc.QuerkConfig} at start-up
 * ({@link QuerkAutoConfiguration#querkConfig}). Every default is the engine's own (docs/configuration.md
 * says why each is what it is); a value the engine refuses fails the start-up with the property's
 * name in the message.
 *
 * <pre>
 * querk.lock-timeout=200ms
 * querk.contract-released-through=2026-11-23.shipments-drop-notes
 * querk.backfill.background=true
 * querk.datasource.url=jdbc:postgresql://db-primary:5432/app   # direct, not through a transaction pooler
 * </pre>
 */
@Api(status = Api.Status.EXPERIMENTAL, since = "0.1")
@ConfigurationProperties(prefix = "querk")
public class QuerkProperties {

    /** Whether to migrate at start-up. Off: no Querk bean, nothing runs. */
    private boolean enabled = true;

    /**
     * Whether a plan the safety planner refuses fails the start-up. Off: the refusal is logged as an
     * error, nothing is migrated, and the application starts on the schema as it is.
     */
    private boolean failOnRefusedPlan = true;

    /** The longest any attempt waits for a lock that blocks the application: its worst stall. */
    private Duration lockTimeout = Duration.ofMillis(200);

    /** The limit on a statement that holds a strong lock (and on each backfill batch). */
    private Duration statementTimeout = Duration.ofSeconds(5);

    /** The lock wait of statements that block no reads or writes (CREATE INDEX CONCURRENTLY, VALIDATE). */
    private Duration longLockTimeout = Duration.ofMinutes(10);

    /** How long an instance waits for another instance's run before its start-up fails. */
    private Duration runnerLockTimeout = Duration.ofMinutes(10);

    /** The history table, optionally schema-qualified; its schema is created if missing. */
    private String historyTable = "querk_history";

    /**
     * The last migration whose contract phase may run: set it in the release that no longer runs the
     * application version which still reads what contract removes.
     */
    private String contractReleasedThrough;

    /**
     * Where SQL-file migrations (V&lt;version&gt;__&lt;description&gt;.sql) are read from, e.g.
     * classpath:db/migration; none by default. They run with the Migration beans, in one order.
     */
    private java.util.List<String> locations = new java.util.ArrayList<>();

    /**
     * What another tool already applied, for a database that Flyway or Liquibase managed: flyway or
     * liquibase (optionally :schema.table), or the id of the last migration the database already has.
     */
    private String baseline;

    /** The retry of statements that time out on a lock or deadlock. */
    private final Retry retry = new Retry();

    /** Backfill pacing, throttles, and running backfills in the background. */
    private final Backfill backfill = new Backfill();

    /** A separate connection for migrations; the application's DataSource when unset. */
    private final DataSource datasource = new DataSource();

    /** @return whether to migrate at start-up */
    public boolean isEnabled() {
        return enabled;
    }

    /** @param enabled whether to migrate at start-up */
    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    /** @return whether a refused plan fails the start-up */
    public boolean isFailOnRefusedPlan() {
        return failOnRefusedPlan;
    }

    /** @param failOnRefusedPlan whether a refused plan fails the start-up */
    public void setFailOnRefusedPlan(boolean failOnRefusedPlan) {
        this.failOnRefusedPlan = failOnRefusedPlan;
    }

    /** @return the lock timeout of statements that block the application */
    public Duration getLockTimeout() {
        return lockTimeout;
    }

    /** @param lockTimeout the lock timeout of statements that block the application */
    public void setLockTimeout(Duration lockTimeout) {
        this.lockTimeout = lockTimeout;
    }

    /** @return the statement timeout under a strong lock */
    public Duration getStatementTimeout() {
        return statementTimeout;
    }

    /** @param statementTimeout the statement timeout under a strong lock */
    public void setStatementTimeout(Duration statementTimeout) {
        this.statementTimeout = statementTimeout;
    }

    /** @return the lock timeout of statements that block nothing */
    public Duration getLongLockTimeout() {
        return longLockTimeout;
    }

    /** @param longLockTimeout the lock timeout of statements that block nothing */
    public void setLongLockTimeout(Duration longLockTimeout) {
        this.longLockTimeout = longLockTimeout;
    }

    /** @return how long to wait for another instance's run */
    public Duration getRunnerLockTimeout() {
        return runnerLockTimeout;
    }

    /** @param runnerLockTimeout how long to wait for another instance's run */
    public void setRunnerLockTimeout(Duration runnerLockTimeout) {
        this.runnerLockTimeout = runnerLockTimeout;
    }

    /** @return the history table */
    public String getHistoryTable() {
        return historyTable;
    }

    /** @param historyTable the history table, optionally schema-qualified */
    public void setHistoryTable(String historyTable) {
        this.historyTable = historyTable;
    }

    /** @return the last migration whose contract may run, or null */
    public String getContractReleasedThrough() {
        return contractReleasedThrough;
    }

    /** @param contractReleasedThrough the last migration whose contract may run */
    public void setContractReleasedThrough(String contractReleasedThrough) {
        this.contractReleasedThrough = contractReleasedThrough;
    }

    /** @return where SQL-file migrations are read from */
    public java.util.List<String> getLocations() {
        return locations;
    }

    /** @param locations where SQL-file migrations are read from */
    public void setLocations(java.util.List<String> locations) {
        this.locations = locations;
    }

    /** @return what another tool already applied, or null */
    public String getBaseline() {
        return baseline;
    }

    /** @param baseline flyway, liquibase (optionally :table), or an id */
    public void setBaseline(String baseline) {
        this.baseline = baseline;
    }

    /** @return the retry settings */
    public Retry getRetry() {
        return retry;
    }

    /** @return the backfill settings */
    public Backfill getBackfill() {
        return backfill;
    }

    /** @return the migration connection settings */
    public DataSource getDatasource() {
        return datasource;
    }

    /** {@code querk.retry.*}: bounded retry with jittered backoff ({@link io.querk.jdbc.retry.RetryPolicy}). */
    public static class Retry {

        /** Attempts per statement at most, the first included. */
        private int maxAttempts = 12;

        /** Time per step at most, all attempts and backoffs included. */
        private Duration maxDuration = Duration.ofMinutes(3);

        /** The first backoff's ceiling; it doubles per attempt up to max-backoff. */
        private Duration initialBackoff = Duration.ofMillis(250);

        /** The longest backoff between two attempts. */
        private Duration maxBackoff = Duration.ofSeconds(15);

        /** Opt-in: the lock timeout grows by this factor per attempt (with escalation-max-lock-timeout). */
        private Double escalationFactor;

        /** Opt-in: the ceiling an escalating lock timeout grows to; the worst stall it allows. */
        private Duration escalationMaxLockTimeout;

        /** @return attempts at most */
        public int getMaxAttempts() {
            return maxAttempts;
        }

        /** @param maxAttempts attempts at most */
        public void setMaxAttempts(int maxAttempts) {
            this.maxAttempts = maxAttempts;
        }

        /** @return time per step at most */
        public Duration getMaxDuration() {
            return maxDuration;
        }

        /** @param maxDuration time per step at most */
        public void setMaxDuration(Duration maxDuration) {
            this.maxDuration = maxDuration;
        }

        /** @return the first backoff's ceiling */
        public Duration getInitialBackoff() {
            return initialBackoff;
        }

        /** @param initialBackoff the first backoff's ceiling */
        public void setInitialBackoff(Duration initialBackoff) {
            this.initialBackoff = initialBackoff;
        }

        /** @return the longest backoff */
        public Duration getMaxBackoff() {
            return maxBackoff;
        }

        /** @param maxBackoff the longest backoff */
        public void setMaxBackoff(Duration maxBackoff) {
            this.maxBackoff = maxBackoff;
        }

        /** @return the escalation factor, or null when the lock timeout stays fixed */
        public Double getEscalationFactor() {
            return escalationFactor;
        }

        /** @param escalationFactor the lock timeout's growth per attempt */
        public void setEscalationFactor(Double escalationFactor) {
            this.escalationFactor = escalationFactor;
        }

        /** @return the escalation's ceiling, or null */
        public Duration getEscalationMaxLockTimeout() {
            return escalationMaxLockTimeout;
        }

        /** @param escalationMaxLockTimeout the escalation's ceiling */
        public void setEscalationMaxLockTimeout(Duration escalationMaxLockTimeout) {
            this.escalationMaxLockTimeout = escalationMaxLockTimeout;
        }
    }

    /** {@code querk.backfill.*}: pacing and throttles ({@link io.querk.jdbc.BackfillSettings}), and background runs. */
    public static class Backfill {

        /**
         * Whether backfills run in the background: start-up applies the expand phases before
         * anything uses the DataSource, the backfills start once the application is ready, and a
         * graceful shutdown stops them at a batch boundary for the next start to resume.
         */
        private boolean background = false;

        /** Rows per batch, unless the migration says otherwise. */
        private int batchSize = 2_000;

        /** The sleep between batches. */
        private Duration pause = Duration.ofMillis(50);

        /** Sessions walking a table at once, each its own key range. */
        private int workers = 1;

        /** When set, the batch size adapts toward batches of about this long. */
        private Duration targetBatchTime;

        /** The smallest adaptive batch. */
        private int minBatchSize = 100;

        /** The largest adaptive batch. */
        private int maxBatchSize = 20_000;

        /** How often progress is logged and published. */
        private Duration progressInterval = Duration.ofSeconds(5);

        /** Dead row versions above this share of the table start a vacuum (or a wait for autovacuum). */
        private double maxDeadTupleRatio = 0.10;

        /** Whether the backfill vacuums its table itself when dead tuples pile up. */
        private boolean vacuum = true;

        /** Whether to wait while another session vacuums the table. */
        private boolean pauseWhileVacuumRuns = true;

        /** Wait while a standby is further behind than this; 0 turns the check off. */
        private DataSize maxReplicationLag = DataSize.ofMegabytes(64);

        /** How often the throttles look at the database. */
        private Duration throttleCheckInterval = Duration.ofSeconds(1);

        /** The longest a throttle holds a backfill before it carries on with a warning. */
        private Duration maxThrottlePause = Duration.ofMinutes(10);

        /** @return whether backfills run in the background */
        public boolean isBackground() {
            return background;
        }

        /** @param background whether backfills run in the background */
        public void setBackground(boolean background) {
            this.background = background;
        }

        /** @return rows per batch */
        public int getBatchSize() {
            return batchSize;
        }

        /** @param batchSize rows per batch */
        public void setBatchSize(int batchSize) {
            this.batchSize = batchSize;
        }

        /** @return the pause between batches */
        public Duration getPause() {
            return pause;
        }

        /** @param pause the pause between batches */
        public void setPause(Duration pause) {
            this.pause = pause;
        }

        /** @return sessions per table */
        public int getWorkers() {
            return workers;
        }

        /** @param workers sessions per table */
        public void setWorkers(int workers) {
            this.workers = workers;
        }

        /** @return the target batch time, or null */
        public Duration getTargetBatchTime() {
            return targetBatchTime;
        }

        /** @param targetBatchTime the target batch time */
        public void setTargetBatchTime(Duration targetBatchTime) {
            this.targetBatchTime = targetBatchTime;
        }

        /** @return the smallest adaptive batch */
        public int getMinBatchSize() {
            return minBatchSize;
        }

        /** @param minBatchSize the smallest adaptive batch */
        public void setMinBatchSize(int minBatchSize) {
            this.minBatchSize = minBatchSize;
        }

        /** @return the largest adaptive batch */
        public int getMaxBatchSize() {
            return maxBatchSize;
        }

        /** @param maxBatchSize the largest adaptive batch */
        public void setMaxBatchSize(int maxBatchSize) {
            this.maxBatchSize = maxBatchSize;
        }

        /** @return the progress interval */
        public Duration getProgressInterval() {
            return progressInterval;
        }

        /** @param progressInterval the progress interval */
        public void setProgressInterval(Duration progressInterval) {
            this.progressInterval = progressInterval;
        }

        /** @return the dead tuple ratio limit */
        public double getMaxDeadTupleRatio() {
            return maxDeadTupleRatio;
        }

        /** @param maxDeadTupleRatio the dead tuple ratio limit */
        public void setMaxDeadTupleRatio(double maxDeadTupleRatio) {
            this.maxDeadTupleRatio = maxDeadTupleRatio;
        }

        /** @return whether the backfill vacuums its table itself */
        public boolean isVacuum() {
            return vacuum;
        }

        /** @param vacuum whether the backfill vacuums its table itself */
        public void setVacuum(boolean vacuum) {
            this.vacuum = vacuum;
        }

        /** @return whether to wait for another session's vacuum */
        public boolean isPauseWhileVacuumRuns() {
            return pauseWhileVacuumRuns;
        }

        /** @param pauseWhileVacuumRuns whether to wait for another session's vacuum */
        public void setPauseWhileVacuumRuns(boolean pauseWhileVacuumRuns) {
            this.pauseWhileVacuumRuns = pauseWhileVacuumRuns;
        }

        /** @return the replication lag limit */
        public DataSize getMaxReplicationLag() {
            return maxReplicationLag;
        }

        /** @param maxReplicationLag the replication lag limit; 0 turns the check off */
        public void setMaxReplicationLag(DataSize maxReplicationLag) {
            this.maxReplicationLag = maxReplicationLag;
        }

        /** @return how often the throttles look */
        public Duration getThrottleCheckInterval() {
            return throttleCheckInterval;
        }

        /** @param throttleCheckInterval how often the throttles look */
        public void setThrottleCheckInterval(Duration throttleCheckInterval) {
            this.throttleCheckInterval = throttleCheckInterval;
        }

        /** @return the longest throttle hold */
        public Duration getMaxThrottlePause() {
            return maxThrottlePause;
        }

        /** @param maxThrottlePause the longest throttle hold */
        public void setMaxThrottlePause(Duration maxThrottlePause) {
            this.maxThrottlePause = maxThrottlePause;
        }
    }

    /**
     * {@code querk.datasource.*}: a connection of Querk's own. Set it when the application's pool
     * goes through a transaction pooler (PgBouncer in transaction mode), which cannot hold the
     * runner lock or session settings; point it at the database directly.
     */
    public static class DataSource {

        /** JDBC URL of the direct connection; with only a username set, the application's URL is used. */
        private String url;

        /** Login user of the migration connection. */
        private String username;

        /** Login password of the migration connection. */
        private String password;

        /** @return the JDBC URL, or null */
        public String getUrl() {
            return url;
        }

        /** @param url the JDBC URL */
        public void setUrl(String url) {
            this.url = url;
        }

        /** @return the user, or null */
        public String getUsername() {
            return username;
        }

        /** @param username the user */
        public void setUsername(String username) {
            this.username = username;
        }

        /** @return the password, or null */
        public String getPassword() {
            return password;
        }

        /** @param password the password */
        public void setPassword(String password) {
            this.password = password;
        }
    }
}
