package io.querk.internal.sql;

import java.util.Locale;

/**
 * One lexical token of PostgreSQL SQL.
 *
 * @param type   what kind of token
 * @param text   the token exactly as written
 * @param offset where it starts in the source, counted in chars from 0
 */
public record Token(Type type, String text, int offset) {

    /** Token kinds, as coarse as the checks that read them need. */
    public enum Type {
        /** An unquoted identifier or keyword. */
        WORD,
        /** A double-quoted identifier (also {@code U&"..."}). */
        QUOTED_IDENTIFIER,
        /** A string constant of any form: '...', E'...', U&'...', B'...', X'...', $tag$...$tag$. */
        STRING,
        /** A numeric constant. */
        NUMBER,
        /** A positional parameter such as {@code $1}. */
        PARAMETER,
        /** An operator such as {@code =}, {@code ::} or {@code ||}. */
        OPERATOR,
        /** One of {@code ( ) [ ] , . ; :}. */
        PUNCTUATION,
        /** A {@code --} or {@code /* *}{@code /} comment. */
        COMMENT
    }

    /** @return true if this is the unquoted word {@code keyword}, compared without case */
    public boolean isWord(String keyword) {
        return type == Type.WORD && text.equalsIgnoreCase(keyword);
    }

    /** @return true if this is the punctuation or operator {@code symbol} */
    public boolean is(String symbol) {
        return (type == Type.PUNCTUATION || type == Type.OPERATOR) && text.equals(symbol);
    }

    /** @return the word folded to lower case as PostgreSQL folds unquoted names */
    public String folded() {
        return type == Type.WORD ? text.toLowerCase(Locale.ROOT) : text;
    }

    /** @return true if this token can be (part of) a name: a word or a quoted identifier */
    public boolean isNamePart() {
        return type == Type.WORD || type == Type.QUOTED_IDENTIFIER;
    }

    /**
     * @return the catalog form of a name part: a word folded to lower case, a quoted identifier
     *         unquoted ({@code U&"..."} escapes are left as written: rare in DDL, harmless in messages)
     */
    public String catalogName() {
        if (type != Type.QUOTED_IDENTIFIER) {
            return text.toLowerCase(Locale.ROOT);
        }
        String s = text;
        if (s.length() > 2 && (s.charAt(0) == 'U' || s.charAt(0) == 'u') && s.charAt(1) == '&') {
            s = s.substring(2);
        }
        if (s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"")) {
            s = s.substring(1, s.length() - 1);
        }
        return s.replace("\"\"", "\"");
    }

    /** @return the offset just past the token's end */
    public int end() {
        return offset + text.length();
    }
}
