package io.querk.jdbc;

import io.querk.Api;
import io.querk.internal.check.Checks;

import java.time.Duration;

/**
 * How backfills pace themselves unless their definition says otherwise: the classic
 * batch-and-sleep of a few thousand rows with a short pause, and throttles that hold the
 * backfill while the database is under stress: dead tuples piling up on the table (the backfill
 * then vacuums it), another vacuum working on the table, a standby falling behind.
 *
 * <pre>{@code
 * QuerkConfig.custom()
 *     .backfill(BackfillSettings.custom()
 *         .batchSize(5_000)
 *         .pause(Duration.ofMillis(10))
 *         .build())
 * }</pre>
 */
@Api(status = Api.Status.STABLE, since = "0.1")
public final class BackfillSettings {

    /** Rows per batch: {@value}, inside the classic 1,000 to 5,000. */
    public static final int DEFAULT_BATCH_SIZE = 2_000;
    /** Sleep between batches: 50 ms, room for the application and autovacuum to breathe. */
    public static final Duration DEFAULT_PAUSE = Duration.ofMillis(50);
    /** Adaptive floor: {@value} rows. */
    public static final int DEFAULT_MIN_BATCH_SIZE = 100;
    /** Adaptive ceiling: {@value} rows. */
    public static final int DEFAULT_MAX_BATCH_SIZE = 20_000;
    /** How often progress is logged and published: every 5 s. */
    public static final Duration DEFAULT_PROGRESS_INTERVAL = Duration.ofSeconds(5);
    /**
     * Dead tuples above this share of the table's rows make the backfill stop and vacuum (or, with
     * {@code vacuum(false)}, wait for autovacuum): 10%. Without vacuuming as it goes, a backfill
     * leaves as many dead row versions as one big UPDATE, and the table grows just as much; at 10%
     * the space of updated rows is reused for the next ones.
     */
    public static final double DEFAULT_MAX_DEAD_TUPLE_RATIO = 0.10;
    /**
     * The replica lag that pauses a backfill: 64 MB of WAL not yet replayed on some standby.
     * Bytes, not time: a paused or stuck standby stops reporting replay time, but never stops
     * falling behind in bytes.
     */
    public static final long DEFAULT_MAX_REPLICATION_LAG_BYTES = 64L * 1024 * 1024;
    /** How often the throttles look at the database: every second, never per batch. */
    public static final Duration DEFAULT_THROTTLE_CHECK_INTERVAL = Duration.ofSeconds(1);
    /**
     * How long a throttle may hold a backfill before it carries on anyway (with a warning): 10 min.
     * The runner lock is held meanwhile, so a throttle must not hold it forever.
     */
    public static final Duration DEFAULT_MAX_THROTTLE_PAUSE = Duration.ofMinutes(10);
    /** Sessions walking a table at once: {@value}. Gentle by default; more is for finishing fast. */
    public static final int DEFAULT_WORKERS = 1;

    private static final Checks CHECK = Checks.raising(QuerkConfigException::new);
    private static final BackfillSettings DEFAULTS = custom().build();

    private final int batchSize;
    private final Duration pause;
    private final Duration targetBatchTime;
    private final int minBatchSize;
    private final int maxBatchSize;
    private final Duration progressInterval;
    private final double maxDeadTupleRatio;
    private final boolean vacuum;
    private final boolean pauseWhileVacuumRuns;
    private final long maxReplicationLagBytes;
    private final Duration throttleCheckInterval;
    private final Duration maxThrottlePause;
    private final int workers;

    private BackfillSettings(Builder b) {
        this.batchSize = b.batchSize;
        this.pause = b.pause;
        this.targetBatchTime = b.targetBatchTime;
        this.minBatchSize = b.minBatchSize;
        this.maxBatchSize = b.maxBatchSize;
        this.progressInterval = b.progressInterval;
        this.maxDeadTupleRatio = b.maxDeadTupleRatio;
        this.vacuum = b.vacuum;
        this.pauseWhileVacuumRuns = b.pauseWhileVacuumRuns;
        this.maxReplicationLagBytes = b.maxReplicationLagBytes;
        this.throttleCheckInterval = b.throttleCheckInterval;
        this.maxThrottlePause = b.maxThrottlePause;
        this.workers = b.workers;
    }

    /** @return the defaults (see the {@code DEFAULT_} constants) */
    public static BackfillSettings defaults() {
        return DEFAULTS;
    }

