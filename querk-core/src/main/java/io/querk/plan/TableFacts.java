package io.querk.plan;

import io.querk.Api;
import java.util.Map;
import java.util.Set;

/**
 * What a live database says about a table, so that a plan can say "this scans about 52 M rows"
 * and decide rules that depend on facts (a validated IS NOT NULL check spares SET NOT NULL its
 * scan; varchar widening needs no rewrite).
 *
 * @param table               the table, as SQL names it
 * @param estimatedRows       the planner's row estimate
 * @param sizeBytes           table plus indexes and TOAST
 * @param indexes             number of indexes
 * @param triggers            number of user triggers
 * @param columnTypes         column name to type, as {@code format_type} writes it
 * @param provenNotNull       columns with a validated {@code CHECK (column IS NOT NULL)}
 */
@Api(status = Api.Status.EXPERIMENTAL, since = "0.1")
public record TableFacts(String table, long estimatedRows, long sizeBytes, int indexes, int triggers,
                         Map<String, String> columnTypes, Set<String> provenNotNull) {
    /**
     * Copies the collections: facts are a snapshot, not a view of the catalog.
     *
     * @param table         the table, as SQL names it
     * @param estimatedRows the planner's row estimate
     * @param sizeBytes     table plus indexes and TOAST
     * @param indexes       number of indexes
     * @param triggers      number of user triggers
     * @param columnTypes   column name to type
     * @param provenNotNull columns with a validated {@code CHECK (column IS NOT NULL)}
     */
    public TableFacts {
        columnTypes = Map.copyOf(columnTypes);
        provenNotNull = Set.copyOf(provenNotNull);
    }
}
