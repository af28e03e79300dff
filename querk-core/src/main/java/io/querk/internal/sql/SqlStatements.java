package io.querk.internal.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Splits SQL text into statements at top-level semicolons. */
public final class SqlStatements {

    private SqlStatements() {
    }

    /**
     * One statement of a script.
     *
     * @param text   the statement without its terminating semicolon, trimmed
     * @param offset where the statement starts in the script
     * @param tokens its tokens, comments excluded
     */
    public record Statement(String text, int offset, List<Token> tokens) {
        public Statement {
            tokens = List.copyOf(tokens);
        }
    }

    /**
     * Splits a script into its statements. Empty statements (a stray {@code ;}) are dropped.
     * The body of a {@code BEGIN ATOMIC ... END} function is kept whole.
     *
     * @throws SqlSyntaxException if the script cannot be tokenised
     */
    public static List<Statement> split(String script) {
        List<Token> tokens = SqlLexer.tokenizeWithoutComments(script);
        List<Statement> out = new ArrayList<>();
        List<Token> current = new ArrayList<>();
        int atomicDepth = 0;
        for (int i = 0; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            if (t.isWord("atomic") && i > 0 && tokens.get(i - 1).isWord("begin")) {
                atomicDepth++;
            } else if (atomicDepth > 0 && t.isWord("case")) {
                atomicDepth++;
            } else if (atomicDepth > 0 && t.isWord("end")) {
                atomicDepth--;
            }
            if (t.is(";") && atomicDepth == 0) {
                flush(script, current, out);
                current = new ArrayList<>();
            } else {
                current.add(t);
            }
        }
        flush(script, current, out);
        return out;
    }

    private static void flush(String script, List<Token> tokens, List<Statement> out) {
        if (tokens.isEmpty()) {
            return;
        }
        int start = tokens.get(0).offset();
        int end = tokens.get(tokens.size() - 1).end();
        out.add(new Statement(script.substring(start, end), start, tokens));
    }

    /** Every word that can begin a PostgreSQL command (the heads of the grammar's stmt rule). */
    private static final Set<String> COMMAND_WORDS = Set.of("abort", "alter", "analyse", "analyze", "begin", "call",
            "checkpoint", "close", "cluster", "comment", "commit", "copy", "create", "deallocate", "declare", "delete",
            "discard", "do", "drop", "end", "execute", "explain", "fetch", "grant", "import", "insert", "listen",
            "load", "lock", "merge", "move", "notify", "prepare", "reassign", "refresh", "reindex", "release", "reset",
            "revoke", "rollback", "savepoint", "security", "select", "set", "show", "start", "table", "truncate",
            "unlisten", "update", "vacuum", "values", "with");

    /**
     * Finds what makes a statement certainly unreadable to PostgreSQL, before any server sees
     * it: a first word no command begins with, or brackets that do not pair up. Anything subtler
     * is the server's to report.
     *
     * @throws SqlSyntaxException at the offending token
     */
    public static void checkShape(Statement statement) {
        List<Token> t = statement.tokens();
        Token first = t.get(0);
        if (!first.is("(") && !(first.type() == Token.Type.WORD && COMMAND_WORDS.contains(first.folded()))) {
            throw new SqlSyntaxException("'" + first.text() + "' does not begin an SQL command", first.offset());
        }
        List<Token> open = new ArrayList<>();
        for (Token k : t) {
            if (k.is("(") || k.is("[")) {
                open.add(k);
            } else if (k.is(")") || k.is("]")) {
                if (open.isEmpty() || open.get(open.size() - 1).is("(") != k.is(")")) {
                    throw new SqlSyntaxException("'" + k.text() + "' closes a bracket that was never opened",
                            k.offset());
                }
                open.remove(open.size() - 1);
            }
        }
        if (!open.isEmpty()) {
            Token k = open.get(open.size() - 1);
            throw new SqlSyntaxException("'" + k.text() + "' is never closed", k.offset());
        }
    }

    /**
     * Turns a char offset into "line L, column C" (both from 1) for messages.
     */
    public static String position(String text, int offset) {
        int line = 1;
        int col = 1;
        for (int i = 0; i < offset && i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                line++;
                col = 1;
            } else {
                col++;
            }
        }
        return "line " + line + ", column " + col;
    }
}
