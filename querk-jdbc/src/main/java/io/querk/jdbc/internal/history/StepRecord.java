package io.querk.jdbc.internal.history;

import java.util.List;

/**
 * A step row of the history table.
 *
 * @param stepNo      position in the phase, from 1
 * @param checksum    the step's definition when it was recorded
 * @param status      running, failed or done
 * @param actionsDone how many actions of a raw SQL step committed (the ledger that makes raw SQL resumable)
 * @param cursor      a backfill's last committed key, or null
 * @param rowsUpdated a backfill's rows updated so far
 * @param rowsScanned a backfill's rows walked so far
 */
public record StepRecord(int stepNo, String checksum, String status, int actionsDone, List<String> cursor,
                         long rowsUpdated, long rowsScanned) {

    /** @return true if the step was applied completely */
    public boolean done() {
        return HistoryStore.DONE.equals(status);
    }
}
