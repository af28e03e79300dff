package io.querk.review.internal.plan;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Parses the expressions PostgreSQL deparses into plans ({@code ruleutils.c}'s output): fully
 * parenthesised operators, qualified columns, constants with their casts. That form is regular
 * enough for a small recursive-descent reader. What it cannot read becomes {@link Expr.Opaque}:
 * {@link #parse} never throws.
 */
public final class ExprParser {

    /** Words that continue a multi-word type name after its first word. */
    private static final Set<String> TYPE_WORDS = Set.of("with", "without", "time", "zone", "varying", "precision");
    /** SQL value functions the deparser writes without parentheses. */
    private static final Set<String> VALUE_FUNCTIONS = Set.of("current_date", "current_time", "current_timestamp",
            "localtime", "localtimestamp", "current_user", "session_user", "current_role", "current_catalog",
            "current_schema", "user");

    private final String s;
    private int i;

    private ExprParser(String s) {
        this.s = s;
    }

    /**
     * @param text a deparsed expression, e.g. a plan's {@code Filter}
     * @return the expression; {@link Expr.Opaque} holding the text where it could not be read
     */
    public static Expr parse(String text) {
        ExprParser p = new ExprParser(text);
        try {
            Expr e = p.or();
            p.ws();
            if (p.i != p.s.length()) {
                return new Expr.Opaque(text);
            }
            return e;
        } catch (RuntimeException e) {
            return new Expr.Opaque(text);
        }
    }

    /**
     * Parses a sort key such as {@code s.created_at DESC NULLS LAST}.
     *
     * @param text the key as a plan's {@code Sort Key} shows it
     * @return the key
     */
    public static SortKey parseSortKey(String text) {
        String t = text.strip();
        boolean nullsFirst = false;
        boolean nullsExplicit = false;
        String upper = t.toUpperCase(Locale.ROOT);
        if (upper.endsWith(" NULLS FIRST")) {
            nullsFirst = true;
            nullsExplicit = true;
            t = t.substring(0, t.length() - " NULLS FIRST".length()).strip();
        } else if (upper.endsWith(" NULLS LAST")) {
            nullsExplicit = true;
            t = t.substring(0, t.length() - " NULLS LAST".length()).strip();
        }
        boolean desc = false;
        upper = t.toUpperCase(Locale.ROOT);
        if (upper.endsWith(" DESC")) {
            desc = true;
            t = t.substring(0, t.length() - 5).strip();
        } else if (upper.endsWith(" ASC")) {
            t = t.substring(0, t.length() - 4).strip();
        }
        if (upper.contains(" USING ")) {
            return new SortKey(new Expr.Opaque(text), desc, false);
        }
        // The defaults: ASC NULLS LAST and DESC NULLS FIRST, which a b-tree read forwards or
        // backwards yields; any other combination needs an index declared that way.
        boolean defaultNulls = !nullsExplicit || nullsFirst == desc;
        return new SortKey(parse(t), desc, defaultNulls);
    }

    /**
     * One sort key.
     *
     * @param expr         the sorted expression
     * @param descending   DESC
     * @param defaultNulls NULLS LAST for ASC, NULLS FIRST for DESC (what a plain b-tree gives)
     */
    public record SortKey(Expr expr, boolean descending, boolean defaultNulls) {
    }

    private Expr or() {
        Expr first = and();
        List<Expr> terms = null;
        while (word("or")) {
            if (terms == null) {
                terms = new ArrayList<>(List.of(first));
            }
            terms.add(and());
        }
        return terms == null ? first : new Expr.Bool(true, terms);
    }

    private Expr and() {
        Expr first = not();
        List<Expr> terms = null;
        while (word("and")) {
            if (terms == null) {
                terms = new ArrayList<>(List.of(first));
            }
            terms.add(not());
        }
        return terms == null ? first : new Expr.Bool(false, terms);
    }

    private Expr not() {
        if (word("not")) {
            return new Expr.Not(not());
        }
        return binary();
    }

    private Expr binary() {
        Expr left = unary();
        while (true) {
            ws();
            int save = i;
            String op = operator();
            if (op == null) {
                String w = peekWord();
                // Keyword operators the deparser uses between operands.
                if (w != null && (w.equals("is") || w.equals("and") || w.equals("or") || w.equals("then")
                        || w.equals("else") || w.equals("end") || w.equals("when") || w.equals("from")
                        || w.equals("desc") || w.equals("asc") || w.equals("nulls"))) {
                    return left;
                }
                if (w != null && w.equals("collate")) {
                    word("collate");
                    ws();
                    left = new Expr.Collate(left, qualifiedName());
                    continue;
                }
                return left;
            }
            ws();
            if (peekWord() != null && (peekWord().equals("any") || peekWord().equals("all"))) {
                boolean all = peekWord().equals("all");
                int afterOp = i;
                word(all ? "all" : "any");
                ws();
                if (peek() == '(') {
                    i++;
                    Expr array = or();
                    expect(')');
                    left = new Expr.AnyAll(op, all, left, array);
                    continue;
                }
                i = afterOp;
            }
            if (i == save) {
                return left;
            }
            left = new Expr.Op(op, left, unary());
        }
    }

    private Expr unary() {
        ws();
        int save = i;
        String op = operator();
        if (op != null && (op.equals("-") || op.equals("+") || op.equals("~") || op.equals("@"))) {
            ws();
            char c = peek();
            if (op.equals("-") && Character.isDigit(c)) {
                i = save + 1;
                Expr n = number();
                return postfix(new Expr.Const("-" + ((Expr.Const) n).value(), null, false));
            }
            return new Expr.Op(op, null, unary());
        }
        i = save;
        return postfix(primary());
    }

    private Expr postfix(Expr e) {
        while (true) {
            ws();
            if (s.startsWith("::", i)) {
                i += 2;
                ws();
                String type = type();
                if (e instanceof Expr.Const c && c.type() == null) {
                    e = new Expr.Const(c.value(), type, c.quoted());
                } else {
                    e = new Expr.Cast(e, type);
                }
            } else if (peek() == '[') {
                int start = i;
                skipBalanced('[', ']');
                e = new Expr.Opaque(e.sql() + s.substring(start, i));
            } else if ("is".equals(peekWord())) {
                int save = i;
                word("is");
                ws();
                StringBuilder test = new StringBuilder();
                if (word("not")) {
                    test.append("NOT ");
                }
                String w = peekWord();
                if (w != null && Set.of("null", "true", "false", "unknown").contains(w)) {
                    word(w);
                    test.append(w.toUpperCase(Locale.ROOT));
                    e = new Expr.Is(e, test.toString());
                } else if (w != null && w.equals("distinct")) {
                    i = save;
                    return e;
                } else {
                    i = save;
                    return e;
                }
            } else {
                return e;
            }
        }
    }

    private Expr primary() {
        ws();
        char c = peek();
        if (c == '(') {
            i++;
            Expr first = or();
            ws();
            if (peek() == ',') {
                List<Expr> items = new ArrayList<>(List.of(first));
                while (peek() == ',') {
                    i++;
                    items.add(or());
                    ws();
                }
                expect(')');
                return new Expr.Items(true, items);
            }
            expect(')');
            return first;
        }
        if (c == '\'') {
            return new Expr.Const(string(false), null, true);
        }
        if ((c == 'E' || c == 'e') && i + 1 < s.length() && s.charAt(i + 1) == '\'') {
            i++;
            return new Expr.Const(string(true), null, true);
        }
        if (Character.isDigit(c) || (c == '.' && i + 1 < s.length() && Character.isDigit(s.charAt(i + 1)))) {
            return number();
        }
        if (c == '$') {
            i++;
            int start = i;
            while (i < s.length() && Character.isDigit(s.charAt(i))) {
                i++;
            }
            return new Expr.Param(Integer.parseInt(s.substring(start, i)));
        }
        if (c == '"' || isIdentStart(c)) {
            return nameOrCall();
        }
        throw new IllegalStateException("unexpected '" + c + "' at " + i);
    }

    private Expr nameOrCall() {
        int start = i;
        String w = peekWord();
        if (w != null) {
            switch (w) {
                case "null" -> {
                    word("null");
                    return new Expr.Const(null, null, false);
                }
                case "true", "false" -> {
                    word(w);
                    return new Expr.Const(w, null, false);
                }
                case "array" -> {
                    word("array");
                    ws();
                    if (peek() == '[') {
                        i++;
                        List<Expr> items = new ArrayList<>();
                        ws();
                        if (peek() != ']') {
                            items.add(or());
                            ws();
                            while (peek() == ',') {
                                i++;
                                items.add(or());
                                ws();
                            }
                        }
                        expect(']');
                        return new Expr.Items(false, items);
                    }
                    i = start;
                }
                case "case" -> {
                    skipCase();
                    return new Expr.Opaque(s.substring(start, i));
                }
                case "hashed", "subplan", "initplan", "alternatives" -> {
                    // "hashed SubPlan 1", "SubPlan 2", "(alternatives: SubPlan 1 or hashed SubPlan 2)"
                    while (i < s.length() && s.charAt(i) != ')' && s.charAt(i) != ',') {
                        if (s.startsWith(" AND ", i) || s.startsWith(" OR ", i)) {
                            break;
                        }
                        i++;
                    }
                    return new Expr.Opaque(s.substring(start, i).strip());
                }
                case "row" -> {
                    word("row");
                    ws();
                    if (peek() == '(') {
                        return new Expr.Items(true, args());
                    }
                    i = start;
                }
                case "extract" -> {
                    word("extract");
                    ws();
                    if (peek() == '(') {
                        i++;
                        ws();
                        String field = ident();
                        ws();
                        if (!word("from")) {
                            throw new IllegalStateException("FROM expected in EXTRACT");
                        }
                        Expr from = or();
                        expect(')');
                        return new Expr.Func("EXTRACT", List.of(new Expr.Const(field, null, false), from));
                    }
                    i = start;
                }
                default -> {
                    if (VALUE_FUNCTIONS.contains(w)) {
                        int save = i;
                        word(w);
                        ws();
                        if (peek() != '(' && peek() != '.') {
                            return new Expr.Func(s.substring(start, i).strip(), List.of());
                        }
                        i = save;
                    }
                }
            }
        }
        List<String> parts = new ArrayList<>();
        parts.add(ident());
        while (peek() == '.') {
            i++;
            if (peek() == '*') {
                i++;
                return new Expr.Opaque(s.substring(start, i));
            }
            parts.add(ident());
        }
        ws();
        if (peek() == '(') {
            String name = String.join(".", parts);
            return new Expr.Func(name, args());
        }
        if (parts.size() == 1) {
            return new Expr.Col(null, parts.get(0));
        }
        return new Expr.Col(parts.get(parts.size() - 2), parts.get(parts.size() - 1));
    }

    private List<Expr> args() {
        expect('(');
        List<Expr> args = new ArrayList<>();
        ws();
        if (peek() == ')') {
            i++;
            return args;
        }
        int start = i;
        try {
            args.add(or());
            ws();
            while (peek() == ',') {
                i++;
                args.add(or());
                ws();
            }
            expect(')');
            return args;
        } catch (RuntimeException e) {
            // Named arguments, VARIADIC, aggregate ORDER BY ...: keep the call, unread.
            i = start - 1;
            skipBalanced('(', ')');
            return List.of(new Expr.Opaque(s.substring(start, i - 1)));
        }
    }

    private String type() {
        StringBuilder b = new StringBuilder(qualifiedName());
        while (true) {
            int save = i;
            ws();
            String w = peekWord();
            if (w != null && TYPE_WORDS.contains(w)) {
                word(w);
                b.append(' ').append(w);
            } else {
                i = save;
                break;
            }
        }
        if (peek() == '(') {
            int start = i;
            skipBalanced('(', ')');
            b.append(s, start, i);
        }
        while (s.startsWith("[]", i)) {
            b.append("[]");
            i += 2;
        }
        return b.toString();
    }

    private String qualifiedName() {
        int start = i;
        ident();
        while (peek() == '.') {
            i++;
            ident();
        }
        return s.substring(start, i);
    }

    /** @return an identifier, unquoted; a plain one folded as the server shows it */
    private String ident() {
        ws();
        if (peek() == '"') {
            i++;
            StringBuilder b = new StringBuilder();
            while (true) {
                if (i >= s.length()) {
                    throw new IllegalStateException("unterminated quoted identifier");
                }
                char c = s.charAt(i++);
                if (c == '"') {
                    if (peek() == '"') {
                        b.append('"');
                        i++;
                        continue;
                    }
                    return b.toString();
                }
                b.append(c);
            }
        }
        int start = i;
        if (!isIdentStart(peek())) {
            throw new IllegalStateException("identifier expected at " + i);
        }
        while (i < s.length() && isIdentPart(s.charAt(i))) {
            i++;
        }
        return s.substring(start, i);
    }

    private String string(boolean escapes) {
        expect('\'');
        StringBuilder b = new StringBuilder();
        while (true) {
            if (i >= s.length()) {
                throw new IllegalStateException("unterminated string");
            }
            char c = s.charAt(i++);
            if (c == '\'') {
                if (peek() == '\'') {
                    b.append('\'');
                    i++;
                    continue;
                }
                return b.toString();
            }
            if (escapes && c == '\\' && i < s.length()) {
                char e = s.charAt(i++);
                b.append(switch (e) {
                    case 'n' -> '\n';
                    case 't' -> '\t';
                    case 'r' -> '\r';
                    default -> e;
                });
                continue;
            }
            b.append(c);
        }
    }

    private Expr number() {
        int start = i;
        while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.'
                || ((s.charAt(i) == 'e' || s.charAt(i) == 'E') && i + 1 < s.length()
                && (Character.isDigit(s.charAt(i + 1)) || s.charAt(i + 1) == '-' || s.charAt(i + 1) == '+')))) {
            if ((s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
                i++;
            }
            i++;
        }
        return new Expr.Const(s.substring(start, i), null, false);
    }

    /** @return an operator made of operator characters, or null */
    private String operator() {
        int start = i;
        while (i < s.length() && "+-*/<>=~!@#%^&|`?".indexOf(s.charAt(i)) >= 0) {
            i++;
        }
        if (i == start) {
            return null;
        }
        return s.substring(start, i);
    }

    private void skipCase() {
        int depth = 0;
        while (i < s.length()) {
            String w = peekWord();
            if (w != null) {
                if (w.equals("case")) {
                    depth++;
                } else if (w.equals("end")) {
                    depth--;
                }
                word(w);
                if (depth == 0) {
                    return;
                }
                continue;
            }
            char c = s.charAt(i);
            if (c == '\'') {
                string(false);
            } else if (c == '"') {
                ident();
            } else {
                i++;
            }
        }
        throw new IllegalStateException("unterminated CASE");
    }

    private void skipBalanced(char open, char close) {
        expect(open);
        int depth = 1;
        while (i < s.length() && depth > 0) {
            char c = s.charAt(i);
            if (c == '\'') {
                string(false);
                continue;
            }
            if (c == '"') {
                ident();
                continue;
            }
            if (c == open) {
                depth++;
            } else if (c == close) {
                depth--;
            }
            i++;
        }
        if (depth != 0) {
            throw new IllegalStateException("unbalanced " + open);
        }
    }

    /** @return the next word, lower-cased, without consuming it, or null */
    private String peekWord() {
        int j = i;
        while (j < s.length() && Character.isWhitespace(s.charAt(j))) {
            j++;
        }
        if (j >= s.length() || !isIdentStart(s.charAt(j))) {
            return null;
        }
        int k = j;
        while (k < s.length() && isIdentPart(s.charAt(k))) {
            k++;
        }
        return s.substring(j, k).toLowerCase(Locale.ROOT);
    }

    /** Consumes the word if it comes next (case-insensitive). */
    private boolean word(String w) {
        String next = peekWord();
        if (!w.equals(next)) {
            return false;
        }
        ws();
        i += w.length();
        return true;
    }

    private void ws() {
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
    }

    private char peek() {
        return i < s.length() ? s.charAt(i) : '\0';
    }

    private void expect(char c) {
        ws();
        if (peek() != c) {
            throw new IllegalStateException("'" + c + "' expected at " + i);
        }
        i++;
    }

    private static boolean isIdentStart(char c) {
        return Character.isLetter(c) || c == '_';
    }

    private static boolean isIdentPart(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '$';
    }
}
