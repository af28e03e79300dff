package io.querk.internal.migration;

import io.querk.internal.step.AddCheck;
import io.querk.internal.step.AddColumn;
import io.querk.internal.step.AddForeignKey;
import io.querk.internal.step.AddUnique;
import io.querk.internal.step.Assignment;
import io.querk.internal.step.Backfill;
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
import io.querk.internal.step.SyncKind;
import io.querk.internal.step.TableConstraint;
import io.querk.migration.MigrationDefinitionException;
import io.querk.migration.Phase;
import io.querk.sql.Identifier;
import io.querk.sql.QualifiedName;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Whole-migration checks that no single builder can make: emptiness, destructive steps in
 * expand, and steps that contradict each other (the same object made twice, made and dropped,
 * or used after being dropped).
 */
public final class MigrationValidator {

    private final String id;
    private final Map<String, String> created = new HashMap<>();
    private final Map<String, String> dropped = new HashMap<>();
    private final Map<String, String> columnChanges = new HashMap<>();
    private final Map<String, String> notNull = new HashMap<>();
    private final Map<String, Boolean> notNullImplied = new HashMap<>();
    private final Map<String, String> derived = new HashMap<>();
    private final Map<QualifiedName, String> droppedTables = new HashMap<>();

    private MigrationValidator(String id) {
        this.id = id;
    }

    /**
     * @param declared the steps as the user declared them
     * @param all      the same with implied steps added
     * @throws MigrationDefinitionException at the first problem found
     */
    public static void validate(String id, Map<Phase, List<StepDefinition>> declared,
                                Map<Phase, List<StepDefinition>> all) {
        if (declared.values().stream().allMatch(List::isEmpty)) {
            throw new MigrationDefinitionException("Migration '" + id + "' has no steps; add at least one to"
                    + " expand(...), backfill(...) or contract(...).", id);
        }
        List<StepDefinition> expand = declared.get(Phase.EXPAND);
        for (int i = 0; i < expand.size(); i++) {
            StepDefinition s = expand.get(i);
            if (s.destructive()) {
                throw new MigrationDefinitionException("Migration '" + id + "', expand step " + (i + 1) + " ("
                        + s.description() + ") removes or renames something the running application version"
                        + " may still use; move it to contract(...).", id);
            }
        }
        MigrationValidator v = new MigrationValidator(id);
        for (Phase p : Phase.values()) {
            List<StepDefinition> steps = all.get(p);
            for (int i = 0; i < steps.size(); i++) {
                v.check(p.label() + " step " + (i + 1) + " (" + steps.get(i).description() + ")", steps.get(i));
            }
        }
    }

