package io.querk.jdbc.fleet;

import io.querk.Api;

/** What a fleet run does when one target fails. */
@Api(status = Api.Status.EXPERIMENTAL, since = "0.1")
public enum FailurePolicy {
    /**
     * Start no further target after the first failure; the ones already running finish. A
     * migration that is broken everywhere then reaches at most as many databases as run at once.
     */
    STOP,
    /** Run every target whatever happens to the others: one busy or broken tenant holds up no one. */
    CONTINUE
}
