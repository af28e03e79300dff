package io.querk.internal.plan;

import io.querk.internal.sql.Token;
import io.querk.plan.LockMode;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * SELECT, INSERT, UPDATE, DELETE, MERGE and COPY: ROW EXCLUSIVE on the table written,
 * ACCESS SHARE (ROW SHARE with FOR UPDATE/SHARE) on the tables read. Their danger is not the
 * lock but the size of the transaction: a whole-table UPDATE or DELETE holds every row lock
 * until it commits.
 */
final class QueryRules {

    private QueryRules() {
    }

    /** @return true if the statement starting at the cursor is a query or a data change this class reads */
    static boolean handles(Cursor c) {
        return c.at("select") || c.at("with") || c.at("values") || c.at("table") || c.at("insert")
                || c.at("update") || c.at("delete") || c.at("merge") || c.at("copy") || c.atSymbol("(");
    }

    static void analyze(Cursor c, Verdict v, AnalysisContext ctx) {
        v.mainTable(analyze(c, v, ctx, new HashSet<>()));
    }

    /** @return the table the statement writes, or null for a query */
    private static SqlName analyze(Cursor c, Verdict v, AnalysisContext ctx, Set<String> ctes) {
        if (c.at("with")) {
            withQueries(c, v, ctx, ctes);
        }
        if (c.at("insert")) {
            return insert(c, v, ctes);
        } else if (c.at("update")) {
            return update(c, v, ctx, ctes);
        } else if (c.at("delete")) {
            return delete(c, v, ctx, ctes);
        } else if (c.at("merge")) {
            return merge(c, v, ctx, ctes);
        } else if (c.at("copy")) {
            return copy(c, v, ctes);
        }
        select(c.rest(), v, ctes);
        c.finish();
        return null;
    }

    /** Reads the WITH list; data-changing WITH queries count like the statements they are. */
    private static void withQueries(Cursor c, Verdict v, AnalysisContext ctx, Set<String> ctes) {
        c.accept("with");
        c.accept("recursive");
        do {
            SqlName name = c.name();
            if (name == null) {
                return;
            }
            ctes.add(name.normalized());
            c.skipGroup();
            c.accept("as");
            c.accept("not");
            c.accept("materialized");
            List<Token> body = c.group();
            Cursor inner = new Cursor(body);
            if (inner.at("insert") || inner.at("update") || inner.at("delete") || inner.at("merge")) {
                analyze(inner, v, ctx, ctes);
            } else {
                select(body, v, ctes);
            }
            c.accept("search");
            c.accept("cycle");
        } while (c.acceptSymbol(","));
    }

    private static void select(List<Token> tokens, Verdict v, Set<String> ctes) {
        LockMode mode = QueryReads.locksRows(tokens) ? LockMode.ROW_SHARE : LockMode.ACCESS_SHARE;
        List<SqlName> read = QueryReads.relations(tokens, ctes);
        for (SqlName r : read) {
            v.lock(r, mode);
        }
        v.action(read.isEmpty() ? "reads no table" : "reads " + names(read)
                + (mode == LockMode.ROW_SHARE ? " and locks the rows it selects" : ""));
    }

    private static SqlName insert(Cursor c, Verdict v, Set<String> ctes) {
        c.accept("insert");
        c.accept("into");
        SqlName target = c.name();
        writes(v, target, "inserts into");
        reads(c.rest(), v, ctes, target);
        c.finish();
        return target;
    }

    private static SqlName update(Cursor c, Verdict v, AnalysisContext ctx, Set<String> ctes) {
        c.accept("update");
        c.accept("only");
        SqlName target = c.name();
        writes(v, target, "updates");
        List<Token> rest = c.rest();
        reads(rest, v, ctes, target);
        if (!new Cursor(rest).containsWordOutsideBrackets("where")) {
            unbatched(v, ctx, "UPDATE", target);
        }
        c.finish();
        return target;
    }

    private static SqlName delete(Cursor c, Verdict v, AnalysisContext ctx, Set<String> ctes) {
        c.accept("delete");
        c.accept("from");
        c.accept("only");
        SqlName target = c.name();
        writes(v, target, "deletes from");
        List<Token> rest = c.rest();
        // DELETE ... USING a, b reads its USING list like a FROM list.
        reads(rest.stream().map(t -> t.isWord("using") ? new Token(Token.Type.WORD, "from", t.offset()) : t)
                .toList(), v, ctes, target);
        if (!new Cursor(rest).containsWordOutsideBrackets("where")) {
            unbatched(v, ctx, "DELETE", target);
        }
        c.finish();
        return target;
    }

    private static SqlName merge(Cursor c, Verdict v, AnalysisContext ctx, Set<String> ctes) {
        c.accept("merge");
        c.accept("into");
        c.accept("only");
        SqlName target = c.name();
        writes(v, target, "merges into");
        if (ctx.serverMajor() < 15) {
            v.hazard(Hazards.unsupported("MERGE", 15, ctx.serverMajor()));
        } else if (ctx.serverMajor() < 17 && (c.containsWordOutsideBrackets("returning") || mergesBySource(c))) {
            v.hazard(Hazards.unsupported("MERGE with RETURNING or WHEN NOT MATCHED BY SOURCE", 17, ctx.serverMajor()));
        }
        List<Token> rest = c.rest();
        reads(rest.stream().map(t -> t.isWord("using") ? new Token(Token.Type.WORD, "from", t.offset()) : t)
                .toList(), v, ctes, target);
        c.finish();
        return target;
    }

    private static boolean mergesBySource(Cursor c) {
        List<Token> rest = c.rest();
        for (int i = 0; i + 2 < rest.size(); i++) {
            if (rest.get(i).isWord("matched") && rest.get(i + 1).isWord("by") && rest.get(i + 2).isWord("source")) {
                return true;
            }
        }
        return false;
    }

    private static SqlName copy(Cursor c, Verdict v, Set<String> ctes) {
        c.accept("copy");
        if (c.atSymbol("(")) {
            select(c.group(), v, ctes);
            c.finish();
            return null;
        }
        SqlName table = c.name();
        c.skipGroup();
        boolean from = c.accept("from");
        v.lock(table, from ? LockMode.ROW_EXCLUSIVE : LockMode.ACCESS_SHARE);
        v.table(table);
        v.action((from ? "copies rows into " : "copies rows out of ") + table);
        c.finish();
        return from ? table : null;
    }

    private static void writes(Verdict v, SqlName target, String verb) {
        v.lock(target, LockMode.ROW_EXCLUSIVE);
        v.table(target);
        v.action(verb + " " + target);
    }

    private static void reads(List<Token> tokens, Verdict v, Set<String> ctes, SqlName target) {
        LockMode mode = QueryReads.locksRows(tokens) ? LockMode.ROW_SHARE : LockMode.ACCESS_SHARE;
        for (SqlName r : QueryReads.relations(tokens, ctes)) {
            if (target == null || !r.normalized().equals(target.normalized())) {
                v.lock(r, mode);
            }
        }
    }

    private static void unbatched(Verdict v, AnalysisContext ctx, String verb, SqlName target) {
        if (target != null && !ctx.isNew(target)) {
            v.hazard(Hazards.unbatchedUpdate(verb, target));
        }
    }

    private static String names(List<SqlName> names) {
        return String.join(", ", names.stream().map(SqlName::written).toList());
    }
}
