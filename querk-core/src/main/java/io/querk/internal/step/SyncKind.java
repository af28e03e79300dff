package io.querk.internal.step;

/** Why a column is kept in sync by a trigger between expand and contract. */
public enum SyncKind {
    /** A new column computed from other columns of the row. */
    DERIVED,
    /** A column renamed: old and new names are kept equal in both directions. */
    RENAME,
    /** A column retyped: a shadow column of the new type follows the old one. */
    RETYPE
}
