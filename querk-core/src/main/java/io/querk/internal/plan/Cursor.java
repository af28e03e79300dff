package io.querk.internal.plan;

import io.querk.internal.sql.Token;

import java.util.ArrayList;
import java.util.List;

/**
 * A read position in a statement's tokens, with the few moves the rule classes need. Reading
 * past the end yields an empty sentinel token instead of throwing, so that a truncated or
 * garbled statement degrades into "not recognised" rather than an exception.
 */
final class Cursor {

    /** Returned past the end: matches no word and no symbol. */
    static final Token END = new Token(Token.Type.PUNCTUATION, "", -1);

    private final List<Token> tokens;
    private int pos;

    Cursor(List<Token> tokens) {
        List<Token> kept = new ArrayList<>(tokens.size());
        for (Token t : tokens) {
            if (t != null && t.type() != Token.Type.COMMENT) {
                kept.add(t);
            }
        }
        this.tokens = kept;
    }

    Token peek() {
        return peek(0);
    }

    Token peek(int ahead) {
        int i = pos + ahead;
        return i >= 0 && i < tokens.size() ? tokens.get(i) : END;
    }

    Token previous() {
        return peek(-1);
    }

    Token next() {
        Token t = peek();
        if (pos < tokens.size()) {
            pos++;
        }
        return t;
    }

    boolean atEnd() {
        return pos >= tokens.size();
    }

    int mark() {
        return pos;
    }

    void reset(int mark) {
        pos = Math.max(0, Math.min(mark, tokens.size()));
    }

    /** @return true if the next tokens are these words, in order (case-insensitive) */
    boolean at(String... words) {
        for (int i = 0; i < words.length; i++) {
            if (!peek(i).isWord(words[i])) {
                return false;
            }
        }
        return true;
    }

    /** Consumes the words if the next tokens are exactly them. */
    boolean accept(String... words) {
        if (at(words)) {
            pos += words.length;
            return true;
        }
        return false;
    }

    boolean atSymbol(String symbol) {
        return peek().is(symbol);
    }

    boolean acceptSymbol(String symbol) {
        if (atSymbol(symbol)) {
            pos++;
            return true;
        }
        return false;
    }

    /** @return true if the next token can start a name */
    boolean atName() {
        return SqlName.isNamePart(peek());
    }

    /**
     * Reads {@code name}, {@code schema.name} or {@code db.schema.name}.
     *
     * @return the name, or null (consuming nothing) if no name starts here
     */
    SqlName name() {
        if (!atName()) {
            return null;
        }
        List<Token> parts = new ArrayList<>();
        parts.add(next());
        while (atSymbol(".") && SqlName.isNamePart(peek(1))) {
            next();
            parts.add(next());
        }
        return SqlName.of(parts);
    }

    /** Skips a bracketed group if one starts here ({@code (...)} or {@code [...]}), nested ones included. */
    void skipGroup() {
        if (!atSymbol("(") && !atSymbol("[")) {
            return;
        }
        int depth = 0;
        while (!atEnd()) {
            Token t = next();
            if (t.is("(") || t.is("[")) {
                depth++;
            } else if (t.is(")") || t.is("]")) {
                depth--;
                if (depth == 0) {
                    return;
                }
            }
        }
    }

    /** @return the tokens of the bracketed group starting here, without its brackets; consumes it */
    List<Token> group() {
        int start = pos;
        skipGroup();
        int end = pos;
        if (end - start < 2) {
            return List.of();
        }
        boolean closed = tokens.get(end - 1).is(")") || tokens.get(end - 1).is("]");
        return List.copyOf(tokens.subList(start + 1, closed ? end - 1 : end));
    }

    /** @return the remaining tokens, from here to the end */
    List<Token> rest() {
        return List.copyOf(tokens.subList(Math.min(pos, tokens.size()), tokens.size()));
    }

    /** Moves to the end. */
    void finish() {
        pos = tokens.size();
    }

    /** @return the remaining tokens split at commas outside brackets; the cursor moves to the end */
    List<Cursor> splitAtTopLevelCommas() {
        List<Cursor> parts = new ArrayList<>();
        List<Token> current = new ArrayList<>();
        int depth = 0;
        while (!atEnd()) {
            Token t = next();
            if (t.is("(") || t.is("[")) {
                depth++;
            } else if ((t.is(")") || t.is("]")) && depth > 0) {
                depth--;
            }
            if (t.is(",") && depth == 0) {
                parts.add(new Cursor(current));
                current = new ArrayList<>();
            } else {
                current.add(t);
            }
        }
        parts.add(new Cursor(current));
        return parts;
    }

    /** @return true if the word occurs among the remaining tokens, inside brackets or not */
    boolean containsWord(String word) {
        for (int i = pos; i < tokens.size(); i++) {
            if (tokens.get(i).isWord(word)) {
                return true;
            }
        }
        return false;
    }

    /** @return true if the word occurs among the remaining tokens outside any brackets */
    boolean containsWordOutsideBrackets(String word) {
        int depth = 0;
        for (int i = pos; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            if (t.is("(") || t.is("[")) {
                depth++;
            } else if (t.is(")") || t.is("]")) {
                depth = Math.max(0, depth - 1);
            } else if (depth == 0 && t.isWord(word)) {
                return true;
            }
        }
        return false;
    }

    /** Moves just past the next occurrence of the word outside brackets; returns false (at the end) if none. */
    boolean skipPastOutsideBrackets(String word) {
        int depth = 0;
        while (!atEnd()) {
            Token t = next();
            if (t.is("(") || t.is("[")) {
                depth++;
            } else if (t.is(")") || t.is("]")) {
                depth = Math.max(0, depth - 1);
            } else if (depth == 0 && t.isWord(word)) {
                return true;
            }
        }
        return false;
    }

    /** @return the given tokens as text for messages, spaced as people write SQL: {@code gen_random_uuid()} */
    static String text(List<Token> tokens) {
        StringBuilder sb = new StringBuilder();
        Token prev = null;
        for (Token t : tokens) {
            if (prev != null && spaceBetween(prev, t)) {
                sb.append(' ');
            }
            sb.append(t.text());
            prev = t;
        }
        return sb.toString();
    }

    private static boolean spaceBetween(Token prev, Token t) {
        if (prev.is("(") || prev.is("[") || prev.is(".") || prev.is("::")) {
            return false;
        }
        if (t.is(")") || t.is("]") || t.is(",") || t.is(".") || t.is("::")) {
            return false;
        }
        // A call or a type modifier: name(...) rather than name (...).
        return !(t.is("(") && SqlName.isNamePart(prev));
    }
}
