package io.querk.internal.render;

import io.querk.internal.plan.RawSqlAnalyzer;
import io.querk.internal.plan.StatementAnalysis;
import io.querk.internal.sql.Functions;
import io.querk.internal.step.AddCheck;
import io.querk.internal.step.AddColumn;
import io.querk.internal.step.AddForeignKey;
import io.querk.internal.step.AddUnique;
import io.querk.internal.step.Backfill;
import io.querk.internal.step.CarryDependents;
import io.querk.internal.step.ChangeColumnType;
import io.querk.internal.step.ColumnDef;
import io.querk.internal.step.CreateIndex;
import io.querk.internal.step.CreateTable;
import io.querk.internal.step.DropColumn;
import io.querk.internal.step.DropConstraint;
import io.querk.internal.step.DropIndex;
import io.querk.internal.step.DropTable;
import io.querk.internal.step.FinishSync;
import io.querk.internal.step.IndexElement;
import io.querk.internal.step.RawSql;
import io.querk.internal.step.RenameColumn;
import io.querk.internal.step.SetNotNull;
import io.querk.internal.step.Sql;
import io.querk.internal.step.StepDefinition;
import io.querk.internal.step.TableConstraint;
import io.querk.migration.Phase;
import io.querk.migration.Step;
import io.querk.plan.LockMode;
import io.querk.plan.PlannedLock;
import io.querk.plan.TableEffect;
import io.querk.sql.Identifier;
import io.querk.sql.QualifiedName;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import static io.querk.plan.LockMode.ACCESS_EXCLUSIVE;
import static io.querk.plan.LockMode.ROW_SHARE;
import static io.querk.plan.LockMode.SHARE_ROW_EXCLUSIVE;
import static io.querk.plan.LockMode.SHARE_UPDATE_EXCLUSIVE;

/**
 * Turns a step into the actions that apply it safely. Pure: the only outside input is the
 * {@link Catalog}, for the few steps whose SQL depends on the live schema (the type of a
 * renamed column, the NOT NULL of a column being swapped).
 *
 * <p>Each action carries a probe that recognises its effect, so a step interrupted anywhere
 * is finished by running it again: done actions are skipped, the rest run.
 */
public final class StepRenderer {

    private StepRenderer() {
    }

    /**
     * @return the actions of the step, in order; empty for a backfill, which the engine runs itself
     */
    public static List<Action> render(Step step, Catalog catalog) {
        if (step instanceof CreateTable s) {
            return createTable(s);
        } else if (step instanceof AddColumn s) {
            return addColumn(s);
        } else if (step instanceof CreateIndex s) {
            return createIndex(s);
        } else if (step instanceof DropIndex s) {
            // The index's table takes the same lock; only the index is named, so only it is listed.
            return List.of(new Action("drop index " + s.index().sql(),
                    List.of("DROP INDEX CONCURRENTLY IF EXISTS " + s.index().sql()), false,
                    List.of(new RelationLock(s.index().sql(), SHARE_UPDATE_EXCLUSIVE)),
                    CatalogProbes.relationMissing(s.index()), List.of()));
        } else if (step instanceof AddCheck s) {
            return checkConstraint(s.target(), s.name(), "CHECK (" + s.expression() + ")", List.of());
        } else if (step instanceof AddForeignKey s) {
            return foreignKey(s);
        } else if (step instanceof AddUnique s) {
            return uniqueOrPrimaryKey(s);
        } else if (step instanceof SetNotNull s) {
            return setNotNull(s.target(), s.column());
        } else if (step instanceof DropColumn s) {
            return List.of(action("drop column " + s.column().sql(),
                    "ALTER TABLE " + s.target().sql() + " DROP COLUMN IF EXISTS " + s.column().sql(),
                    s.target(), ACCESS_EXCLUSIVE, CatalogProbes.columnMissing(s.target(), s.column())));
        } else if (step instanceof DropTable s) {
            return List.of(action("drop table", "DROP TABLE IF EXISTS " + s.target().sql(), s.target(),
                    ACCESS_EXCLUSIVE, CatalogProbes.relationMissing(s.target())));
        } else if (step instanceof DropConstraint s) {
            return List.of(action("drop constraint " + s.name().sql(),
                    "ALTER TABLE " + s.target().sql() + " DROP CONSTRAINT IF EXISTS " + s.name().sql(),
                    s.target(), ACCESS_EXCLUSIVE, CatalogProbes.constraintMissing(s.target(), s.name())));
        } else if (step instanceof RenameColumn s) {
            return renameColumn(s, catalog);
        } else if (step instanceof ChangeColumnType s) {
            return changeColumnType(s, catalog);
        } else if (step instanceof FinishSync s) {
            return finishSync(s, catalog);
        } else if (step instanceof CarryDependents s) {
            return carryDependents(s, catalog);
        } else if (step instanceof RawSql s) {
            return rawSql(s);
        } else if (step instanceof Backfill) {
            return List.of();
        }
        throw new IllegalArgumentException("No renderer for " + step.getClass().getName());
    }

