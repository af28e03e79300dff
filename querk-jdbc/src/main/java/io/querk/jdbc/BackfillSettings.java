package io.querk.jdbc;

import java.time.Duration;

/**
 * How backfills pace themselves unless their definition says otherwise: the classic
 * batch-and-sleep of a few thousand rows with a short pause.
 *
 * <pre>{@code
 * Querk.builder()
 *     .backfill(BackfillSettings.custom()
 *         .batchSize(5_000)
 *         .pause(Duration.ofMillis(10))
 *         .build())
 * }</pre>
 */
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

    private static final BackfillSettings DEFAULTS = custom().build();

    private final int batchSize;
    private final Duration pause;
    private final Duration targetBatchTime;
    private final int minBatchSize;
    private final int maxBatchSize;
    private final Duration progressInterval;

    private BackfillSettings(Builder b) {
        this.batchSize = b.batchSize;
        this.pause = b.pause;
        this.targetBatchTime = b.targetBatchTime;
        this.minBatchSize = b.minBatchSize;
        this.maxBatchSize = b.maxBatchSize;
        this.progressInterval = b.progressInterval;
    }

    /** @return the defaults (see the {@code DEFAULT_} constants) */
    public static BackfillSettings defaults() {
        return DEFAULTS;
    }

    /** @return a builder starting from the defaults */
    public static Builder custom() {
        return new Builder();
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

    /** Builds {@link BackfillSettings}; each setter checks its argument. */
    public static final class Builder {
        private int batchSize = DEFAULT_BATCH_SIZE;
        private Duration pause = DEFAULT_PAUSE;
        private Duration targetBatchTime;
        private int minBatchSize = DEFAULT_MIN_BATCH_SIZE;
        private int maxBatchSize = DEFAULT_MAX_BATCH_SIZE;
        private Duration progressInterval = DEFAULT_PROGRESS_INTERVAL;

        private Builder() {
        }

        /** Rows per batch to start with; positive. */
        public Builder batchSize(int rows) {
            this.batchSize = positive("batchSize", rows);
            return this;
        }

        /** Sleep between batches; zero or more. */
        public Builder pause(Duration d) {
            if (d == null || d.isNegative()) {
                throw new QuerkConfigException("pause must be zero or positive, got " + d + ".");
            }
            this.pause = d;
            return this;
        }

        /** Adapts the batch size so that a batch takes about this long; null for fixed sizing. */
        public Builder targetBatchTime(Duration d) {
            if (d != null && (d.isZero() || d.isNegative())) {
                throw new QuerkConfigException("targetBatchTime must be positive, got " + d + ".");
            }
            this.targetBatchTime = d;
            return this;
        }

        /** The adaptive floor; positive. */
        public Builder minBatchSize(int rows) {
            this.minBatchSize = positive("minBatchSize", rows);
            return this;
        }

        /** The adaptive ceiling; positive. */
        public Builder maxBatchSize(int rows) {
            this.maxBatchSize = positive("maxBatchSize", rows);
            return this;
        }

        /** How often progress is logged and published; positive. */
        public Builder progressInterval(Duration d) {
            if (d == null || d.isZero() || d.isNegative()) {
                throw new QuerkConfigException("progressInterval must be positive, got " + d + ".");
            }
            this.progressInterval = d;
            return this;
        }

        /** @return the settings */
        public BackfillSettings build() {
            if (minBatchSize > maxBatchSize) {
                throw new QuerkConfigException("minBatchSize " + minBatchSize + " is above maxBatchSize " + maxBatchSize + ".");
            }
            return new BackfillSettings(this);
        }

        private static int positive(String what, int v) {
            if (v <= 0) {
                throw new QuerkConfigException(what + " must be positive, got " + v + ".");
            }
            return v;
        }
    }
}
