package io.querk.internal.plan;

import io.querk.internal.step.RawSql;
import io.querk.internal.step.StepDefinition;
import io.querk.migration.Phase;
import io.querk.plan.Hazard;
import io.querk.plan.PlannedStep;
import io.querk.plan.TableStatistics;
import io.querk.plan.UnsafeMigrationException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The part of the safety check that runs when a migration is built, with no database and no
 * server version: raw SQL hazards that hold whatever the server and the data (a CREATE INDEX
 * without CONCURRENTLY on an existing table is a hazard everywhere). Hazards that depend on the
 * version or the live table wait for the plan, which the engine makes before running anything.
 */
public final class BuildSafetyCheck {

    private BuildSafetyCheck() {
    }

    /**
     * @throws UnsafeMigrationException naming every raw step with such a hazard that its override
     *                                  does not accept
     */
    public static void check(String migrationId, Map<Phase, List<StepDefinition>> steps) {
        if (steps.values().stream().flatMap(List::stream).noneMatch(s -> s instanceof RawSql)) {
            return;
        }
        StepPlanner planner = new StepPlanner(RawSqlAnalyzer.NEWEST_KNOWN, TableStatistics.none());
        List<UnsafeMigrationException.Refusal> refusals = new ArrayList<>();
        for (Phase phase : Phase.values()) {
            List<StepDefinition> list = steps.get(phase);
            for (int i = 0; i < list.size(); i++) {
                PlannedStep planned = planner.plan(phase, i + 1, list.get(i));
                for (Hazard h : planned.refusals()) {
                    if (HazardCatalog.refusedAtBuild(h.code())) {
                        refusals.add(new UnsafeMigrationException.Refusal(migrationId, phase.label() + " step " + (i + 1)
                                + " (" + list.get(i).description() + ")", h));
                    }
                }
            }
        }
        if (!refusals.isEmpty()) {
            throw new UnsafeMigrationException(refusals);
        }
    }
}