    private static Action action(String purpose, String sql, QualifiedName table, LockMode mode, Probe skipWhen) {
        return new Action(purpose, List.of(sql), true, List.of(new RelationLock(table.sql(), mode)), skipWhen, List.of());
    }

    private static List<Action> createTable(CreateTable s) {
        List<String> parts = new ArrayList<>();
        for (ColumnDef c : s.columns()) {
            parts.add(c.sql(true));
        }
        if (!s.primaryKey().isEmpty()) {
            parts.add("PRIMARY KEY (" + Sql.list(s.primaryKey()) + ")");
        }
        List<RelationLock> locks = new ArrayList<>();
        locks.add(new RelationLock(s.target().sql(), ACCESS_EXCLUSIVE));
        for (TableConstraint c : s.constraints()) {
            parts.add(c.sql());
            if (c instanceof TableConstraint.ForeignKey fk) {
                locks.add(new RelationLock(fk.referencedTable().sql(), SHARE_ROW_EXCLUSIVE));
            }
        }
        String sql = "CREATE TABLE " + s.target().sql() + " (\n    " + String.join(",\n    ", parts) + "\n)";
        return List.of(new Action("create table " + s.target().sql(), List.of(sql), true, locks,
                CatalogProbes.tableExists(s.target()), List.of()));
    }

    private static List<Action> addColumn(AddColumn s) {
        ColumnDef c = s.column();
        QualifiedName t = s.target();
        String alter = "ALTER TABLE " + t.sql() + " ADD COLUMN " ;
        List<Action> out = new ArrayList<>();
        if (s.derivedFrom() != null) {
            out.add(action("add column " + c.name().sql(), alter + c.sql(false), t, ACCESS_EXCLUSIVE,
                    CatalogProbes.columnExists(t, c.name())));
            out.add(syncTrigger(t, c.name(), "    NEW." + c.name().sql() + " := " + rowExpression(s.derivedFrom()) + ";\n",
                    s.derivedFrom(), true));
            return out;
        }
        if (c.volatileDefault() && c.defaultSql() != null) {
            // Without its default the ADD is catalog-only; SET DEFAULT then applies to new rows only,
            // and the implied backfill fills the existing ones in batches.
            ColumnDef bare = new ColumnDef(c.name(), c.type(), false, null, false, c.identity(), null);
            out.add(new Action("add column " + c.name().sql() + " and its default for new rows",
                    List.of(alter + bare.sql(false),
                            "ALTER TABLE " + t.sql() + " ALTER COLUMN " + c.name().sql() + " SET DEFAULT " + c.defaultSql()),
                    true, List.of(new RelationLock(t.sql(), ACCESS_EXCLUSIVE)),
                    CatalogProbes.columnExists(t, c.name()), List.of()));
            return out;
        }
        List<Precondition> pre = new ArrayList<>();
        if (c.defaultSql() != null) {
            List<String> calls = Functions.calls(c.defaultSql()).all();
            if (!calls.isEmpty()) {
                pre.add(new Precondition(CatalogProbes.noVolatileFunction(calls), "The default of column "
                        + c.name().sql() + " (" + c.defaultSql() + ") calls a volatile function, so PostgreSQL would"
                        + " rewrite the whole table under an ACCESS EXCLUSIVE lock. Declare it with"
                        + " volatileDefault(...) so Querk adds the column nullable and backfills it."));
            }
        }
        out.add(new Action("add column " + c.name().sql(), List.of(alter + c.sql(true)), true,
                List.of(new RelationLock(t.sql(), ACCESS_EXCLUSIVE)), CatalogProbes.columnExists(t, c.name()), pre));
        return out;
    }

