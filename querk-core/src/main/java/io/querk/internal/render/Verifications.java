package io.querk.internal.render;

import io.querk.internal.step.AddCheck;
import io.querk.internal.step.AddColumn;
import io.querk.internal.step.AddForeignKey;
import io.querk.internal.step.AddUnique;
import io.querk.internal.step.ChangeColumnType;
import io.querk.internal.step.CreateIndex;
import io.querk.internal.step.CreateTable;
import io.querk.internal.step.DropColumn;
import io.querk.internal.step.DropConstraint;
import io.querk.internal.step.DropIndex;
import io.querk.internal.step.DropTable;
import io.querk.internal.step.FinishSync;
import io.querk.internal.step.RenameColumn;
import io.querk.internal.step.SetNotNull;
import io.querk.internal.step.StepDefinition;
import io.querk.sql.Identifier;
import io.querk.sql.QualifiedName;

import java.util.Optional;

/**
 * The catalog fact that proves a typed step took effect, for the plan's verification query:
 * the index valid, the constraint validated, the column NOT NULL, the trigger in place.
 * Unlike the probes that make actions resumable, these state the step's end result.
 */
public final class Verifications {

    private Verifications() {
    }

    /** @return the proof, or empty for steps no catalog fact proves (raw SQL, backfills) */
    public static Optional<Probe> of(StepDefinition step) {
        return Optional.ofNullable(probe(step));
    }

    private static Probe probe(StepDefinition step) {
        if (step instanceof CreateTable s) {
            return CatalogProbes.tableExists(s.target());
        } else if (step instanceof AddColumn s) {
            Probe column = CatalogProbes.columnExists(s.target(), s.column().name());
            return s.derivedFrom() == null ? column
                    : column.and(CatalogProbes.triggerExists(s.target(), SyncNames.trigger(s.column().name())));
        } else if (step instanceof CreateIndex s) {
            return CatalogProbes.validIndexExists(s.target(), s.name());
        } else if (step instanceof DropIndex s) {
            return CatalogProbes.relationMissing(s.index());
        } else if (step instanceof AddCheck s) {
            return CatalogProbes.constraintValidated(s.target(), s.name());
        } else if (step instanceof AddForeignKey s) {
            return CatalogProbes.constraintValidated(s.target(), s.name());
        } else if (step instanceof AddUnique s) {
            return CatalogProbes.constraintExists(s.target(), s.name());
        } else if (step instanceof SetNotNull s) {
            return CatalogProbes.columnNotNull(s.target(), s.column());
        } else if (step instanceof DropColumn s) {
            return CatalogProbes.columnMissing(s.target(), s.column());
        } else if (step instanceof DropTable s) {
            return CatalogProbes.relationMissing(s.target());
        } else if (step instanceof DropConstraint s) {
            return CatalogProbes.constraintMissing(s.target(), s.name());
        } else if (step instanceof RenameColumn s) {
            return synced(s.target(), s.to());
        } else if (step instanceof ChangeColumnType s) {
            return synced(s.target(), SyncNames.shadowColumn(s.column()));
        } else if (step instanceof FinishSync s) {
            return finished(s);
        }
        return null;
    }

    private static Probe synced(QualifiedName t, Identifier column) {
        return CatalogProbes.columnExists(t, column).and(CatalogProbes.triggerExists(t, SyncNames.trigger(column)));
    }

    private static Probe finished(FinishSync s) {
        QualifiedName t = s.target();
        return switch (s.sync()) {
            case DERIVED -> CatalogProbes.triggerMissing(t, SyncNames.trigger(s.column()))
                    .and(CatalogProbes.functionMissing(SyncNames.function(t, s.column())));
            case RENAME -> CatalogProbes.columnAndTriggerGone(t, s.source(), SyncNames.trigger(s.column()))
                    .and(CatalogProbes.columnExists(t, s.column()));
            case RETYPE -> {
                Identifier shadow = SyncNames.shadowColumn(s.column());
                yield CatalogProbes.columnMissing(t, shadow).and(CatalogProbes.columnExists(t, s.column()))
                        .and(CatalogProbes.functionMissing(SyncNames.function(t, shadow)));
            }
        };
    }
}
