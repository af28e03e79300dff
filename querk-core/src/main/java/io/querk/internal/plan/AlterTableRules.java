package io.querk.internal.plan;

import io.querk.internal.sql.Functions;
import io.querk.internal.sql.Token;
import io.querk.plan.LockMode;
import io.querk.plan.TableEffect;
import io.querk.plan.TableFacts;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import static io.querk.plan.LockMode.ACCESS_EXCLUSIVE;
import static io.querk.plan.LockMode.SHARE_ROW_EXCLUSIVE;
import static io.querk.plan.LockMode.SHARE_UPDATE_EXCLUSIVE;

/**
 * ALTER TABLE, one subcommand at a time. The lock of each subcommand follows PostgreSQL's
 * {@code AlterTableGetLockLevel} (tablecmds.c); the statement takes the strongest of them.
 * RENAME, SET SCHEMA, ATTACH and DETACH PARTITION stand alone, as in PostgreSQL's grammar.
 */
final class AlterTableRules {

    private AlterTableRules() {
    }

    static void analyze(Cursor c, Verdict v, AnalysisContext ctx) {
        c.accept("alter", "table");
        if (c.at("all", "in")) {
            RawSqlAnalyzer.notUnderstood(v, "ALTER TABLE ALL IN TABLESPACE moves every table of a tablespace");
            return;
        }
        c.accept("if", "exists");
        c.accept("only");
        SqlName table = c.name();
        c.acceptSymbol("*");
        if (table == null) {
            RawSqlAnalyzer.notUnderstood(v, "ALTER TABLE without a table name Querk can read");
            return;
        }
        v.table(table);
        Subcommand s = new Subcommand(v, ctx, table);
        if (c.at("rename")) {
            s.rename(c);
        } else if (c.accept("set", "schema")) {
            v.lock(table, ACCESS_EXCLUSIVE);
            v.action("moves " + table + " to schema " + c.name());
            s.renameInExpand("moving " + table + " to another schema", Hazards.RENAME_TABLE_INSTEAD);
        } else if (c.accept("attach", "partition")) {
            s.attach(c);
        } else if (c.accept("detach", "partition")) {
            s.detach(c);
        } else {
            List<Cursor> parts = c.splitAtTopLevelCommas();
            s.dropsConstraintToo = parts.stream().anyMatch(p -> p.at("drop", "constraint"));
            for (Cursor part : parts) {
                s.analyze(part);
            }
        }
    }

    /** The rules of one subcommand against the statement's table. */
    private static final class Subcommand {
        private final Verdict v;
        private final AnalysisContext ctx;
        private final SqlName table;
        private final boolean isNew;
        /** Set when any subcommand of the statement drops a constraint; see {@link ConstraintRules}. */
        boolean dropsConstraintToo;
        private String current = "";

        Subcommand(Verdict v, AnalysisContext ctx, SqlName table) {
            this.v = v;
            this.ctx = ctx;
            this.table = table;
            this.isNew = ctx.isNew(table);
        }

        void analyze(Cursor c) {
            current = Cursor.text(c.rest());
            if (c.accept("add")) {
                add(c);
            } else if (c.accept("drop")) {
                drop(c);
            } else if (c.at("alter", "constraint")) {
                lock(ACCESS_EXCLUSIVE, "changes the deferrability of a constraint of " + table);
            } else if (c.accept("alter")) {
                c.accept("column");
                alterColumn(c);
            } else if (c.accept("validate", "constraint")) {
                validate(c);
            } else if (c.accept("enable") || c.accept("disable")) {
                enableDisable(c);
            } else if (c.at("force") || c.at("no", "force")) {
                lock(ACCESS_EXCLUSIVE, "changes whether row level security applies to the owner of " + table);
            } else if (c.accept("set")) {
                set(c);
            } else if (c.accept("reset")) {
                lock(StorageParameters.lockFor(c.group()), "resets storage parameters of " + table);
            } else if (c.at("cluster", "on")) {
                lock(SHARE_UPDATE_EXCLUSIVE, "marks the index to CLUSTER " + table + " on");
            } else if (c.at("owner", "to")) {
                lock(ACCESS_EXCLUSIVE, "changes the owner of " + table);
            } else if (c.at("replica", "identity")) {
                lock(ACCESS_EXCLUSIVE, "changes the replica identity of " + table);
            } else if (c.at("inherit") || c.at("no", "inherit") || c.at("of") || c.at("not", "of")) {
                lock(ACCESS_EXCLUSIVE, "changes the parents or type of " + table);
            } else {
                unknown(c);
            }
        }

