package io.querk.jdbc.internal.backfill;

import io.querk.jdbc.event.BackfillProgress;
import io.querk.migration.StepRef;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * How far one backfill has come, over all its workers: rows updated and walked (this run and
 * the runs before it), the rate of this run, the time left, the batch size each worker uses
 * now, and the longest batch (the longest any row lock was held). Thread-safe; the clock is
 * given, so the arithmetic is tested without waiting.
 */
final class Progress {

    private final StepRef ref;
    private final long estimate;
    private final long updatedBefore;
    private final long scannedBefore;
    private final Duration interval;
    private final LongSupplier nanoClock;
    private final long start;
    private final int[] batchSizes;
    private long updated;
    private long scanned;
    private Duration longest = Duration.ZERO;
    private long lastReport;

    /**
     * @param estimate      rows the walk covers, from statistics; -1 when unknown
     * @param updatedBefore rows earlier runs updated
     * @param scannedBefore rows earlier runs walked
     * @param batchSizes    each worker's first batch size
     * @param interval      how often {@link #due()} reports
     * @param nanoClock     {@code System::nanoTime} outside tests
     */
    Progress(StepRef ref, long estimate, long updatedBefore, long scannedBefore, List<Integer> batchSizes,
             Duration interval, LongSupplier nanoClock) {
        this.ref = ref;
        this.estimate = estimate;
        this.updatedBefore = updatedBefore;
        this.scannedBefore = scannedBefore;
        this.interval = interval;
        this.nanoClock = nanoClock;
        this.start = nanoClock.getAsLong();
        this.lastReport = start;
        this.batchSizes = batchSizes.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * Counts one committed batch of one worker.
     *
     * @param worker       the worker, from 0
     * @param nextSize     the batch size that worker uses next
     */
    synchronized void batch(int worker, long rowsScanned, long rowsUpdated, Duration took, int nextSize) {
        scanned += rowsScanned;
        updated += rowsUpdated;
        if (took.compareTo(longest) > 0) {
            longest = took;
        }
        batchSizes[worker] = nextSize;
    }

    /** @return rows this run updated */
    synchronized long updatedThisRun() {
        return updated;
    }

    /** @return the progress, if the reporting interval has passed since the last report */
    synchronized Optional<BackfillProgress> due() {
        long now = nanoClock.getAsLong();
        if (now - lastReport < interval.toNanos()) {
            return Optional.empty();
        }
        return Optional.of(now(now));
    }

    /** @return the progress now, whatever the interval */
    synchronized BackfillProgress now() {
        return now(nanoClock.getAsLong());
    }

    private BackfillProgress now(long now) {
        lastReport = now;
        long walked = scannedBefore + scanned;
        double seconds = (now - start) / 1e9;
        double rate = seconds > 0 ? scanned / seconds : 0;
        Duration eta = estimate > 0 && rate > 0 && walked < estimate
                ? Duration.ofMillis((long) ((estimate - walked) / rate * 1000)) : null;
        List<Integer> sizes = new ArrayList<>();
        for (int s : batchSizes) {
            sizes.add(s);
        }
        return new BackfillProgress(Instant.now(), ref, updatedBefore + updated, walked, estimate, rate, eta, sizes,
                longest);
    }
}
