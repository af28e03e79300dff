package io.querk.internal.step;

import io.querk.migration.StepKind;
import io.querk.sql.QualifiedName;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A batched UPDATE over existing rows, walked by key.
 *
 * @param where   an extra predicate rows must satisfy, or null
 * @param origin  for an implied backfill, the expand step that implies it; null otherwise
 */
public record Backfill(QualifiedName target, List<Assignment> assignments, String where, BackfillTuning tuning,
                       String origin) implements StepDefinition {
    public Backfill {
        assignments = List.copyOf(assignments);
    }

    @Override
    public StepKind kind() {
        return StepKind.BACKFILL;
    }

    @Override
    public String description() {
        return "backfill " + target.sql() + " set "
                + assignments.stream().map(Assignment::sql).collect(Collectors.joining(", "))
                + (where == null ? "" : " where " + where);
    }

    @Override
    public boolean implied() {
        return origin != null;
    }

    /** @return the same backfill with other pacing */
    public Backfill withTuning(BackfillTuning t) {
        return new Backfill(target, assignments, where, t, origin);
    }

    @Override
    public String canonical() {
        // Tuning is deliberately absent: see BackfillTuning.
        return Canonical.of("backfill").with("table", target).with("set", assignments).with("where", where)
                .toString();
    }
}
