package io.querk.jdbc.internal.store;

import io.querk.migration.Phase;

import java.time.Instant;

/**
 * A phase row of the history table.
 *
 * @param status one of {@link HistoryStore#RUNNING}, {@link HistoryStore#FAILED}, {@link HistoryStore#APPLIED}
 */
public record PhaseRecord(String migrationId, Phase phase, String checksum, String status, Instant finishedAt) {

    /** @return true if the phase was applied completely */
    public boolean applied() {
        return HistoryStore.APPLIED.equals(status);
    }
}
