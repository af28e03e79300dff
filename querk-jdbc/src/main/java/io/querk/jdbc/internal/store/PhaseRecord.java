package io.querk.jdbc.internal.store;

import io.querk.migration.Phase;

import java.time.Instant;

/**
 * A phase row of the history table.
 *
 * @param status  one of {@link HistoryStore#PENDING}, {@link HistoryStore#RUNNING}, {@link HistoryStore#FAILED},
 *                {@link HistoryStore#APPLIED}, {@link HistoryStore#ABORTED}
 * @param seenSeq the order its migration was first seen in, among all migrations of this history
 */
public record PhaseRecord(String migrationId, Phase phase, String checksum, String status, Instant finishedAt,
                          long seenSeq) {

    /** @return true if the phase was applied completely */
    public boolean applied() {
        return HistoryStore.APPLIED.equals(status);
    }
}
