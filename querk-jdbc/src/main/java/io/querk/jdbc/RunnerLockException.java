package io.querk.jdbc;

import io.querk.Api;
import io.querk.QuerkException;

/**
 * The single-runner lock could not be taken in time, or was lost while running (the lock's
 * session ended, or a connection pooler in transaction mode hands each transaction to another
 * server session, which breaks session-level advisory locks).
 */
@Api(status = Api.Status.STABLE, since = "0.1")
public class RunnerLockException extends QuerkException {

    private static final long serialVersionUID = 1L;

    /**
     * Made by the engine.
     *
     * @param message why the lock could not be had or kept, and what to do about it
     * @param cause   the underlying database error, or {@code null}
     */
    public RunnerLockException(String message, Throwable cause) {
        super(message, null, null, null, cause);
    }
}
