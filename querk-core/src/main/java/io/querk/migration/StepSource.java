package io.querk.migration;

import io.querk.Api;

import java.util.Objects;

/**
 * Where a step of a SQL-file migration comes from: the file, the line its first statement starts
 * on, the SQL as written there, and whether Querk runs a safe form of it instead (a plain
 * {@code CREATE INDEX} runs {@code CONCURRENTLY}, say). Plans, refusals and the history name it,
 * so that a reviewer goes straight to the line.
 *
 * @param file      the file, relative to its location, e.g. {@code V21__orders_created_index.sql}
 * @param line      the line the step's first statement starts on, from 1
 * @param sql       the statement(s) as written in the file
 * @param rewritten true if Querk runs the typed step of the same meaning instead of {@code sql}
 *                  as written (see {@code docs/sql-files.md})
 */
@Api(status = Api.Status.EXPERIMENTAL, since = "0.1")
public record StepSource(String file, int line, String sql, boolean rewritten) {

    /**
     * Rejects nulls and lines before the first.
     *
     * @param file      the file, relative to its location
     * @param line      the line, from 1
     * @param sql       the SQL as written
     * @param rewritten true if a safe form runs instead
     */
    public StepSource {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(sql, "sql");
        if (line < 1) {
            throw new IllegalArgumentException("line must be 1 or more, got " + line);
        }
    }

    /** @return {@code file:line}, as editors and build logs link it */
    public String location() {
        return file + ":" + line;
    }
}