    private static List<Action> createIndex(CreateIndex s) {
        StringBuilder sql = new StringBuilder("CREATE ");
        if (s.unique()) {
            sql.append("UNIQUE ");
        }
        sql.append("INDEX CONCURRENTLY ").append(s.name().sql()).append(" ON ").append(s.target().sql());
        if (s.method() != null) {
            sql.append(" USING ").append(s.method());
        }
        sql.append(" (").append(s.elements().stream().map(IndexElement::sql).collect(Collectors.joining(", "))).append(')');
        if (!s.include().isEmpty()) {
            sql.append(" INCLUDE (").append(Sql.list(s.include())).append(')');
        }
        if (s.where() != null) {
            sql.append(" WHERE ").append(s.where());
        }
        List<Action> out = new ArrayList<>();
        out.add(dropInvalidIndex(s.target(), s.name()));
        out.add(new Action("build index " + s.name().sql() + " concurrently", List.of(sql.toString()), false,
                List.of(new RelationLock(s.target().sql(), SHARE_UPDATE_EXCLUSIVE)),
                CatalogProbes.validIndexExists(s.target(), s.name()), List.of()).scanning());
        return out;
    }

    private static Action dropInvalidIndex(QualifiedName table, Identifier index) {
        QualifiedName qualified = table.sibling(index);
        return new Action("drop the INVALID leftover of an interrupted build of " + index.sql(),
                List.of("DROP INDEX CONCURRENTLY IF EXISTS " + qualified.sql()), false,
                List.of(new RelationLock(table.sql(), SHARE_UPDATE_EXCLUSIVE),
                        new RelationLock(qualified.sql(), SHARE_UPDATE_EXCLUSIVE)),
                CatalogProbes.noInvalidIndex(table, index), List.of());
    }

    private static List<Action> checkConstraint(QualifiedName t, Identifier name, String body, List<RelationLock> extra) {
        List<RelationLock> addLocks = new ArrayList<>();
        addLocks.add(new RelationLock(t.sql(), ACCESS_EXCLUSIVE));
        return List.of(
                new Action("add constraint " + name.sql() + " NOT VALID",
                        List.of("ALTER TABLE " + t.sql() + " ADD CONSTRAINT " + name.sql() + " " + body + " NOT VALID"),
                        true, addLocks, CatalogProbes.constraintExists(t, name), List.of()),
                validate(t, name, extra));
    }

    private static Action validate(QualifiedName t, Identifier name, List<RelationLock> extra) {
        List<RelationLock> locks = new ArrayList<>();
        locks.add(new RelationLock(t.sql(), SHARE_UPDATE_EXCLUSIVE));
        locks.addAll(extra);
        return new Action("validate constraint " + name.sql(),
                List.of("ALTER TABLE " + t.sql() + " VALIDATE CONSTRAINT " + name.sql()), true, locks,
                CatalogProbes.constraintValidated(t, name), List.of()).scanning();
    }

    private static List<Action> foreignKey(AddForeignKey s) {
        String clause = Sql.foreignKeyClause(s.columns(), s.referencedTable(), s.referencedColumns(), s.onDelete(),
                s.onUpdate());
        Action add = new Action("add foreign key " + s.name().sql() + " NOT VALID",
                List.of("ALTER TABLE " + s.target().sql() + " ADD CONSTRAINT " + s.name().sql() + " " + clause
                        + " NOT VALID"),
                true,
                List.of(new RelationLock(s.target().sql(), SHARE_ROW_EXCLUSIVE),
                        new RelationLock(s.referencedTable().sql(), SHARE_ROW_EXCLUSIVE)),
                CatalogProbes.constraintExists(s.target(), s.name()), List.of());
        return List.of(add, validate(s.target(), s.name(),
                List.of(new RelationLock(s.referencedTable().sql(), ROW_SHARE))));
    }