        // --- ADD ---------------------------------------------------------------------------

        private void add(Cursor c) {
            if (c.at("constraint") || c.at("check") || c.at("unique") || c.at("primary") || c.at("foreign")
                    || c.at("exclude")) {
                new ConstraintRules(v, ctx, table, dropsConstraintToo).add(c);
                return;
            }
            c.accept("column");
            c.accept("if", "not", "exists");
            ColumnDefinition col = ColumnDefinition.parse(c);
            if (col == null) {
                unknown(c);
                return;
            }
            v.lock(table, ACCESS_EXCLUSIVE);
            String name = col.name().written();
            checkVersion(col);
            if (isNew) {
                v.action("adds column " + name + " to " + table + ", created in this script");
                if (col.references() != null) {
                    v.lock(col.references(), SHARE_ROW_EXCLUSIVE);
                }
                return;
            }
            StringBuilder cost = new StringBuilder(addColumnCost(col));
            if (col.references() != null) {
                v.lock(col.references(), SHARE_ROW_EXCLUSIVE);
                if (col.defaultExpr() != null) {
                    // A default gives existing rows a key, so PostgreSQL checks them all against the new foreign key.
                    v.effect(TableEffect.SCAN);
                    v.hazard(Hazards.foreignKeyUnderLock(table, col.references(),
                            "ADD COLUMN " + name + " ... DEFAULT ... REFERENCES " + col.references(), null));
                    cost.append(", then checks every row's key against ").append(col.references());
                }
            }
            if (col.unique()) {
                v.effect(TableEffect.SCAN);
                v.hazard(Hazards.uniqueUnderLock(table, "ADD COLUMN " + name + " UNIQUE / PRIMARY KEY"));
                cost.append(", then builds its unique index");
            }
            if (col.check()) {
                v.effect(TableEffect.SCAN);
                v.hazard(Hazards.checkUnderLock(table, "ADD COLUMN " + name + " ... CHECK", null));
                cost.append(", then checks every row against its CHECK");
            }
            v.action("adds column " + name + " to " + table + " (" + cost + ")");
        }

        /** Decides what adding the column costs; records effect and hazards, returns it in words. */
        private String addColumnCost(ColumnDefinition col) {
            String name = col.name().written();
            if (col.identity()) {
                v.effect(TableEffect.REWRITE);
                v.hazard(Hazards.volatileDefault(table, name, "GENERATED ... AS IDENTITY"));
                return "rewrites the table to number every row";
            }
            if (col.type().isSerial()) {
                v.effect(TableEffect.REWRITE);
                v.hazard(Hazards.volatileDefault(table, name, "type " + col.type().base() + " (a nextval() default)"));
                return "rewrites the table to number every row";
            }
            if (col.generated() == ColumnDefinition.Generated.STORED) {
                v.effect(TableEffect.REWRITE);
                v.hazard(Hazards.storedGeneratedColumn(table, name));
                return "rewrites the table to compute the column";
            }
            if (col.generated() == ColumnDefinition.Generated.VIRTUAL) {
                return "catalog only: a virtual generated column";
            }
            if (col.defaultExpr() != null) {
                Functions.Calls calls = Functions.calls(col.defaultExpr());
                String written = Cursor.text(col.defaultExpr());
                if (!calls.volatileCalls().isEmpty()) {
                    v.effect(TableEffect.REWRITE);
                    v.hazard(Hazards.volatileDefault(table, name, "DEFAULT " + written));
                    return "rewrites the table: the default differs per row";
                }
                if (!calls.unknownCalls().isEmpty()) {
                    v.effect(TableEffect.REWRITE);
                    v.hazard(Hazards.mayRewriteDefault(table, name, calls.unknownCalls().get(0)));
                    return "rewrites the table if " + calls.unknownCalls().get(0) + "() is volatile";
                }
                return "catalog only: the default is evaluated once";
            }
            if (col.notNull()) {
                v.hazard(Hazards.notNullColumnWithoutDefault(table, name));
                return "fails if the table has rows";
            }
            return "catalog only";
        }

