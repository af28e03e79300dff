package io.querk.jdbc;

import io.querk.Api;
import io.querk.migration.Phase;

import java.time.Instant;

/**
 * The state of one phase of one migration in this database.
 *
 * @param migrationId     the migration
 * @param phase           the phase
 * @param status          where it stands
 * @param finishedAt      when it was applied, or null
 * @param checksumMatches false if the phase's definition changed since it was recorded
 */
@Api(status = Api.Status.STABLE, since = "0.1")
public record PhaseState(String migrationId, Phase phase, Status status, Instant finishedAt, boolean checksumMatches) {

    /** Where a phase stands. */
    public enum Status {
        /** Not started. */
        PENDING,
        /** Started by a run that has not finished it (running now, or interrupted). */
        RUNNING,
        /** The last run that worked on it failed. */
        FAILED,
        /** Applied completely. */
        APPLIED,
        /** Undone by {@link Querk#abort(String)}: runs again, from its first step, once fixed. */
        ABORTED
    }
}
