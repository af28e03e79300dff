package io.querk.internal.plan;

import io.querk.plan.LockMode;

import java.util.List;
import java.util.Locale;

/**
 * DROP statements: catalog only, but every one of them removes something the old version of
 * the application may still use, which is why they belong in contract.
 */
final class DropRules {

    private DropRules() {
    }

    static void analyze(Cursor c, Verdict v, AnalysisContext ctx) {
        c.accept("drop");
        if (c.accept("index")) {
            index(c, v, ctx);
        } else if (c.accept("materialized", "view")) {
            relations(c, v, ctx, "materialized view");
        } else if (c.accept("foreign", "table")) {
            relations(c, v, ctx, "foreign table");
        } else if (c.accept("table") || c.accept("view") || c.accept("sequence")) {
            relations(c, v, ctx, c.previous().folded());
        } else if (c.accept("trigger") || c.accept("policy") || c.accept("rule")) {
            onTable(c, v, ctx, c.previous().folded());
        } else if (c.accept("database")) {
            v.mustRunAlone();
            boolean ifExists = c.accept("if", "exists");
            SqlName db = c.name();
            v.action("drops database " + db);
            if (!ifExists) {
                v.hazard(Hazards.missingIfExists("DROP DATABASE " + db));
            }
            inExpand(v, ctx, "DROP DATABASE " + db);
        } else if (c.accept("tablespace")) {
            v.mustRunAlone();
            v.action("drops tablespace " + c.name());
            inExpand(v, ctx, "DROP TABLESPACE");
        } else if (c.at("owned")) {
            RawSqlAnalyzer.notUnderstood(v, "DROP OWNED drops every object a role owns");
            inExpand(v, ctx, "DROP OWNED");
        } else {
            String kind = c.next().folded();
            c.accept("if", "exists");
            SqlName name = c.name();
            if (name == null) {
                RawSqlAnalyzer.notUnderstood(v, "DROP " + kind.toUpperCase(Locale.ROOT) + " without a name Querk"
                        + " can read");
                return;
            }
            if (c.containsWordOutsideBrackets("cascade")) {
                // CASCADE drops what depends on the object too: tables, columns, defaults, triggers.
                RawSqlAnalyzer.notUnderstood(v, "DROP " + kind.toUpperCase(Locale.ROOT) + " ... CASCADE also drops"
                        + " and locks every object that depends on " + name + ", which Querk cannot list");
            } else {
                v.action("drops " + kind + " " + name + " (locks no table)");
            }
            inExpand(v, ctx, "DROP " + kind.toUpperCase(Locale.ROOT) + " " + name);
        }
        c.finish();
    }

    private static void index(Cursor c, Verdict v, AnalysisContext ctx) {
        boolean concurrently = c.accept("concurrently");
        boolean ifExists = c.accept("if", "exists");
        List<SqlName> indexes = MaintenanceRules.nameList(c);
        if (indexes.isEmpty()) {
            RawSqlAnalyzer.notUnderstood(v, "DROP INDEX without an index name Querk can read");
            return;
        }
        for (SqlName index : indexes) {
            if (concurrently) {
                v.lock(index, LockMode.SHARE_UPDATE_EXCLUSIVE);
            } else {
                v.lock(index, LockMode.ACCESS_EXCLUSIVE);
                v.hazard(Hazards.dropIndexNotConcurrent(index));
            }
        }
        String names = MaintenanceRules.names(indexes);
        if (concurrently) {
            v.mustRunAlone();
            v.action("drops index " + names + " concurrently; reads and writes continue");
            v.hazard(Hazards.weakLock("DROP INDEX CONCURRENTLY", true));
            if (!ifExists) {
                v.hazard(Hazards.missingIfExists("DROP INDEX CONCURRENTLY " + names));
            }
        } else {
            v.action("drops index " + names + ", locking its table ACCESS EXCLUSIVE");
        }
        inExpand(v, ctx, "DROP INDEX " + names);
    }

    private static void relations(Cursor c, Verdict v, AnalysisContext ctx, String kind) {
        c.accept("if", "exists");
        List<SqlName> names = MaintenanceRules.nameList(c);
        if (names.isEmpty()) {
            RawSqlAnalyzer.notUnderstood(v, "DROP " + kind.toUpperCase(Locale.ROOT) + " without a name Querk can read");
            return;
        }
        boolean allNew = true;
        for (SqlName n : names) {
            v.lock(n, LockMode.ACCESS_EXCLUSIVE);
            v.table(n);
            allNew &= ctx.isNew(n);
        }
        String what = kind + " " + MaintenanceRules.names(names);
        v.action("drops " + what);
        if (!allNew) {
            inExpand(v, ctx, "DROP " + kind.toUpperCase(Locale.ROOT) + " " + MaintenanceRules.names(names));
        }
    }

    private static void onTable(Cursor c, Verdict v, AnalysisContext ctx, String kind) {
        c.accept("if", "exists");
        SqlName name = c.name();
        c.accept("on");
        SqlName table = c.name();
        v.lock(table, LockMode.ACCESS_EXCLUSIVE);
        v.table(table);
        v.action("drops " + kind + " " + name + " on " + table);
        if (table == null || !ctx.isNew(table)) {
            inExpand(v, ctx, "DROP " + kind.toUpperCase(Locale.ROOT) + " " + name + " on " + table);
        }
    }

    private static void inExpand(Verdict v, AnalysisContext ctx, String what) {
        if (ctx.inExpand()) {
            v.hazard(Hazards.dropInExpand(what));
        }
    }
}
