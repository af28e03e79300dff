package io.querk.internal.plan;

import io.querk.internal.sql.Token;
import io.querk.plan.LockMode;
import io.querk.plan.TableEffect;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * TRUNCATE, LOCK, VACUUM, ANALYZE, CLUSTER, REINDEX and REFRESH MATERIALIZED VIEW: the
 * commands that act on whole tables at once.
 */
final class MaintenanceRules {

    private MaintenanceRules() {
    }

    static boolean handles(Cursor c) {
        return c.at("truncate") || c.at("lock") || c.at("vacuum") || c.at("analyze") || c.at("analyse")
                || c.at("cluster") || c.at("reindex") || c.at("refresh");
    }

    static void analyze(Cursor c, Verdict v, AnalysisContext ctx) {
        if (c.accept("truncate")) {
            truncate(c, v, ctx);
        } else if (c.accept("lock")) {
            lock(c, v, ctx);
        } else if (c.accept("vacuum")) {
            vacuum(c, v, ctx);
        } else if (c.accept("analyze") || c.accept("analyse")) {
            analyzeTables(c, v, ctx);
        } else if (c.accept("cluster")) {
            cluster(c, v, ctx);
        } else if (c.accept("reindex")) {
            reindex(c, v, ctx);
        } else if (c.accept("refresh")) {
            refresh(c, v, ctx);
        }
    }

    private static void truncate(Cursor c, Verdict v, AnalysisContext ctx) {
        c.accept("table");
        List<SqlName> tables = nameList(c);
        if (tables.isEmpty()) {
            RawSqlAnalyzer.notUnderstood(v, "TRUNCATE without a table name Querk can read");
            return;
        }
        for (SqlName table : tables) {
            v.lock(table, LockMode.ACCESS_EXCLUSIVE);
            v.table(table);
            v.action("empties " + table);
            if (!ctx.isNew(table)) {
                v.hazard(Hazards.truncate(table));
            }
        }
        c.finish();
    }

    private static void lock(Cursor c, Verdict v, AnalysisContext ctx) {
        c.accept("table");
        List<SqlName> tables = nameList(c);
        if (tables.isEmpty()) {
            RawSqlAnalyzer.notUnderstood(v, "LOCK without a table name Querk can read");
            return;
        }
        LockMode mode = LockMode.ACCESS_EXCLUSIVE;
        if (c.accept("in")) {
            List<String> words = new ArrayList<>();
            while (c.atName() && !c.at("mode")) {
                words.add(c.next().text());
            }
            try {
                mode = LockMode.of(String.join(" ", words));
            } catch (IllegalArgumentException e) {
                v.hazard(Hazards.unrecognized("LOCK TABLE with lock mode '" + String.join(" ", words)
                        + "' is not one Querk knows"));
            }
        }
        for (SqlName t : tables) {
            v.lock(t, mode);
            v.table(t);
            if (mode.blocksWrites() && !ctx.isNew(t)) {
                v.hazard(Hazards.lockTable(t, mode));
            }
        }
        v.action("locks " + names(tables) + " in " + mode.sqlName() + " mode");
        c.finish();
    }

    private static void vacuum(Cursor c, Verdict v, AnalysisContext ctx) {
        v.mustRunAlone();
        boolean full = false;
        if (c.atSymbol("(")) {
            List<Token> options = c.group();
            full = optionOn(options, "full");
            version16Options(options, v, ctx);
        } else {
            while (c.at("full") || c.at("freeze") || c.at("verbose") || c.at("analyze") || c.at("analyse")) {
                full |= c.next().isWord("full");
            }
        }
        List<SqlName> tables = tableAndColumnsList(c);
        for (SqlName t : tables) {
            v.lock(t, full ? LockMode.ACCESS_EXCLUSIVE : LockMode.SHARE_UPDATE_EXCLUSIVE);
            v.table(t);
        }
        String what = tables.isEmpty() ? "every table of the database" : names(tables);
        if (full) {
            v.effect(TableEffect.REWRITE);
            v.action("rewrites " + what + " to reclaim space (VACUUM FULL)");
            if (tables.isEmpty()) {
                v.hazard(Hazards.vacuumFull(null));
            }
            for (SqlName t : tables) {
                if (!ctx.isNew(t)) {
                    v.hazard(Hazards.vacuumFull(t));
                }
            }
        } else {
            v.action("vacuums " + what);
        }
    }

    private static void analyzeTables(Cursor c, Verdict v, AnalysisContext ctx) {
        if (c.atSymbol("(")) {
            version16Options(c.group(), v, ctx);
        }
        c.accept("verbose");
        List<SqlName> tables = tableAndColumnsList(c);
        for (SqlName t : tables) {
            v.lock(t, LockMode.SHARE_UPDATE_EXCLUSIVE);
            v.table(t);
        }
        v.action("gathers statistics on " + (tables.isEmpty() ? "every table of the database" : names(tables)));
    }

