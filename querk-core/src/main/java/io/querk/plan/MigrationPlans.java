package io.querk.plan;

import io.querk.Api;
import io.querk.internal.plan.PlanMarkdown;
import io.querk.migration.Migration;
import io.querk.migration.Phase;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The plans of the same migrations for several PostgreSQL versions, as a build check or a
 * pull-request comment wants them: every phase of every migration, in order, planned offline as
 * one run on a fresh schema would apply them.
 *
 * <pre>{@code
 * MigrationPlans plans = MigrationPlans.of(migrations, List.of(14, 18));
 * Files.writeString(Path.of("target/querk/plan.md"), plans.toMarkdown());
 * plans.requireAccepted();   // fails the build on a refused step
 * }</pre>
 *
 * @param plans one per server version, in the order asked for
 */
@Api(status = Api.Status.EXPERIMENTAL, since = "0.1")
public record MigrationPlans(List<MigrationPlan> plans) {

    /**
     * Copies the list; a set of plans does not change once made.
     *
     * @param plans one per server version; at least one
     */
    public MigrationPlans {
        plans = List.copyOf(plans);
        if (plans.isEmpty()) {
            throw new IllegalArgumentException("MigrationPlans needs at least one plan");
        }
    }

    /**
     * Plans every phase of the migrations, in the order given, for each server version.
     *
     * @param migrations   the migrations, in run order (a list sorted by {@link Migration#ID_ORDER})
     * @param serverMajors the PostgreSQL major versions to plan for, e.g. {@code List.of(14, 18)}
     * @return the plans
     * @throws io.querk.UnsupportedServerException for a version Querk does not support
     */
    public static MigrationPlans of(List<Migration> migrations, List<Integer> serverMajors) {
        Objects.requireNonNull(migrations, "migrations");
        List<Planner.PhaseOf> phases = new ArrayList<>();
        for (Migration m : migrations) {
            for (Phase p : Phase.values()) {
                phases.add(new Planner.PhaseOf(m, p));
            }
        }
        List<MigrationPlan> out = new ArrayList<>();
        for (int v : new LinkedHashSet<>(serverMajors)) {
            out.add(Planner.forServer(v).plan(phases));
        }
        return new MigrationPlans(out);
    }

    /** @return true if a step is refused on any of the versions */
    public boolean refused() {
        return plans.stream().anyMatch(MigrationPlan::refused);
    }

    /**
     * @return every refused hazard once, in plan order, with the versions that refuse it in
     *         {@link UnsafeMigrationException.Refusal#where()} when not all of them do
     */
    public List<UnsafeMigrationException.Refusal> refusals() {
        Map<String, UnsafeMigrationException.Refusal> first = new LinkedHashMap<>();
        Map<String, Set<Integer>> on = new LinkedHashMap<>();
        for (MigrationPlan p : plans) {
            for (UnsafeMigrationException.Refusal r : p.refusals()) {
                String key = r.migrationId() + '\u0000' + r.where() + '\u0000' + r.hazard().code() + '\u0000'
                        + r.hazard().message();
                first.putIfAbsent(key, r);
                on.computeIfAbsent(key, k -> new LinkedHashSet<>()).add(p.serverMajor());
            }
        }
        List<UnsafeMigrationException.Refusal> out = new ArrayList<>();
        for (Map.Entry<String, UnsafeMigrationException.Refusal> e : first.entrySet()) {
            UnsafeMigrationException.Refusal r = e.getValue();
            Set<Integer> versions = on.get(e.getKey());
            String where = versions.size() == plans.size() ? r.where()
                    : r.where() + " on PostgreSQL " + String.join(", ", versions.stream().map(String::valueOf).toList());
            out.add(new UnsafeMigrationException.Refusal(r.migrationId(), where, r.hazard(), r.source()));
        }
        return out;
    }

    /**
     * @return these plans, if no step is refused on any version
     * @throws UnsafeMigrationException naming every refused step and hazard, with the fix and the override
     */
    public MigrationPlans requireAccepted() {
        List<UnsafeMigrationException.Refusal> r = refusals();
        if (!r.isEmpty()) {
            throw new UnsafeMigrationException(r);
        }
        return this;
    }

    /** @return each version's plan as text, one after the other */
    public String toText() {
        StringBuilder sb = new StringBuilder();
        for (MigrationPlan p : plans) {
            sb.append(sb.length() == 0 ? "" : "\n").append(p.toText());
        }
        return sb.toString();
    }

    /** @return a JSON array of the plans, each in the {@value MigrationPlan#JSON_FORMAT} format */
    public String toJson() {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < plans.size(); i++) {
            sb.append(i == 0 ? "\n" : ",\n").append(plans.get(i).toJson().indent(2).stripTrailing());
        }
        return sb.append("\n]").toString();
    }

    /**
     * @return one Markdown review of all versions for a pull-request comment; versions whose plans
     *         come out the same are shown once, under all of them
     */
    public String toMarkdown() {
        return PlanMarkdown.render(plans);
    }
}
