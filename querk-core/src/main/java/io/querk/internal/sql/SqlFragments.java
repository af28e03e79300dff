package io.querk.internal.sql;

import java.util.List;

/**
 * Checks the SQL fragments a user writes into the DSL (types, default and check
 * expressions, predicates) before they are spliced into a statement: one fragment must be
 * one well-formed piece of a statement, never a second statement smuggled in after a
 * semicolon, and its brackets and quotes must balance so that what follows it in the
 * rendered statement still means what Querk intends.
 */
public final class SqlFragments {

    private SqlFragments() {
    }

    /**
     * Returns the trimmed fragment if it is well formed, else a description of what is wrong.
     *
     * @param fragment the user's SQL fragment
     * @return {@code null} if acceptable, else the problem in words
     */
    public static String problem(String fragment) {
        if (fragment == null || fragment.isBlank()) {
            return "it is empty";
        }
        List<Token> tokens;
        try {
            tokens = SqlLexer.tokenize(fragment);
        } catch (SqlSyntaxException e) {
            return e.getMessage() + " at " + SqlStatements.position(fragment, e.offset());
        }
        java.util.ArrayDeque<String> open = new java.util.ArrayDeque<>();
        for (Token t : tokens) {
            if (t.type() == Token.Type.COMMENT) {
                return "it contains a comment (" + abbreviate(t.text()) + "); remove it";
            }
            if (t.is(";")) {
                return "it contains a ';' at " + SqlStatements.position(fragment, t.offset())
                        + "; a fragment must be a single expression, not a statement";
            }
            if (t.is("(") || t.is("[")) {
                open.push(t.is("(") ? ")" : "]");
            } else if (t.is(")") || t.is("]")) {
                if (open.isEmpty()) {
                    return "it closes a bracket it never opened at " + SqlStatements.position(fragment, t.offset());
                }
                String expected = open.pop();
                if (!expected.equals(t.text())) {
                    return "its brackets do not balance: " + t.text() + " at "
                            + SqlStatements.position(fragment, t.offset()) + " where " + expected + " was due";
                }
            }
        }
        if (!open.isEmpty()) {
            return "its brackets do not balance: " + open.size() + " left open";
        }
        return null;
    }

    private static String abbreviate(String s) {
        return s.length() <= 20 ? s : s.substring(0, 20) + "...";
    }
}
