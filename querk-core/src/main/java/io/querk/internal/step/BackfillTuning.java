package io.querk.internal.step;

import java.time.Duration;

/**
 * How one backfill paces itself, as far as its definition says; a null field takes the
 * engine's default. These are operating knobs, not part of what the backfill computes, so they
 * stay out of the phase checksum: retuning a running backfill is allowed.
 *
 * @param batchSize       rows per batch to start with
 * @param pause           sleep between batches
 * @param targetBatchTime when set, the batch size adapts so that a batch takes about this long
 * @param minBatchSize    the adaptive floor
 * @param maxBatchSize    the adaptive ceiling
 * @param workers         how many sessions walk the table at once, each its own key range
 */
public record BackfillTuning(Integer batchSize, Duration pause, Duration targetBatchTime, Integer minBatchSize,
                             Integer maxBatchSize, Integer workers) {

    /** Tuning that leaves everything to the engine's defaults. */
    public static final BackfillTuning DEFAULTS = new BackfillTuning(null, null, null, null, null, null);

    /**
     * The one place a backfill's own pacing meets the engine's defaults.
     *
     * @param defaults the engine's pacing, every field set (but the target batch time, which may stay null: fixed size)
     * @return this tuning with each field it leaves unset taken from {@code defaults}
     */
    public BackfillTuning orElse(BackfillTuning defaults) {
        return new BackfillTuning(batchSize != null ? batchSize : defaults.batchSize,
                pause != null ? pause : defaults.pause,
                targetBatchTime != null ? targetBatchTime : defaults.targetBatchTime,
                minBatchSize != null ? minBatchSize : defaults.minBatchSize,
                maxBatchSize != null ? maxBatchSize : defaults.maxBatchSize,
                workers != null ? workers : defaults.workers);
    }
}
