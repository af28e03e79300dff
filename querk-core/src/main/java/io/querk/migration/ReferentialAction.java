package io.querk.migration;

import io.querk.Api;

/** What a foreign key does when the referenced row is deleted or its key updated. */
@Api(status = Api.Status.STABLE, since = "0.1")
public enum ReferentialAction {
    /** Fail at the end of the statement (PostgreSQL's default). */
    NO_ACTION("NO ACTION"),
    /** Fail at once. */
    RESTRICT("RESTRICT"),
    /** Delete or update the referencing rows too. */
    CASCADE("CASCADE"),
    /** Set the referencing columns to NULL. */
    SET_NULL("SET NULL"),
    /** Set the referencing columns to their defaults. */
    SET_DEFAULT("SET DEFAULT");

    private final String sql;

    ReferentialAction(String sql) {
        this.sql = sql;
    }

    /** @return the action as written in SQL */
    public String sql() {
        return sql;
    }
}
