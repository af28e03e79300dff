package io.querk.jdbc.event;

import io.querk.Api;
import io.querk.migration.StepRef;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * How far a backfill has come.
 *
 * @param at            when it was measured
 * @param step          the backfill step
 * @param rowsUpdated   rows changed so far (over all runs)
 * @param rowsScanned   rows walked so far, changed or not (over all runs)
 * @param rowsEstimated the planner's estimate of rows to walk, or -1 if unknown
 * @param rowsPerSecond this run's walking rate
 * @param eta           the estimated time left, or null if unknown
 * @param batchSizes    the batch size each worker uses now, one entry per worker; each adapts on its own
 * @param longestBatch  the longest batch of this run so far: how long a row lock was held at most
 */
@Api(status = Api.Status.STABLE, since = "0.1")
public record BackfillProgress(Instant at, StepRef step, long rowsUpdated, long rowsScanned, long rowsEstimated,
                               double rowsPerSecond, Duration eta, List<Integer> batchSizes, Duration longestBatch)
        implements QuerkEvent {

    /**
     * Copies {@code batchSizes}: an event does not change once published.
     *
     * @param at            when it was measured
     * @param step          the backfill step
     * @param rowsUpdated   rows changed so far (over all runs)
     * @param rowsScanned   rows walked so far (over all runs)
     * @param rowsEstimated the estimate of rows to walk, or -1
     * @param rowsPerSecond this run's walking rate
     * @param eta           the estimated time left, or null
     * @param batchSizes    the batch size each worker uses now
     * @param longestBatch  the longest batch of this run so far
     */
    public BackfillProgress {
        batchSizes = List.copyOf(batchSizes);
    }

    /** @return the fraction walked in [0, 1], or -1 if the total is unknown */
    public double fractionDone() {
        return rowsEstimated <= 0 ? -1 : Math.min(1.0, (double) rowsScanned / rowsEstimated);
    }

    /** @return the batch size in use: with one worker its size, with several the mean of theirs */
    public int batchSize() {
        return (int) Math.round(batchSizes.stream().mapToInt(Integer::intValue).average().orElse(0));
    }
}