    private static List<Action> uniqueOrPrimaryKey(AddUnique s) {
        QualifiedName t = s.target();
        List<Action> out = new ArrayList<>();
        if (s.primaryKey()) {
            for (Identifier c : s.columns()) {
                out.addAll(setNotNull(t, c));
            }
        }
        out.add(dropInvalidIndex(t, s.name()));
        out.add(new Action("build unique index " + s.name().sql() + " concurrently",
                List.of("CREATE UNIQUE INDEX CONCURRENTLY " + s.name().sql() + " ON " + t.sql() + " ("
                        + Sql.list(s.columns()) + ")"),
                false, List.of(new RelationLock(t.sql(), SHARE_UPDATE_EXCLUSIVE)),
                CatalogProbes.indexOrConstraintExists(t, s.name()), List.of()).scanning());
        String kind = s.primaryKey() ? "PRIMARY KEY" : "UNIQUE";
        out.add(new Action("attach index as " + kind.toLowerCase(Locale.ROOT) + " " + s.name().sql(),
                List.of("ALTER TABLE " + t.sql() + " ADD CONSTRAINT " + s.name().sql() + " " + kind + " USING INDEX "
                        + s.name().sql()),
                true, List.of(new RelationLock(t.sql(), ACCESS_EXCLUSIVE)),
                CatalogProbes.constraintExists(t, s.name()), List.of()));
        return out;
    }

    /** The four-step NOT NULL: check NOT VALID, validate, SET NOT NULL (no scan) with the check dropped. */
    static List<Action> setNotNull(QualifiedName t, Identifier column) {
        Identifier check = SyncNames.notNullCheck(t, column);
        String alter = "ALTER TABLE " + t.sql() + " ";
        return List.of(
                new Action("add check " + column.sql() + " IS NOT NULL NOT VALID",
                        List.of(alter + "ADD CONSTRAINT " + check.sql() + " CHECK (" + column.sql() + " IS NOT NULL) NOT VALID"),
                        true, List.of(new RelationLock(t.sql(), ACCESS_EXCLUSIVE)),
                        CatalogProbes.notNullOrConstraint(t, column, check, false),
                        List.of(new Precondition(CatalogProbes.columnExists(t, column),
                                "Column " + t.sql() + "." + column.sql() + " does not exist."))),
                new Action("validate check " + check.sql(),
                        List.of(alter + "VALIDATE CONSTRAINT " + check.sql()), true,
                        List.of(new RelationLock(t.sql(), SHARE_UPDATE_EXCLUSIVE)),
                        CatalogProbes.notNullOrConstraint(t, column, check, true), List.of()).scanning(),
                new Action("set not null using the validated check, then drop the check",
                        List.of(alter + "ALTER COLUMN " + column.sql() + " SET NOT NULL",
                                alter + "DROP CONSTRAINT IF EXISTS " + check.sql()),
                        true, List.of(new RelationLock(t.sql(), ACCESS_EXCLUSIVE)),
                        CatalogProbes.notNullFinished(t, column, check), List.of()));
    }

    private static List<Action> renameColumn(RenameColumn s, Catalog catalog) {
        QualifiedName t = s.target();
        Optional<Catalog.ColumnFacts> facts = catalog.column(t, s.from());
        String type = facts.map(Catalog.ColumnFacts::type).orElse("<missing column>");
        String from = "NEW." + s.from().sql();
        String to = "NEW." + s.to().sql();
        String body = "    IF TG_OP = 'INSERT' THEN\n"
                + "        IF " + to + " IS NULL THEN " + to + " := " + from + "; ELSE " + from + " := " + to + "; END IF;\n"
                + "    ELSIF " + from + " IS DISTINCT FROM OLD." + s.from().sql() + " THEN " + to + " := " + from + ";\n"
                + "    ELSIF " + to + " IS DISTINCT FROM OLD." + s.to().sql() + " THEN " + from + " := " + to + ";\n"
                + "    END IF;\n";
        List<Precondition> pre = new ArrayList<>();
        pre.add(new Precondition(CatalogProbes.columnExists(t, s.from()), "Column " + t.sql() + "." + s.from().sql()
                + " does not exist, so it cannot be renamed."));
        pre.addAll(carriable(t, s.from(), null, catalog, "renamed"));
        List<String> add = new ArrayList<>();
        add.add("ALTER TABLE " + t.sql() + " ADD COLUMN " + s.to().sql() + " " + type);
        commentOf(facts, t, s.to()).ifPresent(add::add);
        return List.of(
                new Action("add column " + s.to().sql() + " " + type, add, true,
                        List.of(new RelationLock(t.sql(), ACCESS_EXCLUSIVE)), CatalogProbes.columnExists(t, s.to()), pre),
                syncTrigger(t, s.to(), body, "", false)); // a copy between columns of one type cannot fail
    }

