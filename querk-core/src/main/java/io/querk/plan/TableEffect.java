package io.querk.plan;

import io.querk.Api;

/** What a statement does to a table's rows, beyond taking its lock. */
@Api(status = Api.Status.STABLE, since = "0.1")
public enum TableEffect {
    /** Catalog only: instant whatever the table's size. */
    NONE,
    /** Reads every row (to validate a constraint, build an index); time grows with the table. */
    SCAN,
    /** Writes a new copy of the table and its indexes; time and disk grow with the table. */
    REWRITE
}
