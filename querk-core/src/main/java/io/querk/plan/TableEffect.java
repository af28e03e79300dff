package io.querk.plan;

/** What a statement does to a table's rows, beyond taking its lock. */
public enum TableEffect {
    /** Catalog only: instant whatever the table's size. */
    NONE,
    /** Reads every row (to validate a constraint, build an index); time grows with the table. */
    SCAN,
    /** Writes a new copy of the table and its indexes; time and disk grow with the table. */
    REWRITE
}
