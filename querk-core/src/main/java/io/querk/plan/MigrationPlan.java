package io.querk.plan;

import io.querk.Api;
import io.querk.internal.plan.PlanJson;
import io.querk.internal.plan.PlanMarkdown;
import io.querk.internal.plan.PlanText;

import java.util.ArrayList;
import java.util.List;

/**
 * What a run will do, step by step, before it does it. Made by the {@link Planner}, or by
 * {@code Querk.plan()} for the pending work of a live database.
 *
 * <pre>{@code
 * MigrationPlan plan = querk.plan();
 * log.info("{}", plan.toText());
 * Files.writeString(Path.of("plan.json"), plan.toJson());
 * }</pre>
 *
 * @param serverMajor    the PostgreSQL major version planned for
 * @param withStatistics true if live table statistics informed the plan
 * @param phases         the phases, in run order
 */
@Api(status = Api.Status.STABLE, since = "0.1")
public record MigrationPlan(int serverMajor, boolean withStatistics, List<PlannedPhase> phases) {

    /** The {@code format} field of {@link #toJson()}; changes only when the shape does. */
    public static final String JSON_FORMAT = "querk-plan/1";

    /**
     * Copies {@code phases}: a plan does not change once made.
     *
     * @param serverMajor    the PostgreSQL major version planned for
     * @param withStatistics true if live table statistics informed the plan
     * @param phases         the phases, in run order
     */
    public MigrationPlan {
        phases = List.copyOf(phases);
    }

    /** @return true if there is nothing to do */
    public boolean isEmpty() {
        return phases.isEmpty();
    }

    /** @return every step, in run order */
    public List<PlannedStep> steps() {
        return phases.stream().flatMap(p -> p.steps().stream()).toList();
    }

    /** @return every refused hazard, in run order */
    public List<UnsafeMigrationException.Refusal> refusals() {
        List<UnsafeMigrationException.Refusal> out = new ArrayList<>();
        for (PlannedPhase p : phases) {
            for (PlannedStep s : p.steps()) {
                for (Hazard h : s.refusals()) {
                    out.add(new UnsafeMigrationException.Refusal(p.migrationId(),
                            p.phase().label() + " step " + s.number() + " (" + s.step().description() + ")", h,
                            s.source()));
                }
            }
        }
        return out;
    }

    /** @return true if some step would be refused */
    public boolean refused() {
        return steps().stream().anyMatch(PlannedStep::refused);
    }

    /**
     * @return this plan, if no step is refused
     * @throws UnsafeMigrationException naming every refused step and hazard
     */
    public MigrationPlan requireAccepted() {
        List<UnsafeMigrationException.Refusal> r = refusals();
        if (!r.isEmpty()) {
            throw new UnsafeMigrationException(r);
        }
        return this;
    }

    /**
     * @return the plan for a person: a summary and the hazards first, then a table of actions per
     *         step with its locks, what they block and its effect, the write-path cost and the
     *         verification query
     */
    public String toText() {
        return PlanText.render(this);
    }

    /**
     * @return the plan for tools, in the stable shape documented in {@code docs/planner.md}
     *         ({@code "format": "querk-plan/1"}); fields are only ever added within a format version
     */
    public String toJson() {
        return PlanJson.render(this);
    }

    /**
     * @return the plan as Markdown for a pull-request comment: the verdict and the refused steps
     *         first (with the fix and the override marker for a SQL file), then per step its
     *         statements, locks and what they block, scan or rewrite, write-path impact and the
     *         verification query; rewritten SQL-file statements show what they became
     */
    public String toMarkdown() {
        return PlanMarkdown.render(List.of(this));
    }
}
