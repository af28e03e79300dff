package io.querk.jdbc;

import io.querk.Api;

import java.time.Duration;
import java.util.List;

/**
 * What {@link Querk#abort(String)} undid.
 *
 * @param migrationId the migration, now pending again in the history
 * @param undone      the undo actions that ran, in order ("drop sync trigger querk_sync_name_lower" ...);
 *                    empty if its expand had added nothing (or an earlier abort had undone it)
 * @param took        how long it took
 */
@Api(status = Api.Status.STABLE, since = "0.1")
public record AbortReport(String migrationId, List<String> undone, Duration took) {
    /**
     * Copies the list: a report does not change once made.
     *
     * @param migrationId the migration
     * @param undone      the undo actions that ran
     * @param took        how long it took
     */
    public AbortReport {
        undone = List.copyOf(undone);
    }
}