    private void check(String where, StepDefinition s) {
        s.table().ifPresent(t -> {
            if (droppedTables.containsKey(t)) {
                fail(where, "uses table " + t.sql() + ", which " + droppedTables.get(t) + " drops");
            }
        });
        if (s instanceof CreateTable c) {
            make(where, "table " + c.target().sql(), "table:" + c.target().regclassText());
            for (TableConstraint tc : c.constraints()) {
                make(where, "constraint " + tc.name().sql(), constraintKey(c.target(), tc.name()));
            }
        } else if (s instanceof AddColumn a) {
            make(where, "column " + col(a.target(), a.column().name()), colKey(a.target(), a.column().name()));
            if (a.derivedFrom() != null) {
                derived.put(colKey(a.target(), a.column().name()), where);
            }
        } else if (s instanceof CreateIndex ci) {
            make(where, "index " + ci.name().sql(), indexKey(ci.target().sibling(ci.name())));
            ci.elements().forEach(e -> {
                if (e.column() != null) {
                    use(where, ci.target(), e.column());
                }
            });
        } else if (s instanceof DropIndex di) {
            drop(where, "index " + di.index().sql(), indexKey(di.index()));
        } else if (s instanceof AddCheck ac) {
            make(where, "constraint " + ac.name().sql(), constraintKey(ac.target(), ac.name()));
        } else if (s instanceof AddForeignKey fk) {
            make(where, "constraint " + fk.name().sql(), constraintKey(fk.target(), fk.name()));
            fk.columns().forEach(c -> use(where, fk.target(), c));
        } else if (s instanceof AddUnique u) {
            make(where, "constraint " + u.name().sql(), constraintKey(u.target(), u.name()));
            make(where, "index " + u.name().sql(), indexKey(u.target().sibling(u.name())));
            u.columns().forEach(c -> use(where, u.target(), c));
        } else if (s instanceof SetNotNull n) {
            use(where, n.target(), n.column());
            String key = colKey(n.target(), n.column());
            String prev = notNull.put(key, where);
            Boolean prevImplied = notNullImplied.put(key, n.implied());
            if (prev != null) {
                boolean eitherImplied = n.implied() || Boolean.TRUE.equals(prevImplied);
                fail(where, "sets column " + col(n.target(), n.column()) + " NOT NULL again after " + prev
                        + (eitherImplied ? " (a NOT NULL column with a volatile default gets this step by itself)" : ""));
            }
        } else if (s instanceof DropColumn d) {
            drop(where, "column " + col(d.target(), d.column()), colKey(d.target(), d.column()));
        } else if (s instanceof DropTable d) {
            drop(where, "table " + d.target().sql(), "table:" + d.target().regclassText());
            droppedTables.put(d.target(), where);
        } else if (s instanceof DropConstraint d) {
            drop(where, "constraint " + d.name().sql(), constraintKey(d.target(), d.name()));
        } else if (s instanceof RenameColumn r) {
            change(where, r.target(), r.from(), "renames");
            make(where, "column " + col(r.target(), r.to()), colKey(r.target(), r.to()));
        } else if (s instanceof ChangeColumnType c) {
            change(where, c.target(), c.column(), "changes the type of");
        } else if (s instanceof Backfill b) {
            for (Assignment a : b.assignments()) {
                use(where, b.target(), a.column());
                String d = derived.get(colKey(b.target(), a.column()));
                if (d != null && !b.implied()) {
                    fail(where, "sets derived column " + col(b.target(), a.column()) + ", which " + d
                            + " keeps in sync and backfills by itself; remove this backfill of it");
                }
            }
        } else if (s instanceof FinishSync f && f.sync() == SyncKind.RENAME) {
            drop(where, "column " + col(f.target(), f.source()), colKey(f.target(), f.source()));
        }
    }

    private void make(String where, String what, String key) {
        String prev = created.put(key, where);
        if (prev != null) {
            fail(where, "creates " + what + ", which " + prev + " already creates");
        }
        if (dropped.containsKey(key)) {
            fail(where, "creates " + what + " after " + dropped.get(key) + " drops it");
        }
    }

    private void drop(String where, String what, String key) {
        String prevDrop = dropped.put(key, where);
        if (prevDrop != null) {
            String hint = prevDrop.contains("finish rename") ? " (renameColumn drops the old column at contract by itself)" : "";
            fail(where, "drops " + what + ", which " + prevDrop + " already drops" + hint);
        }
        if (created.containsKey(key)) {
            fail(where, "drops " + what + ", which " + created.get(key)
                    + " creates in this same migration; remove both steps");
        }
    }

    private void use(String where, QualifiedName table, Identifier column) {
        String key = colKey(table, column);
        if (dropped.containsKey(key)) {
            fail(where, "uses column " + col(table, column) + " after " + dropped.get(key) + " drops it");
        }
    }

    private void change(String where, QualifiedName table, Identifier column, String verb) {
        use(where, table, column);
        String prev = columnChanges.put(colKey(table, column), where);
        if (prev != null) {
            fail(where, verb + " column " + col(table, column) + ", which " + prev
                    + " already changes; split them into two migrations");
        }
    }

    private void fail(String where, String problem) {
        throw new MigrationDefinitionException("Migration '" + id + "', " + where + " " + problem + ".", id);
    }

    private static String col(QualifiedName t, Identifier c) {
        return t.sql() + "." + c.sql();
    }

    private static String colKey(QualifiedName t, Identifier c) {
        return "column:" + t.regclassText() + "." + c.quoted();
    }

    private static String constraintKey(QualifiedName t, Identifier c) {
        return "constraint:" + t.regclassText() + "." + c.quoted();
    }

    private static String indexKey(QualifiedName index) {
        return "index:" + index.regclassText();
    }
}
