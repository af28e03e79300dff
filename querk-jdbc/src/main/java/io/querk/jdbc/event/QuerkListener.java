package io.querk.jdbc.event;

import io.querk.Api;

/**
 * Receives every {@link QuerkEvent}, on the thread that runs the migration. A listener that
 * throws is logged and otherwise ignored: observing a migration never breaks it. Keep it quick;
 * hand slow work to another thread.
 */
@FunctionalInterface
@Api(status = Api.Status.STABLE, since = "0.1")
public interface QuerkListener {

    /** @param event what happened */
    void onEvent(QuerkEvent event);
}