    private static void cluster(Cursor c, Verdict v, AnalysisContext ctx) {
        if (c.atSymbol("(")) {
            c.skipGroup();
        }
        c.accept("verbose");
        SqlName first = c.name();
        SqlName table = first;
        if (first != null && c.accept("on")) {
            table = c.name(); // the old "CLUSTER index ON table" form
        }
        v.effect(TableEffect.REWRITE);
        if (table == null) {
            v.mustRunAlone(); // without a table it re-clusters every clustered table, one transaction each
            v.action("re-clusters every previously clustered table");
            v.hazard(Hazards.cluster(null));
            return;
        }
        v.lock(table, LockMode.ACCESS_EXCLUSIVE);
        v.table(table);
        v.action("rewrites " + table + " in index order (CLUSTER)");
        if (!ctx.isNew(table)) {
            v.hazard(Hazards.cluster(table));
        }
        c.finish();
    }

    private static void reindex(Cursor c, Verdict v, AnalysisContext ctx) {
        boolean concurrently = false;
        if (c.atSymbol("(")) {
            concurrently = optionOn(c.group(), "concurrently");
        }
        String kind = c.peek().folded();
        c.next();
        concurrently |= c.accept("concurrently");
        SqlName name = c.name();
        v.effect(TableEffect.SCAN);
        if (concurrently) {
            v.mustRunAlone();
            if (ctx.serverMajor() < 12) {
                v.hazard(Hazards.unsupported("REINDEX CONCURRENTLY", 12, ctx.serverMajor()));
            }
            v.hazard(Hazards.weakLock("REINDEX CONCURRENTLY", true));
        }
        switch (kind) {
            case "index" -> {
                v.lock(name, concurrently ? LockMode.SHARE_UPDATE_EXCLUSIVE : LockMode.ACCESS_EXCLUSIVE);
                v.action("rebuilds index " + name);
                if (!concurrently && name != null) {
                    v.hazard(Hazards.reindexNotConcurrent("INDEX", name.written()));
                }
            }
            case "table" -> {
                v.lock(name, concurrently ? LockMode.SHARE_UPDATE_EXCLUSIVE : LockMode.SHARE);
                v.table(name);
                v.action("rebuilds every index of " + name);
                if (!concurrently && name != null && !ctx.isNew(name)) {
                    v.hazard(Hazards.reindexNotConcurrent("TABLE", name.written()));
                }
            }
            default -> {
                // SCHEMA, DATABASE, SYSTEM: every table, each in its own transaction.
                v.mustRunAlone();
                v.action("rebuilds the indexes of a whole " + kind.toLowerCase(Locale.ROOT));
                if (!concurrently) {
                    v.hazard(Hazards.reindexNotConcurrent(kind.toUpperCase(Locale.ROOT),
                            name == null ? "" : name.written()));
                }
            }
        }
        c.finish();
    }

    private static void refresh(Cursor c, Verdict v, AnalysisContext ctx) {
        c.accept("materialized", "view");
        boolean concurrently = c.accept("concurrently");
        SqlName view = c.name();
        v.table(view);
        if (concurrently) {
            v.lock(view, LockMode.EXCLUSIVE);
            v.effect(TableEffect.SCAN);
            v.action("recomputes " + view + " and applies the difference; reads continue");
        } else {
            v.lock(view, LockMode.ACCESS_EXCLUSIVE);
            v.effect(TableEffect.REWRITE);
            v.action("recomputes " + view + " into a new file");
            if (view != null && !ctx.isNew(view)) {
                v.hazard(Hazards.refreshBlocking(view));
            }
        }
        c.finish();
    }

    /** VACUUM and ANALYZE options that PostgreSQL 16 added. */
    private static void version16Options(List<Token> options, Verdict v, AnalysisContext ctx) {
        for (Token t : options) {
            if (ctx.serverMajor() < 16 && (t.isWord("buffer_usage_limit") || t.isWord("process_main")
                    || t.isWord("skip_database_stats") || t.isWord("only_database_stats"))) {
                v.hazard(Hazards.unsupported("The " + t.text().toUpperCase(Locale.ROOT) + " option", 16,
                        ctx.serverMajor()));
            }
        }
    }

    /** @return true if the option list names {@code option} without turning it off */
    private static boolean optionOn(List<Token> options, String option) {
        for (Cursor part : new Cursor(options).splitAtTopLevelCommas()) {
            if (part.accept(option)) {
                Token value = part.peek();
                return !(value.isWord("false") || value.isWord("off") || value.text().equals("0"));
            }
        }
        return false;
    }

    /** Reads {@code a, ONLY b *, c} up to the first token that is not part of the list. */
    static List<SqlName> nameList(Cursor c) {
        List<SqlName> names = new ArrayList<>();
        do {
            c.accept("only");
            SqlName n = c.name();
            if (n == null) {
                break;
            }
            names.add(n);
            c.acceptSymbol("*");
        } while (c.acceptSymbol(","));
        return names;
    }

    /** Reads {@code t (a, b), u} as VACUUM and ANALYZE take it. */
    private static List<SqlName> tableAndColumnsList(Cursor c) {
        List<SqlName> names = new ArrayList<>();
        do {
            c.accept("only");
            SqlName n = c.name();
            if (n == null) {
                break;
            }
            names.add(n);
            c.skipGroup();
        } while (c.acceptSymbol(","));
        return names;
    }

    static String names(List<SqlName> names) {
        return names.isEmpty() ? "no table" : String.join(", ", names.stream().map(SqlName::written).toList());
    }
}
