package io.querk.jdbc;

import io.querk.Api;
import io.querk.QuerkException;

/**
 * A migration this database has never seen sorts before one it has already applied: typically a
 * branch merged late. Running it silently would apply changes out of the order the ids promise,
 * so the run refuses before doing anything, unless the configuration accepts it
 * ({@link QuerkConfig.Builder#outOfOrder(boolean)}). Accepted or not, its contract never runs in
 * the run that applies its expand, and is released only by a release that names it or a
 * migration seen after it: releasing an older id does not release it.
 */
@Api(status = Api.Status.STABLE, since = "0.1")
public class OutOfOrderMigrationException extends QuerkException {

    private static final long serialVersionUID = 1L;

    /** The applied migration the new one sorts before. */
    private final String appliedAfter;

    /**
     * Made by the engine.
     *
     * @param migrationId  the new migration
     * @param appliedAfter the applied migration whose id sorts after it
     */
    public OutOfOrderMigrationException(String migrationId, String appliedAfter) {
        super("Migration '" + migrationId + "' is new to this database, but '" + appliedAfter + "', whose id sorts"
                + " after it, is already applied: a branch merged late. Nothing was run. If running it now is right,"
                + " accept out-of-order migrations with QuerkConfig.custom().outOfOrder(true); its contract will then"
                + " wait for a release that names it (contractReleasedThrough(\"" + migrationId + "\") or a later"
                + " one). Otherwise give it an id that sorts after '" + appliedAfter + "'.", migrationId, null, null, null);
        this.appliedAfter = appliedAfter;
    }

    /** @return the applied migration whose id sorts after the new one */
    public String appliedAfter() {
        return appliedAfter;
    }
}
