package io.querk.internal.render;

import io.querk.internal.step.AddCheck;
import io.querk.internal.step.AddColumn;
import io.querk.internal.step.AddForeignKey;
import io.querk.internal.step.AddUnique;
import io.querk.internal.step.ChangeColumnType;
import io.querk.internal.step.CreateIndex;
import io.querk.internal.step.CreateTable;
import io.querk.internal.step.RawSql;
import io.querk.internal.step.RenameColumn;
import io.querk.internal.step.SetNotNull;
import io.querk.internal.step.StepDefinition;
import io.querk.plan.LockMode;
import io.querk.sql.Identifier;
import io.querk.sql.QualifiedName;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static io.querk.plan.LockMode.ACCESS_EXCLUSIVE;
import static io.querk.plan.LockMode.SHARE_ROW_EXCLUSIVE;
import static io.querk.plan.LockMode.SHARE_UPDATE_EXCLUSIVE;

/**
 * How each expand step is undone when a migration is aborted before its contract: the inverse of
 * what the step adds, in the safe form (an index dropped {@code CONCURRENTLY}, a trigger before the
 * column it fills), each action guarded by a probe that sees it already done, so an abort
 * interrupted anywhere is finished by running it again, and a step that never ran costs nothing.
 * Data written into what the step added goes with it; NOT NULL set on existing columns (by a
 * primary key, or setNotNull in expand) stays, since Querk cannot know it was not there before.
 */
public final class StepUndo {

    private StepUndo() {
    }

    /**
     * @return the actions that undo the step, in order; empty if it adds nothing to undo; empty
     *         optional if Querk cannot undo it (raw SQL without an {@code Undo})
     */
    public static Optional<List<Action>> of(StepDefinition step) {
        List<Action> out = new ArrayList<>();
        if (step instanceof CreateTable s) {
            out.add(transactional("drop table " + s.target().sql(), "DROP TABLE IF EXISTS " + s.target().sql(),
                    s.target(), ACCESS_EXCLUSIVE, CatalogProbes.relationMissing(s.target())));
        } else if (step instanceof AddColumn s) {
            if (s.derivedFrom() != null) {
                out.addAll(dropSync(s.target(), s.column().name()));
            }
            out.add(dropColumn(s.target(), s.column().name()));
        } else if (step instanceof RenameColumn s) {
            out.addAll(dropSync(s.target(), s.to()));
            out.add(dropColumn(s.target(), s.to()));
        } else if (step instanceof ChangeColumnType s) {
            Identifier shadow = SyncNames.shadowColumn(s.column());
            out.addAll(dropSync(s.target(), shadow));
            out.add(dropColumn(s.target(), shadow));
        } else if (step instanceof CreateIndex s) {
            out.add(dropIndex(s.target(), s.name()));
        } else if (step instanceof AddCheck s) {
            out.add(dropConstraint(s.target(), s.name(), List.of()));
        } else if (step instanceof AddForeignKey s) {
            out.add(dropConstraint(s.target(), s.name(),
                    List.of(new RelationLock(s.referencedTable().sql(), SHARE_ROW_EXCLUSIVE))));
        } else if (step instanceof AddUnique s) {
            out.add(dropConstraint(s.target(), s.name(), List.of()));
            out.add(dropIndex(s.target(), s.name())); // built, not yet attached as the constraint
            if (s.primaryKey()) {
                s.columns().forEach(c -> out.add(dropConstraint(s.target(), SyncNames.notNullCheck(s.target(), c),
                        List.of())));
            }
        } else if (step instanceof SetNotNull s) {
            out.add(dropConstraint(s.target(), SyncNames.notNullCheck(s.target(), s.column()), List.of()));
        } else if (step instanceof RawSql s) {
            if (s.undo() == null) {
                return Optional.empty();
            }
            // Raw undo runs as written, in one transaction unless a statement must run alone.
            List<String> group = new ArrayList<>();
            for (var st : s.undo()) {
                if (RawSql.mustRunAlone(st)) {
                    if (!group.isEmpty()) {
                        out.add(new Action("run the step's undo", group, true, List.of(), null, List.of()));
                        group = new ArrayList<>();
                    }
                    out.add(new Action("run the step's undo alone", List.of(st.text()), false, List.of(), null, List.of()));
                } else {
                    group.add(st.text());
                }
            }
            if (!group.isEmpty()) {
                out.add(new Action("run the step's undo", group, true, List.of(), null, List.of()));
            }
        }
        return Optional.of(out);
    }

    private static List<Action> dropSync(QualifiedName t, Identifier column) {
        Identifier trigger = SyncNames.trigger(column);
        QualifiedName function = SyncNames.function(t, column);
        return List.of(
                transactional("drop sync trigger " + trigger.sql(), "DROP TRIGGER IF EXISTS " + trigger.sql() + " ON "
                        + t.sql(), t, ACCESS_EXCLUSIVE, CatalogProbes.triggerMissing(t, trigger)),
                new Action("drop sync function", List.of("DROP FUNCTION IF EXISTS " + function.sql() + "()"), true,
                        List.of(), CatalogProbes.functionMissing(function), List.of()));
    }

    private static Action dropColumn(QualifiedName t, Identifier c) {
        return transactional("drop column " + c.sql(), "ALTER TABLE " + t.sql() + " DROP COLUMN IF EXISTS " + c.sql(),
                t, ACCESS_EXCLUSIVE, CatalogProbes.columnMissing(t, c));
    }

    private static Action dropIndex(QualifiedName t, Identifier index) {
        QualifiedName qualified = t.sibling(index);
        return new Action("drop index " + index.sql() + " concurrently",
                List.of("DROP INDEX CONCURRENTLY IF EXISTS " + qualified.sql()), false,
                List.of(new RelationLock(t.sql(), SHARE_UPDATE_EXCLUSIVE),
                        new RelationLock(qualified.sql(), SHARE_UPDATE_EXCLUSIVE)),
                CatalogProbes.relationMissing(qualified), List.of());
    }

    private static Action dropConstraint(QualifiedName t, Identifier name, List<RelationLock> extra) {
        List<RelationLock> locks = new ArrayList<>();
        locks.add(new RelationLock(t.sql(), ACCESS_EXCLUSIVE));
        locks.addAll(extra);
        return new Action("drop constraint " + name.sql(), List.of("ALTER TABLE " + t.sql()
                + " DROP CONSTRAINT IF EXISTS " + name.sql()), true, locks, CatalogProbes.constraintMissing(t, name),
                List.of());
    }

    private static Action transactional(String purpose, String sql, QualifiedName t, LockMode mode, Probe skipWhen) {
        return new Action(purpose, List.of(sql), true, List.of(new RelationLock(t.sql(), mode)), skipWhen, List.of());
    }
}
