package io.querk.internal.plan;

import io.querk.internal.sql.Token;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Finds the relations a query reads: the names after {@code FROM} and {@code JOIN}, at any
 * depth of subqueries, but not the {@code FROM} inside {@code extract(year FROM d)} or
 * {@code x IS DISTINCT FROM y}, not set-returning functions and not the names of
 * {@code WITH} queries. Each of them gets ACCESS SHARE while the statement runs (ROW SHARE
 * with {@code FOR UPDATE}/{@code FOR SHARE}).
 */
final class QueryReads {

    private QueryReads() {
    }

    /** Words after which a bracket opens a subquery or a grouping, not a call's arguments. */
    private static final Set<String> BEFORE_GROUPING = Set.of("from", "join", "in", "exists", "as", "on",
            "where", "and", "or", "not", "select", "lateral", "using", "any", "all", "some", "when", "then",
            "else", "case", "by", "values", "into", "returning", "having", "union", "except", "intersect",
            "with", "is", "between", "like", "ilike", "set", "materialized", "do", "update", "distinct",
            "limit", "offset", "only");

    /** Words that end a FROM item rather than give it an alias. */
    private static final Set<String> NOT_ALIASES = Set.of("where", "join", "on", "using", "left", "right",
            "inner", "full", "outer", "cross", "natural", "group", "order", "limit", "offset", "fetch", "for",
            "union", "except", "intersect", "window", "having", "returning", "set", "when", "then",
            "tablesample", "lateral", "do", "values", "select", "merge", "matched", "not");

    /** @return the relations {@code tokens} read, in order of appearance, without duplicates */
    static List<SqlName> relations(List<Token> tokens, Set<String> alsoNotRelations) {
        Set<String> ctes = new HashSet<>(cteNames(tokens));
        ctes.addAll(alsoNotRelations);
        List<SqlName> found = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        Deque<Boolean> readsRelations = new ArrayDeque<>();
        readsRelations.push(true);
        for (int i = 0; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            if (t.is("(") || t.is("[")) {
                readsRelations.push(opensRelationContext(tokens, i, readsRelations.peek()));
            } else if (t.is(")") || t.is("]")) {
                if (readsRelations.size() > 1) {
                    readsRelations.pop();
                }
            } else if (Boolean.TRUE.equals(readsRelations.peek())
                    && (isFromKeyword(tokens, i) || t.isWord("join"))) {
                for (SqlName n : fromList(tokens, i + 1)) {
                    if (!(n.parts().size() == 1 && ctes.contains(n.normalized())) && seen.add(n.normalized())) {
                        found.add(n);
                    }
                }
            }
        }
        return found;
    }

    /** @return true if the query locks the rows it reads: FOR UPDATE / FOR [NO KEY] SHARE outside brackets */
    static boolean locksRows(List<Token> tokens) {
        int depth = 0;
        for (int i = 0; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            if (t.is("(") || t.is("[")) {
                depth++;
            } else if (t.is(")") || t.is("]")) {
                depth = Math.max(0, depth - 1);
            } else if (depth == 0 && t.isWord("for") && i + 1 < tokens.size()) {
                Token n = tokens.get(i + 1);
                if (n.isWord("update") || n.isWord("share") || n.isWord("no") || n.isWord("key")) {
                    return true;
                }
            }
        }
        return false;
    }

    /** @return the names the query defines with WITH, which are not relations */
    static Set<String> cteNames(List<Token> tokens) {
        Set<String> names = new HashSet<>();
        for (int i = 0; i + 2 < tokens.size(); i++) {
            Token t = tokens.get(i);
            if (!(t.isWord("with") || t.isWord("recursive") || t.is(","))) {
                continue;
            }
            Cursor c = new Cursor(tokens.subList(i + 1, tokens.size()));
            SqlName name = c.name();
            if (name == null || name.parts().size() != 1) {
                continue;
            }
            c.skipGroup();
            if (c.accept("as")) {
                c.accept("not");
                c.accept("materialized");
                if (c.atSymbol("(")) {
                    names.add(name.normalized());
                }
            }
        }
        return names;
    }

    private static boolean isFromKeyword(List<Token> tokens, int i) {
        return tokens.get(i).isWord("from") && !(i > 0 && tokens.get(i - 1).isWord("distinct"));
    }

    private static boolean opensRelationContext(List<Token> tokens, int i, Boolean enclosing) {
        Token next = i + 1 < tokens.size() ? tokens.get(i + 1) : Cursor.END;
        if (next.isWord("select") || next.isWord("with") || next.isWord("values")) {
            return true;
        }
        Token prev = i > 0 ? tokens.get(i - 1) : Cursor.END;
        if (prev.is("::") || (SqlName.isNamePart(prev) && !isGroupingKeyword(prev))) {
            return false; // a call's arguments or a type's modifiers: extract(year FROM d)
        }
        return Boolean.TRUE.equals(enclosing);
    }

    private static boolean isGroupingKeyword(Token t) {
        return t.type() == Token.Type.WORD && BEFORE_GROUPING.contains(t.folded());
    }

    /** Reads the FROM items starting at {@code start}: {@code a, b AS x, ONLY c *, lateral f(...)}. */
    private static List<SqlName> fromList(List<Token> tokens, int start) {
        List<SqlName> names = new ArrayList<>();
        Cursor c = new Cursor(tokens.subList(Math.min(start, tokens.size()), tokens.size()));
        while (true) {
            c.accept("only");
            c.accept("lateral");
            SqlName name = c.name();
            if (name == null) {
                return names; // a subquery or something else: the caller's walk sees inside it
            }
            if (c.atSymbol("(")) {
                c.skipGroup(); // a set-returning function, not a relation
            } else {
                names.add(name);
            }
            c.acceptSymbol("*");
            c.accept("as");
            if (c.atName() && !(c.peek().type() == Token.Type.WORD && NOT_ALIASES.contains(c.peek().folded()))) {
                c.next();
                c.skipGroup();
            }
            if (!c.acceptSymbol(",")) {
                return names;
            }
        }
    }
}
