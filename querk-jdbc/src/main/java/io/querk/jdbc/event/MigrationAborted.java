package io.querk.jdbc.event;

import io.querk.Api;

import java.time.Instant;
import java.util.List;

/**
 * A migration was aborted: what its expand had added is undone, and the history records it as
 * aborted, so that it runs again from its first step once fixed.
 *
 * @param at          when the abort finished
 * @param migrationId the migration
 * @param undone      the undo actions that ran, in order
 */
@Api(status = Api.Status.STABLE, since = "0.1")
public record MigrationAborted(Instant at, String migrationId, List<String> undone) implements QuerkEvent {
    /**
     * Copies {@code undone}: an event does not change once published.
     *
     * @param at          when the abort finished
     * @param migrationId the migration
     * @param undone      the undo actions that ran
     */
    public MigrationAborted {
        undone = List.copyOf(undone);
    }
}
