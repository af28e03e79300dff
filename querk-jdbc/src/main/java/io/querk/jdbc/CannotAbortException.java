package io.querk.jdbc;

import io.querk.Api;
import io.querk.QuerkException;

/**
 * {@link Querk#abort(String)} refused: the migration's contract has started (what it removed
 * cannot be brought back; write a new migration instead), or its expand ran raw SQL Querk cannot
 * undo (say how with {@link io.querk.migration.Undo}). Nothing was undone.
 */
@Api(status = Api.Status.STABLE, since = "0.1")
public class CannotAbortException extends QuerkException {

    private static final long serialVersionUID = 1L;

    /**
     * Made by the engine.
     *
     * @param message     why, and what to do instead
     * @param migrationId the migration
     */
    public CannotAbortException(String message, String migrationId) {
        super(message, migrationId, null, null, null);
    }
}