    /** @return a builder starting from the defaults */
    public static Builder custom() {
        return new Builder();
    }

    /**
     * @param base the settings to start from
     * @return a builder holding {@code base}'s settings
     */
    public static Builder from(BackfillSettings base) {
        Builder b = new Builder();
        b.batchSize = base.batchSize;
        b.pause = base.pause;
        b.targetBatchTime = base.targetBatchTime;
        b.minBatchSize = base.minBatchSize;
        b.maxBatchSize = base.maxBatchSize;
        b.progressInterval = base.progressInterval;
        b.maxDeadTupleRatio = base.maxDeadTupleRatio;
        b.vacuum = base.vacuum;
        b.pauseWhileVacuumRuns = base.pauseWhileVacuumRuns;
        b.maxReplicationLagBytes = base.maxReplicationLagBytes;
        b.throttleCheckInterval = base.throttleCheckInterval;
        b.maxThrottlePause = base.maxThrottlePause;
        b.workers = base.workers;
        return b;
    }

    @Override
    public String toString() {
        return "BackfillSettings[batchSize=" + batchSize + ", pause=" + pause + ", targetBatchTime="
                + (targetBatchTime == null ? "none (fixed size)" : targetBatchTime + " (" + minBatchSize + ".."
                + maxBatchSize + " rows)") + ", workers=" + workers + ", progressInterval=" + progressInterval
                + ", maxDeadTupleRatio=" + maxDeadTupleRatio + ", vacuum=" + vacuum + ", pauseWhileVacuumRuns="
                + pauseWhileVacuumRuns + ", maxReplicationLagBytes=" + maxReplicationLagBytes
                + ", throttleCheckInterval=" + throttleCheckInterval + ", maxThrottlePause=" + maxThrottlePause + "]";
    }

    /** @return rows per batch to start with */
    public int batchSize() {
        return batchSize;
    }

    /** @return sleep between batches */
    public Duration pause() {
        return pause;
    }

    /** @return the adaptive target duration of one batch, or null if sizing is fixed */
    public Duration targetBatchTime() {
        return targetBatchTime;
    }

    /** @return the adaptive floor */
    public int minBatchSize() {
        return minBatchSize;
    }

    /** @return the adaptive ceiling */
    public int maxBatchSize() {
        return maxBatchSize;
    }

    /** @return how often progress is reported */
    public Duration progressInterval() {
        return progressInterval;
    }

    /** @return the dead-tuple share of the table that stops the backfill to vacuum (or wait) */
    public double maxDeadTupleRatio() {
        return maxDeadTupleRatio;
    }

    /** @return true if the backfill vacuums the table itself when dead tuples pass the limit */
    public boolean vacuum() {
        return vacuum;
    }

    /** @return true if the backfill waits while another session (autovacuum, say) vacuums the table */
    public boolean pauseWhileVacuumRuns() {
        return pauseWhileVacuumRuns;
    }

    /** @return the standby replay lag, in bytes of WAL, that pauses the backfill; 0 disables the check */
    public long maxReplicationLagBytes() {
        return maxReplicationLagBytes;
    }

    /** @return how often the throttles look */
    public Duration throttleCheckInterval() {
        return throttleCheckInterval;
    }

    /** @return how long a throttle may hold a backfill before it carries on */
    public Duration maxThrottlePause() {
        return maxThrottlePause;
    }

    /** @return how many sessions walk a table at once, each its own key range */
    public int workers() {
        return workers;
    }

    /** Builds {@link BackfillSettings}; each setter checks its argument. */
    public static final class Builder {
        private int batchSize = DEFAULT_BATCH_SIZE;
        private Duration pause = DEFAULT_PAUSE;
        private Duration targetBatchTime;
        private int minBatchSize = DEFAULT_MIN_BATCH_SIZE;
        private int maxBatchSize = DEFAULT_MAX_BATCH_SIZE;
        private Duration progressInterval = DEFAULT_PROGRESS_INTERVAL;
        private double maxDeadTupleRatio = DEFAULT_MAX_DEAD_TUPLE_RATIO;
        private boolean vacuum = true;
        private boolean pauseWhileVacuumRuns = true;
        private long maxReplicationLagBytes = DEFAULT_MAX_REPLICATION_LAG_BYTES;
        private Duration throttleCheckInterval = DEFAULT_THROTTLE_CHECK_INTERVAL;
        private Duration maxThrottlePause = DEFAULT_MAX_THROTTLE_PAUSE;
        private int workers = DEFAULT_WORKERS;

