package io.querk.jdbc.internal.backfill;

import io.querk.jdbc.internal.store.RangeRecord;

import java.sql.SQLException;
import java.time.Duration;
import java.util.List;

/**
 * Walks one key range batch after batch: each batch starts after the cursor the last one
 * committed, the walk ends at the first batch that finds fewer rows than it asked for, and
 * between batches it asks the gate whether it may go on (pause, cancel, throttles, a failure
 * elsewhere) and sleeps the pacer's pause. The database is behind {@link Batches}, so the walk
 * itself is tested without one.
 */
final class RangeWalker {

    /**
     * What one committed batch did.
     *
     * @param cursor   the last key it reached, as text; null if it found no row
     * @param scanned  rows it walked
     * @param updated  rows it changed
     * @param took     how long it took, retries included
     * @param attempts attempts it took
     */
    record Batch(List<String> cursor, long scanned, long updated, Duration took, int attempts) {
    }

    /** Runs the next batch of a range, retrying lock timeouts. */
    @FunctionalInterface
    interface Batches {
        /**
         * @param expected the cursor the range row must still hold (null before its first batch)
         * @param hasFrom  the batch starts after a bound (the cursor, else the range's lower bound)
         * @param size     rows to walk
         */
        Batch next(RangeRecord range, List<String> expected, boolean hasFrom, int size) throws SQLException;
    }

    /** Between batches: may the walk go on? */
    @FunctionalInterface
    interface Gate {
        /** @return false to stop here, the cursor saved */
        boolean mayGo() throws SQLException;
    }

    /** Hears of every batch. */
    interface Listener {
        /** @param nextSize the batch size the walk uses next */
        void batch(Batch b, int nextSize);

        /** The pacer changed the batch size. */
        void resized(Pacer.Resize r);
    }

    /** Sleeps between batches. */
    @FunctionalInterface
    interface Sleeper {
        /** Sleeps {@code d}. */
        void sleep(Duration d);
    }

    private RangeWalker() {
    }

    /** @return true if the range was walked to its end, false if the gate stopped it first */
    static boolean walk(RangeRecord range, Batches batches, Pacer pacer, Gate gate, Listener listener, Sleeper sleeper)
            throws SQLException {
        List<String> cursor = range.cursor();
        boolean hasFrom = range.from() != null;
        while (gate.mayGo()) {
            int size = pacer.batchSize();
            Batch b = batches.next(range, cursor, hasFrom, size);
            if (b.cursor() != null) {
                cursor = b.cursor();
                hasFrom = true;
            }
            if (b.scanned() < size) {
                listener.batch(b, size);
                return true;
            }
            pacer.adapt(b.took()).ifPresent(listener::resized);
            listener.batch(b, pacer.batchSize());
            sleeper.sleep(pacer.pause());
        }
        return false;
    }
}