    /**
     * The refusals of a rename or type change: a column Querk cannot replace by a new one (an
     * identity, generated or serial column), or something on it that a new column cannot take
     * over without blocking (its primary key, an exclusion constraint, a foreign key of another
     * table pointing at it, a view over it), named from the live catalog when it is known.
     */
    private static List<Precondition> carriable(QualifiedName t, Identifier column, String newType, Catalog catalog,
                                                String verb) {
        String name = t.sql() + "." + column.sql();
        List<String> blocking = ColumnDependents.uncarried(catalog.dependents(t, column), newType);
        String what = blocking.isEmpty()
                ? "a primary key, an exclusion constraint, a foreign key of another table, a view or another object"
                + " Querk cannot carry over" + (newType == null ? "" : ", or an index whose expression, predicate or"
                + " operator class may mean something else under " + newType + ", or a foreign key to a column of"
                + " another type")
                : String.join(", ", blocking);
        return List.of(
                new Precondition(CatalogProbes.columnIsPlain(t, column), "Column " + name + " is an identity,"
                        + " generated or serial column, which Querk does not replace through a new column.", column),
                new Precondition(ColumnDependents.carriable(t, column, newType), "Column " + name + " cannot be "
                        + verb + " through a new column without blocking the application: it has " + what + "."
                        + " Querk carries the column's other indexes, unique constraints, checks and foreign keys,"
                        + " its default, NOT NULL and comment. Drop what is named here first (and create it again"
                        + " over the new column after the contract), or make the change in a maintenance window.",
                        column));
    }

    /** @return {@code COMMENT ON COLUMN} giving {@code column} the comment the old column has, if any */
    private static Optional<String> commentOf(Optional<Catalog.ColumnFacts> facts, QualifiedName t, Identifier column) {
        return facts.map(Catalog.ColumnFacts::comment).map(c -> {
            String tag = dollarTag(c);
            return "COMMENT ON COLUMN " + t.sql() + "." + column.sql() + " IS " + tag + c + tag;
        });
    }

    private static List<Action> changeColumnType(ChangeColumnType s, Catalog catalog) {
        QualifiedName t = s.target();
        Identifier shadow = SyncNames.shadowColumn(s.column());
        String value = s.using() == null ? "NEW." + s.column().sql() + "::" + s.newType() : rowExpression(s.using());
        List<Precondition> pre = new ArrayList<>();
        pre.add(new Precondition(CatalogProbes.columnExists(t, s.column()), "Column " + t.sql() + "."
                + s.column().sql() + " does not exist."));
        pre.addAll(carriable(t, s.column(), s.newType(), catalog, "retyped"));
        List<String> add = new ArrayList<>();
        add.add("ALTER TABLE " + t.sql() + " ADD COLUMN " + shadow.sql() + " " + s.newType());
        // The shadow takes the column's name at contract: its comment goes with it.
        commentOf(catalog.column(t, s.column()), t, shadow).ifPresent(add::add);
        return List.of(
                new Action("add shadow column " + shadow.sql() + " " + s.newType(), add, true,
                        List.of(new RelationLock(t.sql(), ACCESS_EXCLUSIVE)), CatalogProbes.columnExists(t, shadow), pre),
                syncTrigger(t, shadow, "    " + "NEW." + shadow.sql() + " := " + value + ";\n",
                        s.using() == null ? "" : s.using(), true));
    }

