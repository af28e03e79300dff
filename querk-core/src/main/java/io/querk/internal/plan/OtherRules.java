package io.querk.internal.plan;

import io.querk.internal.sql.Token;
import io.querk.plan.LockMode;

import java.util.Locale;
import java.util.Set;

/**
 * The remaining statements Querk recognises: transaction control, COMMENT, privileges,
 * session settings and ALTER of objects other than tables.
 */
final class OtherRules {

    private OtherRules() {
    }

    private static final Set<String> TRANSACTION_CONTROL = Set.of("begin", "start", "commit", "end", "rollback",
            "abort", "savepoint", "release", "prepare");

    /** ALTER of these locks no table; only a RENAME matters (to the old application version). */
    private static final Set<String> ALTER_HARMLESS = Set.of("function", "procedure", "routine", "schema",
            "extension", "role", "user", "group", "database", "collation", "aggregate", "operator", "language",
            "default");

    static boolean isTransactionControl(Cursor c) {
        // PREPARE name AS ... is a prepared statement, not PREPARE TRANSACTION.
        return c.peek().type() == Token.Type.WORD
                && TRANSACTION_CONTROL.contains(c.peek().folded())
                && (!c.at("prepare") || c.at("prepare", "transaction"));
    }

    static void transactionControl(Cursor c, Verdict v) {
        String command = c.peek().text().toUpperCase(Locale.ROOT);
        v.action("transaction control: " + command);
        v.hazard(Hazards.transactionControl(command));
        c.finish();
    }

    static void comment(Cursor c, Verdict v) {
        c.accept("comment", "on");
        SqlName relation = null;
        if (c.accept("column")) {
            SqlName column = c.name();
            relation = column == null ? null : column.qualifier();
        } else if (c.accept("table") || c.accept("index") || c.accept("view") || c.accept("sequence")
                || c.accept("materialized", "view") || c.accept("foreign", "table")) {
            relation = c.name();
        } else if (c.accept("constraint") || c.accept("trigger") || c.accept("policy") || c.accept("rule")) {
            c.name();
            c.accept("on");
            if (!c.accept("domain")) {
                relation = c.name();
            }
        }
        v.lock(relation, LockMode.SHARE_UPDATE_EXCLUSIVE);
        v.table(relation);
        v.action(relation == null ? "sets a comment (locks no table)" : "sets a comment on " + relation);
        c.finish(); // the comment text is a string: whatever words it holds mean nothing here
    }

    static void setting(Cursor c, Verdict v) {
        v.action("changes or shows a session setting");
        c.finish();
    }

    static void privileges(Cursor c, Verdict v) {
        v.action("changes privileges (locks no table)");
        c.finish();
    }

    /** ALTER of anything but a table. */
    static void alter(Cursor c, Verdict v, AnalysisContext ctx) {
        c.accept("alter");
        if (c.accept("system")) {
            v.mustRunAlone();
            v.action("changes a server setting in postgresql.auto.conf");
        } else if (c.accept("index")) {
            alterRelation(c, v, ctx, "index", LockMode.SHARE_UPDATE_EXCLUSIVE);
        } else if (c.accept("materialized", "view")) {
            alterRelation(c, v, ctx, "materialized view", LockMode.ACCESS_EXCLUSIVE);
        } else if (c.accept("view") || c.accept("sequence")) {
            alterRelation(c, v, ctx, c.previous().folded(), LockMode.ACCESS_EXCLUSIVE);
        } else if (c.accept("type") || c.accept("domain")) {
            alterType(c, v, ctx, c.previous().folded());
        } else if (c.peek().type() == Token.Type.WORD
                && ALTER_HARMLESS.contains(c.peek().folded())) {
            String kind = c.next().folded();
            boolean renames = c.containsWordOutsideBrackets("rename");
            v.action("alters " + kind + " " + c.name() + " (locks no table)");
            if (renames) {
                renameInExpand(v, ctx, "ALTER " + kind.toUpperCase(Locale.ROOT) + " ... RENAME",
                        Hazards.RENAME_OTHER_INSTEAD);
            }
        } else {
            RawSqlAnalyzer.notUnderstood(v, RawSqlAnalyzer.describe("ALTER", c) + " is not a statement Querk knows");
        }
        c.finish();
    }

    /** ALTER INDEX / VIEW / SEQUENCE: only RENAME is understood (SHARE UPDATE EXCLUSIVE for an index). */
    private static void alterRelation(Cursor c, Verdict v, AnalysisContext ctx, String kind, LockMode renameLock) {
        c.accept("if", "exists");
        SqlName name = c.name();
        if (c.accept("rename")) {
            c.accept("column");
            v.lock(name, renameLock);
            v.action("renames " + kind + " " + name);
            renameInExpand(v, ctx, "ALTER " + kind.toUpperCase(Locale.ROOT) + " " + name + " RENAME",
                    kind.equals("index") || kind.equals("sequence") ? Hazards.RENAME_OTHER_INSTEAD
                            : Hazards.RENAME_TABLE_INSTEAD);
            return;
        }
        v.table(name);
        RawSqlAnalyzer.notUnderstood(v, "ALTER " + kind.toUpperCase(Locale.ROOT) + " other than RENAME is not"
                + " something Querk reads");
    }

    /** ALTER TYPE / DOMAIN: catalog only for these forms; the others may check or rewrite columns. */
    private static void alterType(Cursor c, Verdict v, AnalysisContext ctx, String kind) {
        SqlName name = c.name();
        if (c.at("add", "value") || c.at("rename") || c.at("owner", "to") || c.at("set", "schema")
                || c.at("set", "default") || c.at("drop", "default")) {
            v.action("alters " + kind + " " + name + " (catalog only)");
            if (c.at("rename")) {
                renameInExpand(v, ctx, "ALTER " + kind.toUpperCase(Locale.ROOT) + " " + name + " RENAME",
                        Hazards.RENAME_OTHER_INSTEAD);
            }
            return;
        }
        RawSqlAnalyzer.notUnderstood(v, "ALTER " + kind.toUpperCase(Locale.ROOT) + " " + name + " "
                + Cursor.text(c.rest()) + " may check or rewrite every column of that " + kind);
    }

    private static void renameInExpand(Verdict v, AnalysisContext ctx, String what, String instead) {
        if (ctx.inExpand()) {
            v.hazard(Hazards.renameInExpand(what, instead));
        }
    }
}
