package io.querk.jdbc;

import io.querk.Api;
import io.querk.QuerkException;

/**
 * A phase (or step) already applied to this database no longer has the definition it was
 * applied with. Applied phases must not be edited: their effect is in the database and will
 * not be re-applied. Put the change into a new migration; if the edit is only cosmetic and the
 * database already matches it, accept it with {@link Querk#repairChecksums(String)}.
 */
@Api(status = Api.Status.STABLE, since = "0.1")
public class ChecksumMismatchException extends QuerkException {

    private static final long serialVersionUID = 1L;

    /**
     * Made by the engine.
     *
     * @param message     which phase changed, and what to do about it
     * @param migrationId the migration whose applied phase was edited
     */
    public ChecksumMismatchException(String message, String migrationId) {
        super(message, migrationId, null, null, null);
    }
}