        private void checkVersion(ColumnDefinition col) {
            if (col.generated() == ColumnDefinition.Generated.VIRTUAL && ctx.serverMajor() < 18) {
                v.hazard(Hazards.unsupported("A VIRTUAL generated column (or GENERATED ALWAYS AS without STORED)",
                        18, ctx.serverMajor()));
            }
            if (col.defaultExpr() != null) {
                RawSqlAnalyzer.checkFunctions(col.defaultExpr(), v, ctx);
            }
        }

        // --- DROP --------------------------------------------------------------------------

        private void drop(Cursor c) {
            if (c.accept("constraint")) {
                c.accept("if", "exists");
                SqlName name = c.name();
                lock(ACCESS_EXCLUSIVE, "drops constraint " + name);
                dropInExpand("DROP CONSTRAINT " + name);
                return;
            }
            c.accept("column");
            c.accept("if", "exists");
            SqlName column = c.name();
            if (column == null) {
                unknown(c);
                return;
            }
            lock(ACCESS_EXCLUSIVE, "drops column " + column + " of " + table + " (catalog only)");
            dropInExpand("DROP COLUMN " + column);
        }

        private void dropInExpand(String what) {
            if (ctx.inExpand() && !isNew) {
                v.hazard(Hazards.dropInExpand(what + " on " + table));
            }
        }

        void renameInExpand(String what, String instead) {
            if (ctx.inExpand() && !isNew) {
                v.hazard(Hazards.renameInExpand(what, instead));
            }
        }

        // --- ALTER COLUMN ------------------------------------------------------------------

        private void alterColumn(Cursor c) {
            SqlName column = c.name();
            if (column == null) {
                unknown(c);
                return;
            }
            String col = column.written();
            if (c.accept("type") || c.accept("set", "data", "type")) {
                changeType(c, column);
            } else if (c.accept("set", "default")) {
                RawSqlAnalyzer.checkFunctions(c.rest(), v, ctx);
                lock(ACCESS_EXCLUSIVE, "sets the default of " + col + " for new rows (catalog only)");
            } else if (c.accept("drop", "default")) {
                lock(ACCESS_EXCLUSIVE, "drops the default of " + col);
            } else if (c.accept("set", "not", "null")) {
                v.lock(table, ACCESS_EXCLUSIVE);
                v.action("makes " + col + " NOT NULL");
                new ConstraintRules(v, ctx, table, dropsConstraintToo).notNullCost(column);
                ctx.script().madeNotNull(table, column.last());
            } else if (c.accept("drop", "not", "null")) {
                lock(ACCESS_EXCLUSIVE, "drops NOT NULL from " + col);
            } else if (c.accept("set", "statistics")) {
                lock(SHARE_UPDATE_EXCLUSIVE, "sets the statistics target of " + col);
            } else if ((c.at("set") && c.peek(1).is("(")) || c.at("reset")) {
                lock(SHARE_UPDATE_EXCLUSIVE, "sets per-column planner options of " + col);
            } else if (c.accept("set", "storage") || c.accept("set", "compression")) {
                lock(ACCESS_EXCLUSIVE, "changes how " + col + " is stored for new values (catalog only)");
            } else if (c.accept("set", "expression")) {
                setExpression(column);
            } else if (c.accept("add", "generated") || c.at("set", "generated") || c.at("drop", "identity")
                    || c.at("restart") || c.at("set")) {
                lock(ACCESS_EXCLUSIVE, "changes the identity of " + col + " (catalog only)");
            } else if (c.accept("drop", "expression")) {
                lock(ACCESS_EXCLUSIVE, "turns generated column " + col + " into a plain one");
            } else if (c.at("options")) {
                lock(ACCESS_EXCLUSIVE, "changes foreign-table options of " + col);
            } else {
                unknown(c);
            }
        }

