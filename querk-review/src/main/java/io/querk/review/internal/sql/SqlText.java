package io.querk.review.internal.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * The user's SQL as tokens, with positions and bracket depth: enough to find one statement's
 * clauses, its parameters and a few shapes a rewrite replaces. What the query means is read from
 * the server's plan; this only knows where things are in the text. Strings, quoted names, dollar
 * quotes and comments are tokens of their own, so nothing inside them is mistaken for SQL.
 */
public final class SqlText {

    /** A token's kind. */
    public enum Kind { WORD, QUOTED_NAME, STRING, NUMBER, PARAM, OPERATOR, PUNCT }

    /**
     * One token.
     *
     * @param kind  its kind
     * @param text  its text exactly as written
     * @param start offset of its first character
     * @param end   offset after its last character
     * @param depth how many brackets enclose it (a bracket itself counts as outside)
     */
    public record Token(Kind kind, String text, int start, int end, int depth) {

        /** @return true if this is the keyword or name {@code w}, case-insensitive */
        public boolean is(String w) {
            return kind == Kind.WORD && text.equalsIgnoreCase(w);
        }

        /** @return true for the punctuation or operator {@code p} */
        public boolean isPunct(String p) {
            return (kind == Kind.PUNCT || kind == Kind.OPERATOR) && text.equals(p);
        }

        /** @return the word lower-cased, or the text */
        public String folded() {
            return kind == Kind.WORD ? text.toLowerCase(Locale.ROOT) : text;
        }
    }

    private final String sql;
    private final List<Token> tokens;

    private SqlText(String sql, List<Token> tokens) {
        this.sql = sql;
        this.tokens = List.copyOf(tokens);
    }

    /**
     * @param sql the text
     * @return its tokens
     * @throws IllegalArgumentException naming the offset of an unterminated string, quoted name,
     *                                  dollar quote or comment
     */
    public static SqlText of(String sql) {
        return new SqlText(sql, new Lexer(sql).run());
    }

    /** @return the text */
    public String sql() {
        return sql;
    }

    /** @return the tokens, in order */
    public List<Token> tokens() {
        return tokens;
    }

    /** @return the highest {@code $n} in the text, 0 if none */
    public int maxParameter() {
        return tokens.stream().filter(t -> t.kind == Kind.PARAM).mapToInt(t -> Integer.parseInt(t.text.substring(1)))
                .max().orElse(0);
    }

    /**
     * @return the offset of a {@code ;} at the top level followed by more SQL, or -1: the text
     *         holds more than one statement
     */
    public int secondStatementAt() {
        for (int i = 0; i < tokens.size(); i++) {
            if (tokens.get(i).isPunct(";") && i + 1 < tokens.size() && !tokens.get(i + 1).isPunct(";")) {
                return tokens.get(i + 1).start;
            }
        }
        return -1;
    }

    /** @return the text without trailing semicolons and white space */
    public String withoutTrailingSemicolons() {
        int end = sql.length();
        for (int i = tokens.size() - 1; i >= 0 && tokens.get(i).isPunct(";"); i--) {
            end = tokens.get(i).start;
        }
        return sql.substring(0, end).strip();
    }

    /** @return the first word of the statement, lower-cased, after any opening brackets; or "" */
    public String firstWord() {
        for (Token t : tokens) {
            if (t.isPunct("(")) {
                continue;
            }
            return t.kind == Kind.WORD ? t.folded() : "";
        }
        return "";
    }

    /**
     * @return the columns an {@code UPDATE}'s SET list assigns (lower-cased unless quoted), or none
     *         for another statement
     */
    public java.util.Set<String> updatedColumns() {
        java.util.Set<String> out = new java.util.LinkedHashSet<>();
        if (!firstWord().equals("update")) {
            return out;
        }
        int set = find(0, 0, "set");
        if (set < 0) {
            return out;
        }
        for (int i = set + 1; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            if (t.depth() == 0 && (t.is("from") || t.is("where") || t.is("returning"))) {
                break;
            }
            boolean name = t.kind() == Kind.WORD || t.kind() == Kind.QUOTED_NAME;
            boolean assigned = i + 1 < tokens.size() && tokens.get(i + 1).isPunct("=") && t.depth() == 0;
            boolean inRow = t.depth() == 1 && i > set + 1 && tokens.get(set + 1).isPunct("(") && rowTarget(set + 1, i);
            if (name && (assigned || inRow)) {
                out.add(t.kind() == Kind.WORD ? t.folded() : t.text().substring(1, t.text().length() - 1).replace("\"\"", "\""));
            }
        }
        return out;
    }

