package io.querk.internal.sql;

import java.util.ArrayList;
import java.util.List;

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
