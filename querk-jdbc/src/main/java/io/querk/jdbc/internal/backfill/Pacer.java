package io.querk.jdbc.internal.backfill;

import io.querk.internal.step.BackfillTuning;
import io.querk.jdbc.BackfillSettings;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * One worker's pacing: its batch size, adapted toward a target batch time when one is set, and
 * the pause between its batches. Each worker adapts on its own, since each meets its own part of
 * the table. Pure and not thread-safe: one per worker.
 */
final class Pacer {

    /**
     * A change of batch size.
     *
     * @param from   the old size
     * @param to     the new size
     * @param reason why, for the event
     */
    record Resize(int from, int to, String reason) {
    }

    private final Duration pause;
    private final Duration target;
    private final int min;
    private final int max;
    private int batchSize;

    /** @param tuning the merged pacing (see {@link #merged}) */
    Pacer(BackfillTuning tuning) {
        this.pause = tuning.pause();
        this.target = tuning.targetBatchTime();
        this.min = tuning.minBatchSize();
        this.max = tuning.maxBatchSize();
        this.batchSize = tuning.batchSize();
    }

    /** @return a backfill's own pacing over the engine's defaults: every field set but maybe the target */
    static BackfillTuning merged(BackfillTuning own, BackfillSettings defaults) {
        return own.orElse(new BackfillTuning(defaults.batchSize(), defaults.pause(), defaults.targetBatchTime(),
                defaults.minBatchSize(), defaults.maxBatchSize(), defaults.workers()));
    }

    /** @return rows in the next batch */
    int batchSize() {
        return batchSize;
    }

    /** @return the sleep after each batch */
    Duration pause() {
        return pause;
    }

    /**
     * Moves the batch size toward the one that takes the target time, at most doubling or halving
     * it per batch, within [min, max]; changes under 10% are ignored so the size does not jitter.
     *
     * @param took how long the last batch took
     * @return the change made, if any
     */
    Optional<Resize> adapt(Duration took) {
        if (target == null || took.isZero()) {
            return Optional.empty();
        }
        double ratio = Math.max(0.5, Math.min(2.0, (double) target.toNanos() / took.toNanos()));
        int proposed = (int) Math.max(min, Math.min(max, Math.round(batchSize * ratio)));
        if (Math.abs(proposed - batchSize) < Math.max(1, batchSize / 10)) {
            return Optional.empty();
        }
        Resize r = new Resize(batchSize, proposed, String.format(Locale.ROOT, "last batch took %d ms, target %d ms",
                took.toMillis(), target.toMillis()));
        batchSize = proposed;
        return Optional.of(r);
    }
}