        private void setExpression(SqlName column) {
            v.lock(table, ACCESS_EXCLUSIVE);
            if (ctx.serverMajor() < 17) {
                v.hazard(Hazards.unsupported("ALTER COLUMN ... SET EXPRESSION", 17, ctx.serverMajor()));
            }
            v.action("recomputes generated column " + column + " for every row");
            if (!isNew) {
                v.effect(TableEffect.REWRITE);
                v.hazard(Hazards.tableRewrite(table, "ALTER COLUMN " + column + " SET EXPRESSION"));
            }
        }

        private void changeType(Cursor c, SqlName column) {
            v.lock(table, ACCESS_EXCLUSIVE);
            List<Token> typeTokens = new ArrayList<>();
            while (!c.atEnd() && !c.at("collate") && !c.at("using")) {
                typeTokens.add(c.next());
            }
            boolean using = c.containsWordOutsideBrackets("using");
            String to = Cursor.text(typeTokens);
            ColumnTypes.Type target = ColumnTypes.parse(typeTokens);
            String col = column.written();
            if (isNew) {
                v.action("changes the type of " + col + " to " + to + " on a table created in this script");
                return;
            }
            Optional<TableFacts> facts = ctx.factsFor(table);
            String current = facts.map(f -> f.columnTypes().get(column.last())).orElse(null);
            ColumnTypes.Type from = current == null ? null : ColumnTypes.parse(current);
            if (using) {
                rewriteForType(col, current, to, "with USING");
            } else if (from != null) {
                if (ColumnTypes.rewrites(from, target)) {
                    rewriteForType(col, current, to, "from " + current);
                } else {
                    v.action("changes the type of " + col + " from " + current + " to " + to + (from.equals(target)
                            ? " (no change: the same type)" : " (catalog only: binary coercible)"));
                }
            } else if (ColumnTypes.couldBeCatalogOnly(target)) {
                v.effect(TableEffect.REWRITE);
                String why = facts.isEmpty() ? "the column's current type is unknown offline"
                        : "the live database reports no column " + col + " on " + table;
                v.hazard(Hazards.mayRewrite(table, col, to, why));
                v.action("changes the type of " + col + " to " + to + " (may rewrite: " + why + ")");
            } else {
                rewriteForType(col, null, to, "");
            }
        }

        private void rewriteForType(String col, String from, String to, String how) {
            v.effect(TableEffect.REWRITE);
            v.hazard(Hazards.typeChangeRewrite(table, col, from, to));
            v.action("changes the type of " + col + " to " + to + (how.isEmpty() ? "" : " " + how)
                    + " (rewrites the table)");
        }

        // --- the rest ----------------------------------------------------------------------

        private void validate(Cursor c) {
            SqlName name = c.name();
            v.lock(table, SHARE_UPDATE_EXCLUSIVE);
            SqlName referenced = name == null ? null : ctx.script().referencedBy(table, name.normalized());
            if (name != null) {
                ctx.script().validated(table, name.normalized());
            }
            if (referenced != null) {
                v.lock(referenced, LockMode.ROW_SHARE);
            }
            v.effect(TableEffect.SCAN);
            v.action("validates constraint " + name + " of " + table + " by reading every row; reads and writes"
                    + " continue" + (referenced == null ? " (if it is a foreign key, ROW SHARE on the table it"
                    + " references too)" : ""));
            v.hazard(Hazards.weakLock("VALIDATE CONSTRAINT", false));
        }

        private void enableDisable(Cursor c) {
            c.accept("replica");
            c.accept("always");
            if (c.at("trigger")) {
                lock(SHARE_ROW_EXCLUSIVE, "switches triggers of " + table + " on or off (affects writes only)");
            } else if (c.at("rule")) {
                lock(ACCESS_EXCLUSIVE, "switches rules of " + table + " on or off");
            } else if (c.at("row", "level", "security")) {
                lock(ACCESS_EXCLUSIVE, "switches row level security of " + table + " on or off");
            } else {
                unknown(c);
            }
        }

