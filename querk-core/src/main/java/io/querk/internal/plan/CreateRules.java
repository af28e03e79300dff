package io.querk.internal.plan;

import io.querk.internal.sql.Token;
import io.querk.plan.LockMode;
import io.querk.plan.TableEffect;

import java.util.List;
import java.util.Set;

/**
 * CREATE statements. A new relation is invisible to other sessions until commit, so its own
 * lock is not reported; what matters is what the statement locks among existing relations:
 * the indexed table, the tables a foreign key references, the parent of a new partition.
 */
final class CreateRules {

    private CreateRules() {
    }

    /** Objects whose creation locks no existing table. */
    private static final Set<String> HARMLESS = Set.of("function", "procedure", "sequence", "type", "domain",
            "extension", "schema", "collation", "cast", "operator", "aggregate", "language", "role", "user",
            "group", "conversion", "text", "access");

    static void analyze(Cursor c, Verdict v, AnalysisContext ctx) {
        c.accept("create");
        boolean orReplace = c.accept("or", "replace");
        if (c.at("unique") || c.at("index")) {
            index(c, v, ctx);
        } else if (c.at("constraint", "trigger") || c.at("trigger")) {
            trigger(c, v);
        } else if (c.at("materialized", "view")) {
            materializedView(c, v, ctx);
        } else if (c.at("statistics")) {
            statistics(c, v);
        } else if (c.at("database") || c.at("tablespace")) {
            v.mustRunAlone();
            v.action("creates " + c.next().folded() + " " + c.name());
        } else {
            c.accept("global");
            c.accept("local");
            boolean temporary = c.accept("temp") || c.accept("temporary");
            c.accept("unlogged");
            c.accept("recursive");
            if (c.accept("table")) {
                table(c, v, ctx);
            } else if (c.accept("view")) {
                view(c, v, orReplace && !temporary);
            } else if (c.peek().type() == Token.Type.WORD && HARMLESS.contains(c.peek().folded())) {
                String kind = c.next().folded();
                c.accept("if", "not", "exists");
                v.action("creates " + kind + " " + c.name() + " (locks no table)");
            } else {
                RawSqlAnalyzer.notUnderstood(v, RawSqlAnalyzer.describe("CREATE", c) + " is not a statement Querk knows");
            }
        }
    }

    private static void index(Cursor c, Verdict v, AnalysisContext ctx) {
        boolean unique = c.accept("unique");
        c.accept("index");
        boolean concurrently = c.accept("concurrently");
        boolean ifNotExists = c.accept("if", "not", "exists");
        SqlName index = c.at("on") ? null : c.name();
        if (!c.accept("on")) {
            RawSqlAnalyzer.notUnderstood(v, "CREATE INDEX without ON <table>");
            return;
        }
        c.accept("only");
        SqlName table = c.name();
        String indexName = index == null ? "(unnamed)" : index.written();
        if (index != null && c.atSymbol("(")) {
            List<String> columns = plainColumns(new Cursor(c.rest()).group());
            if (columns != null) {
                ctx.script().index(index, columns);
            }
        }
        if (ColumnDefinition.nullsNotDistinct(c.rest()) && ctx.serverMajor() < 15) {
            v.hazard(Hazards.unsupported("NULLS NOT DISTINCT", 15, ctx.serverMajor()));
        }
        v.table(table);
        v.effect(TableEffect.SCAN);
        String what = (unique ? "unique index " : "index ") + indexName + " on " + table;
        if (concurrently) {
            v.lock(table, LockMode.SHARE_UPDATE_EXCLUSIVE);
            v.mustRunAlone();
            v.action("builds " + what + " concurrently; reads and writes continue");
            v.hazard(Hazards.weakLock("CREATE INDEX CONCURRENTLY", true));
            if (!ifNotExists) {
                v.hazard(Hazards.missingIfNotExists("CREATE INDEX CONCURRENTLY " + indexName));
            }
        } else {
            v.lock(table, LockMode.SHARE);
            v.action("builds " + what + " while blocking writes");
            if (table != null && !ctx.isNew(table)) {
                v.hazard(Hazards.indexNotConcurrent(table, index == null ? null : index.normalized()));
            }
        }
        c.finish();
    }

    /** @return the columns of an index's element list if each is a bare column name, else null */
    private static List<String> plainColumns(List<Token> elements) {
        List<String> out = new java.util.ArrayList<>();
        boolean expectName = true;
        for (Token t : elements) {
            if (expectName && SqlName.isNamePart(t)) {
                out.add(SqlName.normalize(t));
                expectName = false;
            } else if (!expectName && t.is(",")) {
                expectName = true;
            } else {
                return null;
            }
        }
        return out.isEmpty() || expectName ? null : out;
    }

