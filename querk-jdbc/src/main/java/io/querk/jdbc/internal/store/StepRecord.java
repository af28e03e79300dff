package io.querk.jdbc.internal.store;

/**
 * A step row of the history table.
 *
 * @param stepNo      position in the phase, from 1
 * @param checksum    the step's definition when it was recorded
 * @param status      running, failed or done
 * @param actionsDone how many actions of a raw SQL step committed (the ledger that makes raw SQL resumable)
 * @param rowsUpdated a backfill's rows updated, as of its last total (its ranges hold the live counts)
 * @param rowsScanned a backfill's rows walked, likewise
 */
public record StepRecord(int stepNo, String checksum, String status, int actionsDone, long rowsUpdated,
                         long rowsScanned) {

    /** @return true if the step was applied completely */
    public boolean done() {
        return HistoryStore.DONE.equals(status);
    }
}