    /**
     * The old column's indexes and constraints built again over the new one, under temporary
     * names, without blocking: indexes concurrently, checks and foreign keys NOT VALID and then
     * validated (left NOT VALID if the original is). Each action is skipped once its object is
     * there, so an interrupted build is finished by the next run.
     */
    private static List<Action> carryDependents(CarryDependents s, Catalog catalog) {
        QualifiedName t = s.target();
        String to = s.column().sql();
        List<Action> out = new ArrayList<>();
        for (ColumnDependents.Dependent d : catalog.dependents(t, s.source())) {
            Identifier temp = SyncNames.carried(d.name());
            switch (d.kind()) {
                case INDEX, UNIQUE -> {
                    out.add(dropInvalidIndex(t, temp));
                    out.add(new Action("build " + ColumnDependents.describe(d) + " again over " + to + " concurrently",
                            List.of(ColumnDependents.carriedIndex(d.definition(), t, temp, s.source(), to)), false,
                            List.of(new RelationLock(t.sql(), SHARE_UPDATE_EXCLUSIVE)),
                            CatalogProbes.validIndexExists(t, temp), List.of()).scanning());
                }
                case CHECK -> {
                    String body = ColumnDependents.carriedConstraint(d, s.source(), to);
                    List<Action> check = checkConstraint(t, temp, body, List.of());
                    out.addAll(d.validated() ? check : check.subList(0, 1));
                }
                case FOREIGN_KEY -> {
                    String body = ColumnDependents.carriedConstraint(d, s.source(), to);
                    String referenced = referencedTable(body);
                    out.add(new Action("add " + ColumnDependents.describe(d) + " again over " + to + " NOT VALID",
                            List.of("ALTER TABLE " + t.sql() + " ADD CONSTRAINT " + temp.sql() + " " + body + " NOT VALID"),
                            true, List.of(new RelationLock(t.sql(), SHARE_ROW_EXCLUSIVE),
                                    new RelationLock(referenced, SHARE_ROW_EXCLUSIVE)),
                            CatalogProbes.constraintExists(t, temp), List.of()));
                    if (d.validated()) {
                        out.add(validate(t, temp, List.of(new RelationLock(referenced, ROW_SHARE))));
                    }
                }
                default -> {
                    // Refused by the expand step's preconditions before anything ran.
                }
            }
        }
        return out;
    }

    /** @return the table a foreign key definition references, as written after REFERENCES */
    private static String referencedTable(String foreignKeyDefinition) {
        int at = foreignKeyDefinition.indexOf(" REFERENCES ") + " REFERENCES ".length();
        int open = foreignKeyDefinition.indexOf('(', at);
        return foreignKeyDefinition.substring(at, open < 0 ? foreignKeyDefinition.length() : open).strip();
    }

    /**
     * At contract, once the old column and its own indexes and constraints are gone: the carried
     * ones take the originals' names (a unique index becomes the unique constraint again). Only
     * those the catalog shows were carried, so a migration begun before carrying existed still
     * contracts.
     */
    private static List<String> restoreCarriedNames(QualifiedName t, Identifier source, Identifier column,
                                                    Catalog catalog) {
        java.util.Set<String> carried = new java.util.HashSet<>();
        catalog.dependents(t, column).forEach(d -> carried.add(d.name()));
        List<String> out = new ArrayList<>();
        for (ColumnDependents.Dependent d : catalog.dependents(t, source)) {
            Identifier temp = SyncNames.carried(d.name());
            if (!carried.contains(temp.name())) {
                continue;
            }
            Identifier original = Identifier.of(d.name());
            switch (d.kind()) {
                case INDEX -> out.add("ALTER INDEX " + t.sibling(temp).sql() + " RENAME TO " + original.sql());
                case UNIQUE -> out.add("ALTER TABLE " + t.sql() + " ADD CONSTRAINT " + original.sql() + " UNIQUE USING INDEX "
                        + temp.sql());
                case CHECK, FOREIGN_KEY -> out.add("ALTER TABLE " + t.sql() + " RENAME CONSTRAINT " + temp.sql() + " TO "
                        + original.sql());
                default -> {
                }
            }
        }
        return out;
    }

