package io.querk.plan;

import io.querk.Api;
import io.querk.migration.SafetyOverride;
import io.querk.migration.Step;
import io.querk.migration.StepSource;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What one step will do: its actions in order, what it adds to every write, how to check it
 * took effect, and what could go wrong.
 *
 * @param number            its position in the phase, from 1
 * @param step              the step itself (kind, description, table)
 * @param actions           the units the engine runs, in order; for a backfill, one action
 *                          standing for its batches
 * @param writePathImpact   what every later INSERT, UPDATE or DELETE on the table pays for it
 *                          (an index to maintain, a trigger to run, a constraint to check)
 * @param verificationQuery a query returning one boolean, true once the step took effect; empty
 *                          where no catalog fact proves it (raw SQL, volatile backfills)
 * @param hazards           what could go wrong, worst first
 * @param override          the step's accepted hazards and why, for raw SQL
 * @param source            for a step of a SQL file: the file, the line, the SQL as written and
 *                          whether Querk runs its safe form instead; empty otherwise
 */
@Api(status = Api.Status.STABLE, since = "0.1")
public record PlannedStep(int number, Step step, List<PlannedAction> actions, List<String> writePathImpact,
                          Optional<String> verificationQuery, List<Hazard> hazards, Optional<SafetyOverride> override,
                          Optional<StepSource> source) {

    /**
     * Copies the lists and rejects nulls: a step does not change once planned.
     *
     * @param number            its position in the phase, from 1
     * @param step              the step itself
     * @param actions           the units the engine runs, in order
     * @param writePathImpact   what every later write on the table pays for it
     * @param verificationQuery a query true once the step took effect, or empty
     * @param hazards           what could go wrong, worst first
     * @param override          the step's accepted hazards and why, or empty
     * @param source            where in a SQL file the step comes from, or empty
     */
    public PlannedStep {
        Objects.requireNonNull(step, "step");
        actions = List.copyOf(actions);
        writePathImpact = List.copyOf(writePathImpact);
        Objects.requireNonNull(verificationQuery, "verificationQuery");
        hazards = List.copyOf(hazards);
        Objects.requireNonNull(override, "override");
        Objects.requireNonNull(source, "source");
    }

    /**
     * A step not read from a SQL file.
     *
     * @param number            its position in the phase, from 1
     * @param step              the step itself
     * @param actions           the units the engine runs, in order
     * @param writePathImpact   what every later write on the table pays for it
     * @param verificationQuery a query true once the step took effect, or empty
     * @param hazards           what could go wrong, worst first
     * @param override          the step's accepted hazards and why, or empty
     */
    public PlannedStep(int number, Step step, List<PlannedAction> actions, List<String> writePathImpact,
                       Optional<String> verificationQuery, List<Hazard> hazards, Optional<SafetyOverride> override) {
        this(number, step, actions, writePathImpact, verificationQuery, hazards, override, Optional.empty());
    }

    /**
     * @param source where in a SQL file the step comes from
     * @return this plan of the step, with its source
     */
    public PlannedStep withSource(Optional<StepSource> source) {
        return new PlannedStep(number, step, actions, writePathImpact, verificationQuery, hazards, override, source);
    }

    /** @return the DANGER hazards no override accepts: any makes the step refused */
    public List<Hazard> refusals() {
        return hazards.stream().filter(h -> h.severity() == Severity.DANGER
                && override.map(o -> !o.covers(h)).orElse(true)).toList();
    }

    /** @return true if the engine will not run this step as written */
    public boolean refused() {
        return !refusals().isEmpty();
    }

    /** @return the DANGER hazards the step's override accepts */
    public List<Hazard> accepted() {
        return hazards.stream().filter(h -> h.severity() == Severity.DANGER
                && override.map(o -> o.covers(h)).orElse(false)).toList();
    }

    /** @return the strongest lock any of its actions takes, if any */
    public Optional<PlannedLock> strongestLock() {
        return actions.stream().flatMap(a -> a.strongestLock().stream())
                .max((a, b) -> a.mode().compareTo(b.mode()));
    }

    /** @return the heaviest effect of its actions */
    public TableEffect effect() {
        return actions.stream().map(PlannedAction::effect).max(Enum::compareTo).orElse(TableEffect.NONE);
    }
}