    private static void table(Cursor c, Verdict v, AnalysisContext ctx) {
        c.accept("if", "not", "exists");
        SqlName table = c.name();
        if (table == null) {
            RawSqlAnalyzer.notUnderstood(v, "CREATE TABLE without a name Querk can read");
            return;
        }
        ctx.script().created(table);
        v.table(table);
        if (c.accept("partition", "of")) {
            SqlName parent = c.name();
            v.lock(parent, LockMode.ACCESS_EXCLUSIVE);
            v.action("creates " + table + " as a partition of " + parent + ", which it locks ACCESS EXCLUSIVE"
                    + " (a DEFAULT partition is locked and read too)");
            return;
        }
        if (c.atSymbol("(")) {
            for (Cursor element : new Cursor(c.group()).splitAtTopLevelCommas()) {
                element(element, table, v, ctx);
            }
        }
        if (c.accept("inherits")) {
            for (Cursor p : new Cursor(c.group()).splitAtTopLevelCommas()) {
                v.lock(p.name(), LockMode.SHARE_UPDATE_EXCLUSIVE);
            }
        }
        if (c.skipPastOutsideBrackets("as")) {
            List<SqlName> read = QueryReads.relations(c.rest(), Set.of());
            read.forEach(r -> v.lock(r, LockMode.ACCESS_SHARE));
            v.action("creates table " + table + " from a query reading " + MaintenanceRules.names(read));
            return;
        }
        v.action("creates table " + table);
    }

    /** One element of CREATE TABLE's list: a column, a table constraint or LIKE. */
    private static void element(Cursor e, SqlName table, Verdict v, AnalysisContext ctx) {
        if (e.accept("like")) {
            v.lock(e.name(), LockMode.ACCESS_SHARE);
            return;
        }
        if (e.at("constraint") || e.at("check") || e.at("unique") || e.at("primary") || e.at("foreign")
                || e.at("exclude")) {
            SqlName constraint = e.accept("constraint") ? e.name() : null;
            if (ColumnDefinition.nullsNotDistinct(e.rest()) && ctx.serverMajor() < 15) {
                v.hazard(Hazards.unsupported("NULLS NOT DISTINCT", 15, ctx.serverMajor()));
            }
            if (e.accept("foreign", "key") && e.skipPastOutsideBrackets("references")) {
                SqlName referenced = e.name();
                v.lock(referenced, LockMode.SHARE_ROW_EXCLUSIVE);
                if (constraint != null && referenced != null) {
                    ctx.script().foreignKey(table, constraint.normalized(), referenced);
                }
            }
            return;
        }
        ColumnDefinition col = ColumnDefinition.parse(e);
        if (col == null) {
            return;
        }
        if (col.references() != null) {
            v.lock(col.references(), LockMode.SHARE_ROW_EXCLUSIVE);
        }
        if (col.generated() == ColumnDefinition.Generated.VIRTUAL && ctx.serverMajor() < 18) {
            v.hazard(Hazards.unsupported("A VIRTUAL generated column (or GENERATED ALWAYS AS without STORED)",
                    18, ctx.serverMajor()));
        }
        if (col.defaultExpr() != null) {
            RawSqlAnalyzer.checkFunctions(col.defaultExpr(), v, ctx);
        }
    }

    private static void trigger(Cursor c, Verdict v) {
        c.accept("constraint");
        c.accept("trigger");
        SqlName trigger = c.name();
        if (!c.skipPastOutsideBrackets("on")) {
            RawSqlAnalyzer.notUnderstood(v, "CREATE TRIGGER without ON <table>");
            return;
        }
        SqlName table = c.name();
        v.lock(table, LockMode.SHARE_ROW_EXCLUSIVE);
        v.table(table);
        v.action("creates trigger " + trigger + " on " + table + " (blocks writes while it is created)");
        c.finish();
    }

    private static void view(Cursor c, Verdict v, boolean replaces) {
        SqlName view = c.name();
        if (replaces) {
            v.lock(view, LockMode.ACCESS_EXCLUSIVE); // replacing an existing view's query locks it
        }
        c.skipPastOutsideBrackets("as");
        List<SqlName> read = QueryReads.relations(c.rest(), Set.of());
        read.forEach(r -> v.lock(r, LockMode.ACCESS_SHARE));
        v.action((replaces ? "creates or replaces view " : "creates view ") + view);
        c.finish();
    }

    private static void materializedView(Cursor c, Verdict v, AnalysisContext ctx) {
        c.accept("materialized", "view");
        c.accept("if", "not", "exists");
        SqlName view = c.name();
        if (view != null) {
            ctx.script().created(view);
        }
        v.table(view);
        c.skipPastOutsideBrackets("as");
        List<SqlName> read = QueryReads.relations(c.rest(), Set.of());
        read.forEach(r -> v.lock(r, LockMode.ACCESS_SHARE));
        v.action("creates materialized view " + view + " from a query reading " + MaintenanceRules.names(read));
        c.finish();
    }

    private static void statistics(Cursor c, Verdict v) {
        c.skipPastOutsideBrackets("from");
        SqlName table = c.name();
        v.lock(table, LockMode.SHARE_UPDATE_EXCLUSIVE);
        v.table(table);
        v.action("creates extended statistics on " + table);
        c.finish();
    }
}