        private void set(Cursor c) {
            if (c.atSymbol("(")) {
                List<Token> options = c.group();
                lock(StorageParameters.lockFor(options), "sets storage parameters of " + table + " (catalog only)");
            } else if (c.accept("tablespace")) {
                rewrite("SET TABLESPACE", "moves " + table + " to tablespace " + c.name());
            } else if (c.accept("logged") || c.accept("unlogged")) {
                String form = "SET " + c.previous().text().toUpperCase(Locale.ROOT);
                rewrite(form, "makes " + table + " " + c.previous().text().toLowerCase(Locale.ROOT));
            } else if (c.accept("access", "method")) {
                if (ctx.serverMajor() < 15) {
                    v.hazard(Hazards.unsupported("ALTER TABLE ... SET ACCESS METHOD", 15, ctx.serverMajor()));
                }
                rewrite("SET ACCESS METHOD", "changes the table access method of " + table);
            } else if (c.at("without", "cluster")) {
                lock(SHARE_UPDATE_EXCLUSIVE, "forgets the CLUSTER index");
            } else if (c.at("without", "oids")) {
                lock(ACCESS_EXCLUSIVE, "SET WITHOUT OIDS (a no-op since PostgreSQL 12)");
            } else {
                unknown(c);
            }
        }

        private void rewrite(String form, String action) {
            v.lock(table, ACCESS_EXCLUSIVE);
            v.action(action);
            if (!isNew) {
                v.effect(TableEffect.REWRITE);
                v.hazard(Hazards.tableRewrite(table, form));
            }
        }

        void rename(Cursor c) {
            c.accept("rename");
            v.lock(table, ACCESS_EXCLUSIVE);
            String kind = c.accept("constraint") ? "constraint" : c.at("to") ? "table" : "column";
            c.accept("column");
            SqlName from = kind.equals("table") ? table : c.name();
            SqlName to = c.accept("to") ? c.name() : null;
            if (from == null || to == null) {
                RawSqlAnalyzer.notUnderstood(v, "ALTER TABLE ... RENAME without the names Querk expects");
                return;
            }
            switch (kind) {
                case "table" -> {
                    v.action("renames table " + table + " to " + to);
                    renameInExpand("ALTER TABLE " + table + " RENAME TO " + to, Hazards.RENAME_TABLE_INSTEAD);
                }
                case "constraint" -> {
                    v.action("renames constraint " + from + " of " + table + " to " + to);
                    renameInExpand("RENAME CONSTRAINT " + from + " on " + table, Hazards.RENAME_OTHER_INSTEAD);
                }
                default -> {
                    v.action("renames column " + from + " of " + table + " to " + to);
                    renameInExpand("RENAME COLUMN " + from + " of " + table, Hazards.RENAME_COLUMN_INSTEAD);
                }
            }
        }

        void attach(Cursor c) {
            SqlName partition = c.name();
            v.lock(table, SHARE_UPDATE_EXCLUSIVE);
            v.lock(partition, ACCESS_EXCLUSIVE);
            v.effect(TableEffect.SCAN);
            v.action("attaches " + partition + " to " + table + ", reading its rows to check the bound unless a"
                    + " validated CHECK already proves it (a DEFAULT partition is locked and read too)");
        }

        void detach(Cursor c) {
            SqlName partition = c.name();
            boolean concurrently = c.accept("concurrently");
            boolean finalize = c.accept("finalize");
            v.lock(partition, ACCESS_EXCLUSIVE);
            if (concurrently) {
                v.lock(table, SHARE_UPDATE_EXCLUSIVE);
                v.mustRunAlone();
                if (ctx.serverMajor() < 14) {
                    v.hazard(Hazards.unsupported("DETACH PARTITION ... CONCURRENTLY", 14, ctx.serverMajor()));
                }
                v.hazard(Hazards.weakLock("DETACH PARTITION ... CONCURRENTLY", true));
                v.action("detaches " + partition + " from " + table + " in two transactions");
            } else if (finalize) {
                v.lock(table, SHARE_UPDATE_EXCLUSIVE);
                v.action("completes an interrupted detach of " + partition);
            } else {
                v.lock(table, ACCESS_EXCLUSIVE);
                v.action("detaches " + partition + " from " + table);
            }
        }

        private void lock(LockMode mode, String action) {
            v.lock(table, mode);
            v.action(action);
        }

        private void unknown(Cursor c) {
            v.lock(table, ACCESS_EXCLUSIVE);
            RawSqlAnalyzer.notUnderstood(v, "the ALTER TABLE subcommand '" + current + "' is not one Querk knows");
        }
    }
}
