package io.querk.migration;

import io.querk.Api;
import io.querk.QuerkException;

/**
 * A migration, or a piece of one, is not valid as written. Thrown while it is being
 * built, always before anything touches a database; the message says what to change.
 */
@Api(status = Api.Status.STABLE, since = "0.1")
public class MigrationDefinitionException extends QuerkException {

    private static final long serialVersionUID = 1L;

    /** @param message what is wrong and what to change */
    public MigrationDefinitionException(String message) {
        super(message);
    }

    /**
     * @param message     what is wrong and what to change
     * @param migrationId the migration being defined
     */
    public MigrationDefinitionException(String message, String migrationId) {
        super(message, migrationId, null, null, null);
    }
}