    /** Whether token {@code i} lies in the target list {@code (a, b)} of {@code SET (a, b) = (...)}. */
    private boolean rowTarget(int open, int i) {
        int close = closing(open);
        return close > i && close + 1 < tokens.size() && tokens.get(close + 1).isPunct("=");
    }

    /**
     * @param replacement the SQL to put in place of each {@code $n}
     * @return the text with every parameter replaced
     */
    public String replaceParameters(IntFunction<String> replacement) {
        StringBuilder b = new StringBuilder();
        int at = 0;
        for (Token t : tokens) {
            if (t.kind == Kind.PARAM) {
                b.append(sql, at, t.start).append(replacement.apply(Integer.parseInt(t.text.substring(1))));
                at = t.end;
            }
        }
        return b.append(sql.substring(at)).toString();
    }

    /**
     * @param from the first token's index
     * @param to   the index after the last token
     * @return the original text those tokens span, comments and spacing included
     */
    public String text(int from, int to) {
        if (from >= to) {
            return "";
        }
        return sql.substring(tokens.get(from).start, tokens.get(to - 1).end);
    }

    /**
     * @param from  where to start
     * @param depth the bracket depth the word must be at
     * @param words the words to look for
     * @return the index of the first token at {@code depth} that is one of {@code words}, or -1
     */
    public int find(int from, int depth, String... words) {
        for (int i = from; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            if (t.depth < depth) {
                return -1;
            }
            if (t.depth == depth) {
                for (String w : words) {
                    if (t.is(w)) {
                        return i;
                    }
                }
            }
        }
        return -1;
    }

