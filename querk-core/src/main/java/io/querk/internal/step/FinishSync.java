package io.querk.internal.step;

import io.querk.migration.StepKind;
import io.querk.sql.Identifier;
import io.querk.sql.QualifiedName;


/**
 * The contract half of a derived column, rename or type change, implied by its expand step:
 * removes the sync trigger and, for a rename or type change, swaps the new column in and
 * drops the old one.
 *
 * @param column  the column that survives (the derived column, the new name, the retyped column)
 * @param source  the rename's old column; null otherwise
 * @param newType the retyped column's type; null otherwise
 */
public record FinishSync(QualifiedName target, SyncKind sync, Identifier column, Identifier source,
                         String newType) implements StepDefinition {

    @Override
    public StepKind kind() {
        return StepKind.FINISH_SYNC;
    }

    @Override
    public String description() {
        return switch (sync) {
            case DERIVED -> "stop syncing derived column " + target.sql() + "." + column.sql();
            case RENAME -> "finish rename " + target.sql() + "." + source.sql() + " to " + column.sql()
                    + " (drop the old column)";
            case RETYPE -> "finish type change of " + target.sql() + "." + column.sql() + " to " + newType
                    + " (swap in the new column)";
        };
    }

    @Override
    public boolean implied() {
        return true;
    }

    @Override
    public boolean destructive() {
        return sync != SyncKind.DERIVED;
    }

    @Override
    public String canonical() {
        return Canonical.of("finishSync").with("table", target).with("sync", sync).with("column", column)
                .with("source", source).with("type", newType).toString();
    }
}