    private static List<Action> finishSync(FinishSync s, Catalog catalog) {
        QualifiedName t = s.target();
        Identifier trigger = SyncNames.trigger(s.sync() == io.querk.internal.step.SyncKind.RETYPE
                ? SyncNames.shadowColumn(s.column()) : s.column());
        QualifiedName function = SyncNames.function(t, s.sync() == io.querk.internal.step.SyncKind.RETYPE
                ? SyncNames.shadowColumn(s.column()) : s.column());
        String alter = "ALTER TABLE " + t.sql() + " ";
        String dropTrigger = "DROP TRIGGER IF EXISTS " + trigger.sql() + " ON " + t.sql();
        Action dropFunction = new Action("drop sync function", List.of("DROP FUNCTION IF EXISTS " + function.sql() + "()"),
                true, List.of(), CatalogProbes.functionMissing(function), List.of());
        List<Action> out = new ArrayList<>();
        switch (s.sync()) {
            case DERIVED -> out.add(action("drop sync trigger " + trigger.sql(), dropTrigger, t, ACCESS_EXCLUSIVE,
                    CatalogProbes.triggerMissing(t, trigger)));
            case RENAME -> {
                var old = catalog.column(t, s.source());
                if (old.isPresent() && old.get().defaultSql() != null) {
                    out.add(new Action("move the default of " + s.source().sql() + " to " + s.column().sql(),
                            List.of(alter + "ALTER COLUMN " + s.column().sql() + " SET DEFAULT " + old.get().defaultSql()),
                            true, List.of(new RelationLock(t.sql(), ACCESS_EXCLUSIVE)),
                            CatalogProbes.columnMissing(t, s.source()), List.of()));
                }
                if (old.isPresent() && old.get().notNull()) {
                    out.addAll(setNotNull(t, s.column()));
                }
                List<String> drop = new ArrayList<>(List.of(dropTrigger, alter + "DROP COLUMN IF EXISTS " + s.source().sql()));
                drop.addAll(restoreCarriedNames(t, s.source(), s.column(), catalog));
                out.add(new Action("drop sync trigger and old column " + s.source().sql(), drop, true,
                        List.of(new RelationLock(t.sql(), ACCESS_EXCLUSIVE)),
                        CatalogProbes.columnAndTriggerGone(t, s.source(), trigger), List.of()));
            }
            case RETYPE -> {
                Identifier shadow = SyncNames.shadowColumn(s.column());
                Identifier retired = SyncNames.retiredColumn(s.column());
                Identifier check = SyncNames.notNullCheck(t, shadow);
                var old = catalog.column(t, s.column());
                boolean carryNotNull = old.isPresent() && old.get().notNull();
                if (carryNotNull) {
                    out.add(new Action("add check " + shadow.sql() + " IS NOT NULL NOT VALID",
                            List.of(alter + "ADD CONSTRAINT " + check.sql() + " CHECK (" + shadow.sql() + " IS NOT NULL) NOT VALID"),
                            true, List.of(new RelationLock(t.sql(), ACCESS_EXCLUSIVE)),
                            CatalogProbes.columnMissingOrConstraint(t, shadow, check, false), List.of()));
                    out.add(new Action("validate check " + check.sql(),
                            List.of(alter + "VALIDATE CONSTRAINT " + check.sql()), true,
                            List.of(new RelationLock(t.sql(), SHARE_UPDATE_EXCLUSIVE)),
                            CatalogProbes.columnMissingOrConstraint(t, shadow, check, true), List.of()).scanning());
                }
                List<String> swap = new ArrayList<>();
                swap.add(dropTrigger);
                swap.add(alter + "RENAME COLUMN " + s.column().sql() + " TO " + retired.sql());
                swap.add(alter + "RENAME COLUMN " + shadow.sql() + " TO " + s.column().sql());
                if (old.isPresent() && old.get().defaultSql() != null) {
                    swap.add(alter + "ALTER COLUMN " + s.column().sql() + " SET DEFAULT " + old.get().defaultSql());
                }
                if (carryNotNull) {
                    swap.add(alter + "ALTER COLUMN " + s.column().sql() + " SET NOT NULL");
                    swap.add(alter + "DROP CONSTRAINT " + check.sql());
                }
                // Read before the swap: the originals are the column's, the carried ones the shadow's.
                List<String> restore = restoreCarriedNames(t, s.column(), shadow, catalog);
                swap.add(alter + "DROP COLUMN " + retired.sql());
                swap.addAll(restore);
                out.add(new Action("swap in the retyped column", swap, true,
                        List.of(new RelationLock(t.sql(), ACCESS_EXCLUSIVE)), CatalogProbes.columnMissing(t, shadow),
                        List.of()));
            }
        }
        out.add(dropFunction);
        return out;
    }

