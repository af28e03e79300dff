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

    /**
     * Whether this listener wants {@link LocksHeld} events. When any listener does, the engine
     * reads {@code pg_locks} for its own backend inside each transactional action, just before
     * the commit (under a savepoint, so that a failed read never fails the migration): one short
     * catalog query more per transaction. A lock tracer in a test wants it; production does not.
     *
     * @return true to receive {@link LocksHeld}; false by default
     */
    default boolean capturesHeldLocks() {
        return false;
    }
}
