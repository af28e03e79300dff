package io.querk.internal.migration;

import io.querk.internal.step.AddColumn;
import io.querk.internal.step.Assignment;
import io.querk.internal.step.Backfill;
import io.querk.internal.step.BackfillTuning;
import io.querk.internal.step.CarryDependents;
import io.querk.internal.step.ChangeColumnType;
import io.querk.internal.step.FinishSync;
import io.querk.internal.step.RenameColumn;
import io.querk.internal.step.SetNotNull;
import io.querk.internal.step.StepDefinition;
import io.querk.internal.step.SyncKind;
import io.querk.internal.render.SyncNames;
import io.querk.migration.Phase;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Adds the steps that expand steps imply in later phases, so the user declares a rename once
 * and gets its backfill and its contract too. Implied backfills run before declared ones;
 * implied contract steps run first in contract, because a declared drop of a source column
 * must not come while a sync trigger still reads it.
 */
public final class ImpliedSteps {

    private ImpliedSteps() {
    }

    /** @return every phase's steps, implied ones included */
    public static Map<Phase, List<StepDefinition>> addTo(Map<Phase, List<StepDefinition>> declared) {
        List<StepDefinition> backfills = new ArrayList<>();
        List<StepDefinition> contract = new ArrayList<>();
        List<StepDefinition> expand = declared.get(Phase.EXPAND);
        for (int i = 0; i < expand.size(); i++) {
            StepDefinition s = expand.get(i);
            String origin = "expand step " + (i + 1) + ": " + s.description();
            if (s instanceof AddColumn a && a.derivedFrom() != null) {
                backfills.add(new Backfill(a.target(), List.of(new Assignment(a.column().name(), a.derivedFrom())),
                        a.column().name().sql() + " IS DISTINCT FROM (" + a.derivedFrom() + ")",
                        BackfillTuning.DEFAULTS, origin));
                contract.add(new FinishSync(a.target(), SyncKind.DERIVED, a.column().name(), null, null));
            } else if (s instanceof AddColumn a && a.needsBackfill()) {
                backfills.add(new Backfill(a.target(), List.of(new Assignment(a.column().name(), a.column().defaultSql())),
                        a.column().name().sql() + " IS NULL", BackfillTuning.DEFAULTS, origin));
                if (a.column().notNull()) {
                    contract.add(new SetNotNull(a.target(), a.column().name(), true));
                }
            } else if (s instanceof RenameColumn r) {
                backfills.add(new Backfill(r.target(), List.of(new Assignment(r.to(), r.from().sql())),
                        r.to().sql() + " IS DISTINCT FROM " + r.from().sql(), BackfillTuning.DEFAULTS, origin));
                // Indexes and constraints come once the column is filled: no index written row by row twice.
                backfills.add(new CarryDependents(r.target(), r.from(), r.to(), null));
                contract.add(new FinishSync(r.target(), SyncKind.RENAME, r.to(), r.from(), null));
            } else if (s instanceof ChangeColumnType c) {
                var shadow = SyncNames.shadowColumn(c.column());
                backfills.add(new Backfill(c.target(), List.of(new Assignment(shadow, c.conversion())),
                        shadow.sql() + " IS DISTINCT FROM (" + c.conversion() + ")", BackfillTuning.DEFAULTS, origin));
                backfills.add(new CarryDependents(c.target(), c.column(), shadow, c.newType()));
                contract.add(new FinishSync(c.target(), SyncKind.RETYPE, c.column(), null, c.newType()));
            }
        }
        backfills.addAll(declared.get(Phase.BACKFILL));
        contract.addAll(declared.get(Phase.CONTRACT));

        Map<Phase, List<StepDefinition>> all = new EnumMap<>(Phase.class);
        all.put(Phase.EXPAND, expand);
        all.put(Phase.BACKFILL, List.copyOf(backfills));
        all.put(Phase.CONTRACT, List.copyOf(contract));
        return all;
    }
}