    /** @return the index of the bracket closing the one at {@code open} */
    public int closing(int open) {
        int d = tokens.get(open).depth;
        for (int i = open + 1; i < tokens.size(); i++) {
            if (tokens.get(i).isPunct(")") && tokens.get(i).depth == d) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Line and column (from 1) of an offset, for messages.
     *
     * @param offset a character offset into the text
     * @return e.g. {@code line 2, column 7}
     */
    public String lineAndColumn(int offset) {
        int line = 1;
        int col = 1;
        for (int i = 0; i < Math.min(offset, sql.length()); i++) {
            if (sql.charAt(i) == '\n') {
                line++;
                col = 1;
            } else {
                col++;
            }
        }
        return "line " + line + ", column " + col;
    }

    /** The words a statement's top-level clauses start with. */
    public static final Map<String, String> CLAUSES = Map.of("where", "WHERE", "group", "GROUP BY", "having", "HAVING",
            "window", "WINDOW", "order", "ORDER BY", "limit", "LIMIT", "offset", "OFFSET", "fetch", "FETCH", "for", "FOR");

    private static final class Lexer {
        private final String s;
        private int i;
        private int depth;
        private final List<Token> out = new ArrayList<>();

        Lexer(String s) {
            this.s = s;
        }

        List<Token> run() {
            while (i < s.length()) {
                char c = s.charAt(i);
                int start = i;
                if (Character.isWhitespace(c)) {
                    i++;
                } else if (c == '-' && s.startsWith("--", i)) {
                    while (i < s.length() && s.charAt(i) != '\n') {
                        i++;
                    }
                } else if (c == '/' && s.startsWith("/*", i)) {
                    blockComment();
                } else if (c == '\'') {
                    quoted('\'', start, Kind.STRING, false);
                } else if ((c == 'E' || c == 'e') && next(1) == '\'') {
                    i++;
                    quoted('\'', start, Kind.STRING, true);
                } else if ((c == 'B' || c == 'b' || c == 'X' || c == 'x' || c == 'N' || c == 'n') && next(1) == '\'') {
                    i++;
                    quoted('\'', start, Kind.STRING, false);
                } else if ((c == 'U' || c == 'u') && next(1) == '&' && (next(2) == '\'' || next(2) == '"')) {
                    i += 2;
                    quoted(s.charAt(i), start, s.charAt(i) == '"' ? Kind.QUOTED_NAME : Kind.STRING, false);
                } else if (c == '"') {
                    quoted('"', start, Kind.QUOTED_NAME, false);
                } else if (c == '$' && Character.isDigit(next(1))) {
                    i++;
                    while (i < s.length() && Character.isDigit(s.charAt(i))) {
                        i++;
                    }
                    add(Kind.PARAM, start);
                } else if (c == '$' && dollarTag() != null) {
                    dollarQuoted(start);
                } else if (Character.isLetter(c) || c == '_') {
                    while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_' || s.charAt(i) == '$')) {
                        i++;
                    }
                    add(Kind.WORD, start);
                } else if (Character.isDigit(c) || (c == '.' && Character.isDigit(next(1)))) {
                    while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '.' || s.charAt(i) == '_')) {
                        if ((s.charAt(i) == 'e' || s.charAt(i) == 'E') && (next(1) == '-' || next(1) == '+')) {
                            i++;
                        }
                        i++;
                    }
                    add(Kind.NUMBER, start);
                } else if (c == '(' || c == '[') {
                    i++;
                    add(Kind.PUNCT, start);
                    depth++;
                } else if (c == ')' || c == ']') {
                    depth = Math.max(0, depth - 1);
                    i++;
                    add(Kind.PUNCT, start);
                } else if (c == ':' && next(1) == ':') {
                    i += 2;
                    add(Kind.PUNCT, start);
                } else if (",;.:".indexOf(c) >= 0) {
                    i++;
                    add(Kind.PUNCT, start);
                } else if ("+-*/<>=~!@#%^&|`?".indexOf(c) >= 0) {
                    while (i < s.length() && "+-*/<>=~!@#%^&|`?".indexOf(s.charAt(i)) >= 0
                            && !s.startsWith("--", i) && !s.startsWith("/*", i)) {
                        i++;
                    }
                    add(Kind.OPERATOR, start);
                } else {
                    i++;
                    add(Kind.PUNCT, start);
                }
            }
            return out;
        }

        private char next(int k) {
            return i + k < s.length() ? s.charAt(i + k) : '\0';
        }

        private void add(Kind kind, int start) {
            out.add(new Token(kind, s.substring(start, i), start, i, depth));
        }

        private void quoted(char q, int start, Kind kind, boolean backslashes) {
            i++;
            while (true) {
                if (i >= s.length()) {
                    throw new IllegalArgumentException("an unterminated " + (q == '"' ? "quoted name" : "string")
                            + " starts at offset " + start);
                }
                char c = s.charAt(i++);
                if (backslashes && c == '\\') {
                    i++;
                } else if (c == q) {
                    if (i < s.length() && s.charAt(i) == q) {
                        i++;
                    } else {
                        break;
                    }
                }
            }
            add(kind, start);
        }

        private void blockComment() {
            int start = i;
            int nest = 0;
            while (i < s.length()) {
                if (s.startsWith("/*", i)) {
                    nest++;
                    i += 2;
                } else if (s.startsWith("*/", i)) {
                    nest--;
                    i += 2;
                    if (nest == 0) {
                        return;
                    }
                } else {
                    i++;
                }
            }
            throw new IllegalArgumentException("an unterminated comment starts at offset " + start);
        }

        private String dollarTag() {
            int j = i + 1;
            while (j < s.length() && (Character.isLetterOrDigit(s.charAt(j)) || s.charAt(j) == '_')) {
                j++;
            }
            if (j < s.length() && s.charAt(j) == '$' && (j == i + 1 || !Character.isDigit(s.charAt(i + 1)))) {
                return s.substring(i, j + 1);
            }
            return null;
        }

        private void dollarQuoted(int start) {
            String tag = dollarTag();
            int close = s.indexOf(tag, i + tag.length());
            if (close < 0) {
                throw new IllegalArgumentException("an unterminated dollar quote " + tag + " starts at offset " + start);
            }
            i = close + tag.length();
            add(Kind.STRING, start);
        }
    }
}
