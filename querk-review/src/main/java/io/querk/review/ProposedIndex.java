package io.querk.review;

import io.querk.Api;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One index of a proposal, with the statement Querk will run to build it.
 *
 * @param name        the index's name: free in the schema at review time
 * @param table       its table, as SQL names it
 * @param method      btree or gin
 * @param keys        its keys, in order
 * @param include     INCLUDE columns
 * @param predicate   a partial index's predicate
 * @param extension   an extension its operator class needs (pg_trgm) that the database lacks: the migration creates it
 * @param definition  the statement Querk runs, from its planner: {@code CREATE INDEX CONCURRENTLY ...}
 * @param writeImpact what it costs the table's writes, and its build
 */
@Api(status = Api.Status.EXPERIMENTAL, since = "0.1")
public record ProposedIndex(String name, String table, String method, List<IndexKey> keys, List<String> include,
                            Optional<String> predicate, Optional<String> extension, String definition,
                            WriteImpact writeImpact) {

    /**
     * Copies the lists and rejects nulls.
     *
     * @param name        the name
     * @param table       the table
     * @param method      the method
     * @param keys        the keys
     * @param include     INCLUDE columns
     * @param predicate   the predicate, or empty
     * @param extension   the extension needed, or empty
     * @param definition  the CREATE INDEX statement
     * @param writeImpact the write-path impact
     */
    public ProposedIndex {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(table, "table");
        keys = List.copyOf(keys);
        include = List.copyOf(include);
        Objects.requireNonNull(predicate, "predicate");
        Objects.requireNonNull(extension, "extension");
        Objects.requireNonNull(definition, "definition");
        Objects.requireNonNull(writeImpact, "writeImpact");
    }
}