        private Builder() {
        }

        /**
         * How many sessions walk a table at once, each its own contiguous key range with its own
         * cursor; positive. Each worker holds a connection of its own while the backfill runs.
         *
         * @param sessions positive
         * @return this builder
         */
        public Builder workers(int sessions) {
            this.workers = CHECK.positive("workers", sessions);
            return this;
        }

        /**
         * The dead-tuple share of the table (dead / (live + dead), from {@code pg_stat_user_tables})
         * above which the backfill stops to vacuum, or waits for autovacuum; in (0, 1].
         *
         * @param ratio in (0, 1]
         * @return this builder
         */
        public Builder maxDeadTupleRatio(double ratio) {
            this.maxDeadTupleRatio = CHECK.inHalfOpenRange("maxDeadTupleRatio", ratio, 0, 1);
            return this;
        }

        /**
         * Whether the backfill runs a plain {@code VACUUM} on its table when dead tuples pass the
         * limit (true), or only waits for autovacuum (false). Plain VACUUM blocks no reads or writes.
         *
         * @param vacuum true to vacuum, false to wait for autovacuum
         * @return this builder
         */
        public Builder vacuum(boolean vacuum) {
            this.vacuum = vacuum;
            return this;
        }

        /**
         * Whether the backfill waits while another session vacuums its table.
         *
         * @param pause true to wait, false to carry on alongside the vacuum
         * @return this builder
         */
        public Builder pauseWhileVacuumRuns(boolean pause) {
            this.pauseWhileVacuumRuns = pause;
            return this;
        }

        /**
         * The standby replay lag, in bytes of WAL, that pauses the backfill; 0 turns the check off.
         *
         * @param bytes zero (off) or positive
         * @return this builder
         */
        public Builder maxReplicationLagBytes(long bytes) {
            this.maxReplicationLagBytes = CHECK.notNegative("maxReplicationLagBytes", bytes);
            return this;
        }

        /**
         * How often the throttles look at the database; positive.
         *
         * @param d positive
         * @return this builder
         */
        public Builder throttleCheckInterval(Duration d) {
            this.throttleCheckInterval = CHECK.positive("throttleCheckInterval", d);
            return this;
        }

        /**
         * How long a throttle may hold a backfill before it carries on with a warning; positive.
         *
         * @param d positive
         * @return this builder
         */
        public Builder maxThrottlePause(Duration d) {
            this.maxThrottlePause = CHECK.positive("maxThrottlePause", d);
            return this;
        }

        /**
         * Rows per batch to start with; positive.
         *
         * @param rows positive
         * @return this builder
         */
        public Builder batchSize(int rows) {
            this.batchSize = CHECK.positive("batchSize", rows);
            return this;
        }

        /**
         * Sleep between batches; zero or more.
         *
         * @param d zero or positive
         * @return this builder
         */
        public Builder pause(Duration d) {
            this.pause = CHECK.notNegative("pause", d);
            return this;
        }

        /**
         * Adapts the batch size so that a batch takes about this long; null for fixed sizing.
         *
         * @param d positive, or null for fixed sizing
         * @return this builder
         */
        public Builder targetBatchTime(Duration d) {
            this.targetBatchTime = d == null ? null : CHECK.positive("targetBatchTime", d);
            return this;
        }

        /**
         * The adaptive floor; positive.
         *
         * @param rows positive, at most the maximum batch size
         * @return this builder
         */
        public Builder minBatchSize(int rows) {
            this.minBatchSize = CHECK.positive("minBatchSize", rows);
            return this;
        }

        /**
         * The adaptive ceiling; positive.
         *
         * @param rows positive, at least the minimum batch size
         * @return this builder
         */
        public Builder maxBatchSize(int rows) {
            this.maxBatchSize = CHECK.positive("maxBatchSize", rows);
            return this;
        }

        /**
         * How often progress is logged and published; positive.
         *
         * @param d positive
         * @return this builder
         */
        public Builder progressInterval(Duration d) {
            this.progressInterval = CHECK.positive("progressInterval", d);
            return this;
        }

        /** @return the settings */
        public BackfillSettings build() {
            CHECK.require(minBatchSize <= maxBatchSize, "minBatchSize (" + minBatchSize + ") is above maxBatchSize ("
                    + maxBatchSize + "); raise maxBatchSize or lower minBatchSize.");
            return new BackfillSettings(this);
        }
    }
}
