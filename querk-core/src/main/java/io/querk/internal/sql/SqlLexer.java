package io.querk.internal.sql;

import java.util.ArrayList;
import java.util.List;

/**
 * A lexer for PostgreSQL's SQL dialect, faithful to the rules that matter for finding
 * statement boundaries and keywords safely: all string forms (including dollar quotes
 * and E'' escapes), quoted identifiers, nested block comments and positional parameters.
 * It does not parse; {@link SqlStatements} and the safety checks work on its tokens.
 */
public final class SqlLexer {

    private static final String OPERATOR_CHARS = "+-*/<>=~!@#%^&|`?";

    private final String src;
    private int pos;

    private SqlLexer(String src) {
        this.src = src;
    }

    /**
     * Tokenises {@code sql}, comments included.
     *
     * @throws SqlSyntaxException on an unterminated string, identifier or comment
     */
    public static List<Token> tokenize(String sql) {
        return new SqlLexer(sql).run();
    }

    /** Tokenises {@code sql} and drops comments. */
    public static List<Token> tokenizeWithoutComments(String sql) {
        List<Token> all = tokenize(sql);
        List<Token> out = new ArrayList<>(all.size());
        for (Token t : all) {
            if (t.type() != Token.Type.COMMENT) {
                out.add(t);
            }
        }
        return out;
    }

    private List<Token> run() {
        List<Token> tokens = new ArrayList<>();
        while (true) {
            skipWhitespace();
            if (pos >= src.length()) {
                return tokens;
            }
            tokens.add(next());
        }
    }

    private void skipWhitespace() {
        while (pos < src.length() && Character.isWhitespace(src.charAt(pos))) {
            pos++;
        }
    }

    private Token next() {
        int start = pos;
        char c = src.charAt(pos);
        char n = pos + 1 < src.length() ? src.charAt(pos + 1) : '\0';

        if (c == '-' && n == '-') {
            int eol = src.indexOf('\n', pos);
            pos = eol < 0 ? src.length() : eol;
            return token(Token.Type.COMMENT, start);
        }
        if (c == '/' && n == '*') {
            return blockComment(start);
        }
        if (c == '\'') {
            return quoted(start, '\'', false, Token.Type.STRING);
        }
        if (c == '"') {
            return quoted(start, '"', false, Token.Type.QUOTED_IDENTIFIER);
        }
        if ((c == 'E' || c == 'e') && n == '\'') {
            pos++;
            return quoted(start, '\'', true, Token.Type.STRING);
        }
        if ((c == 'B' || c == 'b' || c == 'X' || c == 'x' || c == 'N' || c == 'n') && n == '\'') {
            pos++;
            return quoted(start, '\'', false, Token.Type.STRING);
        }
        if ((c == 'U' || c == 'u') && n == '&' && pos + 2 < src.length()
                && (src.charAt(pos + 2) == '\'' || src.charAt(pos + 2) == '"')) {
            char q = src.charAt(pos + 2);
            pos += 2;
            return quoted(start, q, false, q == '"' ? Token.Type.QUOTED_IDENTIFIER : Token.Type.STRING);
        }
        if (c == '$') {
            return dollar(start);
        }
        if (isIdentStart(c)) {
            pos++;
            while (pos < src.length() && isIdentPart(src.charAt(pos))) {
                pos++;
            }
            return token(Token.Type.WORD, start);
        }
        if (Character.isDigit(c) || (c == '.' && Character.isDigit(n))) {
            return number(start);
        }
        if ("()[],;.".indexOf(c) >= 0) {
            pos++;
            return token(Token.Type.PUNCTUATION, start);
        }
        if (c == ':') {
            pos++;
            if (pos < src.length() && (src.charAt(pos) == ':' || src.charAt(pos) == '=')) {
                pos++;
                return token(Token.Type.OPERATOR, start);
            }
            return token(Token.Type.PUNCTUATION, start);
        }
        if (OPERATOR_CHARS.indexOf(c) >= 0) {
            pos++;
            while (pos < src.length() && OPERATOR_CHARS.indexOf(src.charAt(pos)) >= 0
                    && !startsComment(pos)) {
                pos++;
            }
            return token(Token.Type.OPERATOR, start);
        }
        // Anything else (stray unicode punctuation, say) stands alone; the server will judge it.
        pos++;
        return token(Token.Type.OPERATOR, start);
    }

    private boolean startsComment(int at) {
        if (at + 1 >= src.length()) {
            return false;
        }
        char a = src.charAt(at);
        char b = src.charAt(at + 1);
        return (a == '-' && b == '-') || (a == '/' && b == '*');
    }

    private Token blockComment(int start) {
        int depth = 0;
        while (pos < src.length()) {
            if (src.startsWith("/*", pos)) {
                depth++;
                pos += 2;
            } else if (src.startsWith("*/", pos)) {
                depth--;
                pos += 2;
                if (depth == 0) {
                    return token(Token.Type.COMMENT, start);
                }
            } else {
                pos++;
            }
        }
        throw new SqlSyntaxException("unterminated /* comment", start);
    }

    private Token quoted(int start, char quote, boolean backslashEscapes, Token.Type type) {
        pos++; // opening quote
        while (pos < src.length()) {
            char c = src.charAt(pos);
            if (backslashEscapes && c == '\\') {
                pos += 2;
                continue;
            }
            if (c == quote) {
                if (pos + 1 < src.length() && src.charAt(pos + 1) == quote) {
                    pos += 2;
                    continue;
                }
                pos++;
                return token(type, start);
            }
            pos++;
        }
        String what = type == Token.Type.QUOTED_IDENTIFIER ? "quoted identifier" : "string constant";
        throw new SqlSyntaxException("unterminated " + what, start);
    }

    private Token dollar(int start) {
        int p = pos + 1;
        if (p < src.length() && Character.isDigit(src.charAt(p))) {
            while (p < src.length() && Character.isDigit(src.charAt(p))) {
                p++;
            }
            pos = p;
            return token(Token.Type.PARAMETER, start);
        }
        while (p < src.length() && isDollarTagChar(src.charAt(p))) {
            p++;
        }
        if (p < src.length() && src.charAt(p) == '$') {
            String tag = src.substring(pos, p + 1);
            int close = src.indexOf(tag, p + 1);
            if (close < 0) {
                throw new SqlSyntaxException("unterminated dollar-quoted string " + tag, start);
            }
            pos = close + tag.length();
            return token(Token.Type.STRING, start);
        }
        pos++;
        return token(Token.Type.OPERATOR, start);
    }

    private Token number(int start) {
        while (pos < src.length()) {
            char c = src.charAt(pos);
            if (Character.isLetterOrDigit(c) || c == '_' || c == '.') {
                if (c == '.' && pos + 1 < src.length() && src.charAt(pos + 1) == '.') {
                    break; // a range like 1..2 in array slices
                }
                pos++;
            } else if ((c == '+' || c == '-') && (src.charAt(pos - 1) == 'e' || src.charAt(pos - 1) == 'E')) {
                pos++;
            } else {
                break;
            }
        }
        return token(Token.Type.NUMBER, start);
    }

    private Token token(Token.Type type, int start) {
        return new Token(type, src.substring(start, pos), start);
    }

    private static boolean isIdentStart(char c) {
        return Character.isLetter(c) || c == '_' || c >= 0x80;
    }

    private static boolean isIdentPart(char c) {
        return isIdentStart(c) || Character.isDigit(c) || c == '$';
    }

    private static boolean isDollarTagChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c >= 0x80;
    }
}
