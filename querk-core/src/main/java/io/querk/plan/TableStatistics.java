package io.querk.plan;

import io.querk.Api;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a plan gets live facts about tables. The engine answers from the database it is about
 * to migrate; tests and tools can pass facts of their own.
 *
 * <p>Tables are asked for by their catalog name: unquoted parts folded to lower case, quotes
 * removed, schema first when the migration names one ({@code "shipments"}, {@code "app.accounts"},
 * {@code "Order Items"}).
 *
 * <pre>{@code
 * MigrationPlan plan = Planner.forServer(16)
 *         .withStatistics(TableStatistics.of(List.of(shipmentsFacts)))
 *         .plan(migration);
 * }</pre>
 */
@FunctionalInterface
@Api(status = Api.Status.EXPERIMENTAL, since = "0.1")
public interface TableStatistics {

    /**
     * @param table the table's catalog name
     * @return its facts, or empty if unknown (the plan then assumes the costly outcome)
     */
    Optional<TableFacts> of(String table);

    /**
     * @return true if this source answers from a live database: the plan then compiles each step's
     *         expressions against its table ({@link #compileError}) and checks the facts the step
     *         needs ({@link #ask}); false (the default) for facts known offline
     */
    default boolean live() {
        return false;
    }

    /**
     * Compiles a statement that changes nothing (an {@code EXPLAIN}) against the live database.
     *
     * @param explain the statement
     * @return the server's error, with its SQLSTATE, if it does not compile; empty if it does or
     *         if this source cannot tell
     */
    default Optional<String> compileError(String explain) {
        return Optional.empty();
    }

    /**
     * @param booleanQuery a catalog query returning one boolean, its values written in
     * @return its answer, or empty if this source cannot tell
     */
    default Optional<Boolean> ask(String booleanQuery) {
        return Optional.empty();
    }

    /**
     * @param query a catalog query, its values written in
     * @return its rows, each column as text (null for SQL NULL); empty if this source cannot tell.
     *         The plan lists what depends on a column this way, to carry it over a rename
     */
    default Optional<List<List<String>>> rows(String query) {
        return Optional.empty();
    }

    /** @return statistics that know nothing: the plan of a migration written offline */
    static TableStatistics none() {
        return table -> Optional.empty();
    }

    /**
     * @param facts facts by {@link TableFacts#table()}; a table in {@code public} is found both as
     *              {@code "t"} and as {@code "public.t"}
     * @return statistics answering from a fixed set of facts
     */
    static TableStatistics of(Collection<TableFacts> facts) {
        Map<String, TableFacts> byName = new HashMap<>();
        for (TableFacts f : facts) {
            Objects.requireNonNull(f, "facts");
            byName.put(f.table(), f);
            if (f.table().startsWith("public.")) {
                byName.putIfAbsent(f.table().substring("public.".length()), f);
            } else if (!f.table().contains(".")) {
                byName.putIfAbsent("public." + f.table(), f);
            }
        }
        Map<String, TableFacts> frozen = Map.copyOf(byName);
        return table -> Optional.ofNullable(frozen.get(table));
    }
}
