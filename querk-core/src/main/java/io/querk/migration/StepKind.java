package io.querk.migration;

import io.querk.Api;

/** The kinds of step Querk knows how to render safely. */
@Api(status = Api.Status.STABLE, since = "0.1")
public enum StepKind {
    /** {@code CREATE TABLE} of a new table. */
    CREATE_TABLE,
    /** {@code ADD COLUMN}, nullable or with a default; optionally derived and kept in sync. */
    ADD_COLUMN,
    /** {@code CREATE [UNIQUE] INDEX CONCURRENTLY}. */
    CREATE_INDEX,
    /** {@code DROP INDEX CONCURRENTLY}. */
    DROP_INDEX,
    /** A check constraint: {@code NOT VALID}, then {@code VALIDATE}. */
    ADD_CHECK,
    /** A foreign key: {@code NOT VALID}, then {@code VALIDATE}. */
    ADD_FOREIGN_KEY,
    /** A unique constraint over a concurrently built unique index. */
    ADD_UNIQUE,
    /** A primary key over a concurrently built unique index and NOT NULL columns. */
    ADD_PRIMARY_KEY,
    /** {@code SET NOT NULL} through a validated check constraint. */
    SET_NOT_NULL,
    /** {@code DROP COLUMN}. */
    DROP_COLUMN,
    /** {@code DROP TABLE}. */
    DROP_TABLE,
    /** {@code DROP CONSTRAINT}. */
    DROP_CONSTRAINT,
    /** A column renamed through a new column kept in sync by a trigger. */
    RENAME_COLUMN,
    /** A column retyped through a new column kept in sync by a trigger. */
    CHANGE_COLUMN_TYPE,
    /** Batched UPDATE over existing rows. */
    BACKFILL,
    /** The contract half of a rename, type change or derived column: swap in, drop the old. */
    FINISH_SYNC,
    /**
     * The backfill-phase half of a rename or type change: the old column's indexes and
     * constraints built again over the new column without blocking, once it is filled.
     */
    CARRY_DEPENDENTS,
    /** SQL as written by the user. */
    RAW_SQL
}