    /**
     * The trigger that keeps a new column in step with the old ones while both application
     * versions write. With {@code guarded}, an expression that fails on some row (a cast of a bad
     * value, a division by zero) leaves that row's new column NULL with a WARNING instead of failing
     * the application's write: Querk must never be the cause of a failed write. The backfill then
     * computes the value again and, if it still fails, stops there, where nothing else breaks.
     */
    private static Action syncTrigger(QualifiedName t, Identifier column, String body, String userSql,
                                      boolean guarded) {
        Identifier trigger = SyncNames.trigger(column);
        QualifiedName function = SyncNames.function(t, column);
        String code = guarded
                ? "    BEGIN\n" + body.indent(4) + "    EXCEPTION WHEN OTHERS THEN\n"
                + "        NEW." + column.sql() + " := NULL;\n"
                + "        RAISE WARNING 'querk: trigger % on % could not compute its column for this row (%): it is"
                + " written NULL and the backfill computes it again', TG_NAME, TG_TABLE_NAME, SQLERRM;\n"
                + "    END;\n"
                : body;
        String tag = dollarTag(code + userSql);
        String fn = "CREATE OR REPLACE FUNCTION " + function.sql() + "() RETURNS trigger LANGUAGE plpgsql AS " + tag + "\n"
                + "#variable_conflict use_column\n"
                + "BEGIN\n" + code + "    RETURN NEW;\nEND\n" + tag;
        String trg = "CREATE OR REPLACE TRIGGER " + trigger.sql() + " BEFORE INSERT OR UPDATE ON " + t.sql()
                + " FOR EACH ROW EXECUTE FUNCTION " + function.sql() + "()";
        return new Action("install sync trigger " + trigger.sql(), List.of(fn, trg), true,
                List.of(new RelationLock(t.sql(), SHARE_ROW_EXCLUSIVE)), CatalogProbes.triggerExists(t, trigger),
                List.of(new Precondition(CatalogProbes.tableExists(t), "Table " + t.sql() + " does not exist.")));
    }

    /** Evaluates an expression over the row being written, with the row's columns in scope by name. */
    private static String rowExpression(String expression) {
        return "(SELECT " + expression + " FROM (SELECT NEW.*) AS querk_row)";
    }

    private static String dollarTag(String body) {
        String tag = "$querk$";
        int n = 0;
        while (body.contains(tag)) {
            tag = "$querk" + (++n) + "$";
        }
        return tag;
    }

    private static List<Action> rawSql(RawSql s) {
        // Locks come from the offline analysis: the engine uses them to pick the lock guard's
        // timeouts (a CONCURRENTLY build gets the long lock timeout and no statement timeout).
        List<StatementAnalysis> analyses = RawSqlAnalyzer.analyzeScript(s.statements(), RawSqlAnalyzer.NEWEST_KNOWN,
                Phase.CONTRACT, t -> Optional.empty());
        List<Action> out = new ArrayList<>();
        List<Integer> group = new ArrayList<>();
        for (int i = 0; i < analyses.size(); i++) {
            if (analyses.get(i).mustRunAlone()) {
                if (!group.isEmpty()) {
                    out.add(rawAction(s, analyses, group, true));
                    group = new ArrayList<>();
                }
                out.add(rawAction(s, analyses, List.of(i), false));
            } else {
                group.add(i);
            }
        }
        if (!group.isEmpty()) {
            out.add(rawAction(s, analyses, group, true));
        }
        return out;
    }

    private static Action rawAction(RawSql s, List<StatementAnalysis> analyses, List<Integer> indexes,
                                    boolean transactional) {
        Map<String, LockMode> strongest = new LinkedHashMap<>();
        TableEffect effect = TableEffect.NONE;
        List<String> sql = new ArrayList<>();
        for (int i : indexes) {
            StatementAnalysis a = analyses.get(i);
            sql.add(s.statements().get(i).text());
            for (PlannedLock l : a.locks()) {
                strongest.merge(l.relation(), l.mode(), (x, y) -> x.compareTo(y) >= 0 ? x : y);
            }
            effect = a.effect().compareTo(effect) > 0 ? a.effect() : effect;
        }
        List<RelationLock> locks = strongest.entrySet().stream().map(e -> new RelationLock(e.getKey(), e.getValue()))
                .toList();
        return new Action(transactional ? "run SQL" : "run SQL alone, outside a transaction", sql, transactional, locks,
                null, List.of(), effect);
    }

    /** @return the step rendered, for tests and plans that want one line per statement */
    public static List<String> statements(StepDefinition step, Catalog catalog) {
        return render(step, catalog).stream().flatMap(a -> a.statements().stream()).toList();
    }
}
