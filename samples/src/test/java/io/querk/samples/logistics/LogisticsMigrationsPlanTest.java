package io.querk.samples.logistics;

import io.querk.migration.Migration;
import io.querk.plan.MigrationPlan;
import io.querk.plan.PlannedAction;
import io.querk.plan.PlannedStep;
import io.querk.plan.Planner;
import io.querk.plan.TableEffect;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * A review a team can run on every commit, without a database: plan the migrations for each
 * server version it supports and fail if any step is refused or would scan or rewrite the table
 * while holding a lock that stops the application's writes.
 */
class LogisticsMigrationsPlanTest {

    @ParameterizedTest(name = "PostgreSQL {0}")
    @ValueSource(ints = {14, 15, 16, 17, 18})
    void noStepReadsOrRewritesTheTableWhileBlockingWrites(int serverMajor) {
        List<String> offending = new ArrayList<>();
        for (Migration migration : LogisticsMigrations.all()) {
            MigrationPlan plan = Planner.forServer(serverMajor).plan(migration);
            assertFalse(plan.refused(), () -> "refused on PostgreSQL " + serverMajor + ":\n" + plan.toText());
            for (PlannedStep step : plan.steps()) {
                for (PlannedAction action : step.actions()) {
                    boolean blocksWrites = action.strongestLock().map(l -> l.mode().blocksWrites()).orElse(false);
                    if (blocksWrites && action.effect() != TableEffect.NONE) {
                        offending.add(migration.id() + ": " + step.step().description() + ": " + action.purpose()
                                + " (" + action.effect() + " under " + action.strongestLock().orElseThrow().mode() + ")");
                    }
                }
            }
        }
        assertEquals(List.of(), offending, "steps that would stall the application's writes for a whole scan");
    }
}
