package io.querk.jdbc;

import io.querk.Api;
import io.querk.QuerkException;

/**
 * A run was refused before it took its lock or changed anything: the DataSource's connections are
 * not stable database sessions. A pooler in transaction mode (PgBouncer
 * {@code pool_mode=transaction}, say) hands each transaction to another server session, which
 * breaks the single-runner lock and the lock timeouts that keep a step from blocking the
 * application. Give Querk direct or session-pooled connections for migrations.
 */
@Api(status = Api.Status.STABLE, since = "0.1")
public class UnstableSessionException extends QuerkException {

    private static final long serialVersionUID = 1L;

    /**
     * Made by the engine.
     *
     * @param message what the probe saw and what to do about it
     */
    public UnstableSessionException(String message) {
        super(message);
    }
}
