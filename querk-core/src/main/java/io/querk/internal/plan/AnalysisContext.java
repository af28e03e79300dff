package io.querk.internal.plan;

import io.querk.migration.Phase;
import io.querk.plan.TableFacts;

import java.util.Optional;
import java.util.function.Function;

/**
 * What the analysis of one statement may know besides the statement itself.
 *
 * @param serverMajor the PostgreSQL major version the statement will run on
 * @param phase       where the raw step sits
 * @param facts       what a live database says about a table (by catalog name), or empty offline
 * @param script      what the statements before this one in the same script created
 */
record AnalysisContext(int serverMajor, Phase phase, Function<String, Optional<TableFacts>> facts,
                       ScriptKnowledge script) {

    /** @return the live facts about {@code table}, or empty when offline or unknown */
    Optional<TableFacts> factsFor(SqlName table) {
        if (table == null || facts == null) {
            return Optional.empty();
        }
        Optional<TableFacts> found = facts.apply(table.normalized());
        return found == null ? Optional.empty() : found;
    }

    /** @return true if {@code table} is created earlier in the same script, so no one else uses it yet */
    boolean isNew(SqlName table) {
        return table != null && script.isCreated(table);
    }

    boolean inExpand() {
        return phase == Phase.EXPAND;
    }
}
