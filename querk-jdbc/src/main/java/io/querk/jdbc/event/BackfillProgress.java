package io.querk.jdbc.event;

import io.querk.migration.StepRef;

import java.time.Duration;
import java.time.Instant;

/**
 * How far a backfill has come.
 *
 * @param rowsUpdated   rows changed so far (over all runs)
 * @param rowsScanned   rows walked so far, changed or not (over all runs)
 * @param rowsEstimated the planner's estimate of rows to walk, or -1 if unknown
 * @param rowsPerSecond the recent walking rate
 * @param eta           the estimated time left, or null if unknown
 * @param batchSize     the current batch size
 * @param longestBatch  the longest batch of this run so far: how long a row lock was held at most
 */
public record BackfillProgress(Instant at, StepRef step, long rowsUpdated, long rowsScanned, long rowsEstimated,
                               double rowsPerSecond, Duration eta, int batchSize, Duration longestBatch)
        implements QuerkEvent {

    /** @return the fraction walked in [0, 1], or -1 if the total is unknown */
    public double fractionDone() {
        return rowsEstimated <= 0 ? -1 : Math.min(1.0, (double) rowsScanned / rowsEstimated);
    }
}
