package io.querk.plan;

import io.querk.Api;
import io.querk.UnsupportedServerException;
import io.querk.internal.plan.StepPlanner;
import io.querk.internal.step.StepDefinition;
import io.querk.migration.Migration;
import io.querk.migration.Phase;
import io.querk.migration.Step;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The safety planner: says, before anything runs, what each step of a migration will do to a
 * live database of a given PostgreSQL version: the statements, the locks and what they block,
 * scans and rewrites, the cost added to every write, a query that proves the step took effect,
 * and the hazards, with the refused ones first.
 *
 * <p>Pure: it reads no database. Given {@link TableStatistics} (the engine passes live ones) it
 * also says how big each scan is and decides the rules that depend on the table (a validated
 * {@code CHECK (c IS NOT NULL)} spares SET NOT NULL its scan; varchar widening needs no rewrite).
 *
 * <pre>{@code
 * MigrationPlan plan = Planner.forServer(16).plan(migration);
 * System.out.println(plan.toText());
 * plan.requireAccepted();   // throws UnsafeMigrationException if a step is refused
 * }</pre>
 *
 * <p>Immutable and thread-safe; {@link #withStatistics(TableStatistics)} returns a new planner.
 */
@Api(status = Api.Status.STABLE, since = "0.1")
public final class Planner {

    /** The oldest PostgreSQL major version Querk supports. */
    public static final int OLDEST_SUPPORTED = 14;
    /** The newest PostgreSQL major version whose behaviour Querk knows; newer ones are planned as this one. */
    public static final int NEWEST_KNOWN = 18;

    private final int serverMajor;
    private final TableStatistics statistics;
    private final boolean withStatistics;

    private Planner(int serverMajor, TableStatistics statistics, boolean withStatistics) {
        this.serverMajor = serverMajor;
        this.statistics = statistics;
        this.withStatistics = withStatistics;
    }

    /**
     * @param serverMajor the PostgreSQL major version the migration will run on, e.g. 16
     * @return a planner without table statistics
     * @throws UnsupportedServerException for a version older than {@value #OLDEST_SUPPORTED}
     */
    public static Planner forServer(int serverMajor) {
        if (serverMajor < OLDEST_SUPPORTED) {
            throw new UnsupportedServerException(serverMajor, OLDEST_SUPPORTED);
        }
        return new Planner(serverMajor, TableStatistics.none(), false);
    }

    /**
     * @param statistics the source of table facts, typically a live database
     * @return a planner that asks {@code statistics} about each table a step scans or changes
     */
    public Planner withStatistics(TableStatistics statistics) {
        return new Planner(serverMajor, Objects.requireNonNull(statistics, "statistics"), true);
    }

    /**
     * @param migration the migration to plan, as if none of it had run yet
     * @return the plan of every phase of {@code migration}
     */
    public MigrationPlan plan(Migration migration) {
        Objects.requireNonNull(migration, "migration");
        List<PhaseOf> phases = new ArrayList<>();
        for (Phase p : Phase.values()) {
            phases.add(new PhaseOf(migration, p));
        }
        return plan(phases);
    }

    /**
     * Plans phases in the order given, as one run would apply them: a table an earlier phase
     * creates counts as new (unused by the application) in the later ones.
     *
     * @param phases the phases, in run order; empty phases are left out of the plan
     * @return the plan
     */
    public MigrationPlan plan(List<PhaseOf> phases) {
        StepPlanner steps = new StepPlanner(serverMajor, statistics);
        List<PlannedPhase> out = new ArrayList<>();
        for (PhaseOf p : phases) {
            List<Step> list = p.migration().steps(p.phase());
            if (list.isEmpty()) {
                continue;
            }
            List<PlannedStep> planned = new ArrayList<>();
            for (int i = 0; i < list.size(); i++) {
                planned.add(steps.plan(p.phase(), i + 1, (StepDefinition) list.get(i))
                        .withSource(p.migration().source(list.get(i))));
            }
            out.add(new PlannedPhase(p.migration().id(), p.phase(), planned));
        }
        return new MigrationPlan(serverMajor, withStatistics, out);
    }

    /**
     * One phase of one migration, to plan.
     *
     * @param migration the migration
     * @param phase     the phase
     */
    public record PhaseOf(Migration migration, Phase phase) {
        /**
         * Rejects nulls.
         *
         * @param migration the migration
         * @param phase     the phase
         */
        public PhaseOf {
            Objects.requireNonNull(migration, "migration");
            Objects.requireNonNull(phase, "phase");
        }
    }
}
