package io.querk.internal.sql;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the SQL fragments a user writes into the DSL for their role, before they are spliced
 * into a statement, and refuses anything more. A fragment is never trusted to be what its
 * place expects:
 *
 * <ul>
 *   <li>a <b>type</b> is a type and nothing else: a name (schema-qualified or not, the multi-word
 *       built-ins included), its modifiers, array brackets and a collation:
 *       {@code numeric(12,2)}, {@code character varying(40)[]}, {@code timestamp(3) with time zone},
 *       {@code geometry(Point, 4326)}, {@code text COLLATE "C"}. A default, identity, generated
 *       expression, NOT NULL or constraint has a typed option of its own, and a comma can never
 *       add a second column ({@code int, DROP COLUMN name});</li>
 *   <li>an <b>expression</b> (a default, a derivation, a backfill value, a conversion, an index
 *       expression) and a <b>predicate</b> (a WHERE, a CHECK) are one expression: outside brackets
 *       no comma (which would start a second assignment: {@code n, name = 'x'}), and none of the
 *       reserved words that end an expression in a statement ({@code FROM}, {@code WHERE},
 *       {@code RETURNING}, {@code AS}, {@code UNION} ...); inside brackets anything, since the
 *       brackets confine it.</li>
 * </ul>
 *
 * Every fragment is also one well-formed piece of SQL: quotes and brackets balance, and it holds
 * no comment and no {@code ;}. Whether an expression means anything (its columns exist, its types
 * fit, a predicate is boolean) is the server's to say: the engine compiles every fragment against
 * the live table before the first change.
 */
public final class SqlFragments {

    private SqlFragments() {
    }

    /** What a fragment stands for, to name it in a refusal. */
    public enum Role {
        /** A column type. */
        TYPE,
        /** A value: a default, a derivation, a backfill value, a conversion, an index expression. */
        EXPRESSION,
        /** A boolean condition: a WHERE or a CHECK. */
        PREDICATE
    }

    /**
     * Reserved words that may stand outside brackets in an expression: operators spelled as words,
     * literals, CASE, typed literals and the special functions. Every other reserved word ends the
     * expression in the statement Querk renders, so it is refused.
     */
    private static final Set<String> EXPRESSION_WORDS = Set.of("and", "or", "not", "is", "isnull", "notnull",
            "null", "true", "false", "case", "when", "then", "else", "end", "in", "like", "ilike", "similar",
            "between", "symmetric", "asymmetric", "any", "all", "some", "array", "cast", "collate", "overlaps",
            "current_date", "current_time", "current_timestamp", "localtime", "localtimestamp", "current_user",
            "current_role", "current_catalog", "current_schema", "session_user", "system_user", "user",
            "exists", "coalesce", "nullif", "greatest", "least", "extract", "overlay", "position", "substring",
            "trim", "treat", "row", "normalize", "interval", "time", "timestamp", "bigint", "int", "integer",
            "smallint", "numeric", "decimal", "dec", "real", "float", "boolean", "char", "character", "varchar",
            "bit", "national", "nchar", "precision", "json", "json_array", "json_object", "json_scalar",
            "json_exists", "json_query", "json_value", "json_serialize", "xmlconcat", "xmlelement",
            "xmlexists", "xmlforest", "xmlparse", "xmlpi", "xmlroot", "xmlserialize", "xmlattributes",
            "grouping", "left", "right");

    /** Words a type may hold after its first: the multi-word built-in types and interval fields. */
    private static final Set<String> TYPE_WORDS = Set.of("varying", "precision", "with", "without", "time", "zone",
            "year", "month", "day", "hour", "minute", "second", "to", "character", "char", "varchar", "double",
            "national", "bit", "interval", "timestamp");

    /** For a word that starts a column option or constraint inside a type, the typed option to use instead. */
    private static final Map<String, String> INSTEAD_OF_TYPE_WORD = Map.ofEntries(
            Map.entry("default", "a default is an option of its own: defaultValue(...) or volatileDefault(...)"),
            Map.entry("not", "NOT NULL is an option of its own: notNull(), or setNotNull(...) in contract"),
            Map.entry("null", "nullability is an option of its own: notNull(), or setNotNull(...) in contract"),
            Map.entry("generated", "identity and generated columns are options of their own: identity(),"
                    + " identityAlways(), generatedAs(...), or derivedFrom(...) on an existing table"),
            Map.entry("check", "a CHECK is a step of its own: addCheck(...)"),
            Map.entry("constraint", "a constraint is a step of its own: addCheck, addForeignKey, addUnique"),
            Map.entry("references", "a foreign key is a step of its own: addForeignKey(...)"),
            Map.entry("unique", "a unique constraint is a step of its own: addUnique(...) or createUniqueIndex(...)"),
            Map.entry("primary", "a primary key is a step of its own: addPrimaryKey(...)"),
            Map.entry("using", "a conversion is the using argument of changeColumnType(table, column, type, using)"),
            Map.entry("storage", "storage settings are not part of a type; set them with a raw sql(...) step"),
            Map.entry("compression", "compression is not part of a type; set it with a raw sql(...) step"));

    /**
     * The lexical check every fragment passes.
     *
     * @param fragment the user's SQL fragment
     * @return {@code null} if acceptable, else the problem in words
     */
    public static String problem(String fragment) {
        return wellFormed(fragment, null);
    }

    /**
     * Reads a fragment for its role.
     *
     * @param fragment the user's SQL fragment
     * @param role     what it stands for
     * @return {@code null} if it is that and nothing more, else the problem in words
     */
    public static String problem(String fragment, Role role) {
        List<Token> tokens = tokens(fragment);
        String problem = wellFormed(fragment, tokens);
        if (problem != null) {
            return problem;
        }
        return role == Role.TYPE ? typeProblem(fragment, tokens) : expressionProblem(fragment, tokens, role);
    }

    private static List<Token> tokens(String fragment) {
        if (fragment == null || fragment.isBlank()) {
            return null;
        }
        try {
            return SqlLexer.tokenize(fragment);
        } catch (SqlSyntaxException e) {
            return null;
        }
    }

    private static String wellFormed(String fragment, List<Token> tokens) {
        if (fragment == null || fragment.isBlank()) {
            return "it is empty";
        }
        if (tokens == null) {
            try {
                tokens = SqlLexer.tokenize(fragment);
            } catch (SqlSyntaxException e) {
                return e.getMessage() + " at " + SqlStatements.position(fragment, e.offset());
            }
        }
        Deque<String> open = new ArrayDeque<>();
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

    /** One expression: outside brackets, no comma and no reserved word that would end it. */
    private static String expressionProblem(String fragment, List<Token> tokens, Role role) {
        int depth = 0;
        for (int i = 0; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            if (t.is("(") || t.is("[")) {
                depth++;
                continue;
            }
            if (t.is(")") || t.is("]")) {
                depth--;
                continue;
            }
            if (depth > 0) {
                continue;
            }
            String where = " at " + SqlStatements.position(fragment, t.offset());
            if (t.is(",")) {
                return "it holds a ',' outside brackets" + where + ", which would start another "
                        + (role == Role.PREDICATE ? "clause" : "assignment or column") + "; a "
                        + (role == Role.PREDICATE ? "predicate" : "value") + " is one expression (wrap a row in"
                        + " ROW(...) or brackets)";
            }
            if (t.type() == Token.Type.WORD && Keywords.requiresQuoting(t.folded()) && !allowedWord(tokens, i)) {
                return "the reserved word " + t.text().toUpperCase(java.util.Locale.ROOT) + where
                        + " ends an expression, so the " + (role == Role.PREDICATE ? "predicate" : "value")
                        + " would not stay one; quote it if it is a name (\"" + t.text() + "\"), or bracket a"
                        + " subquery";
            }
        }
        return null;
    }

    /** DISTINCT and FROM stand outside brackets only in {@code IS [NOT] DISTINCT FROM}. */
    private static boolean allowedWord(List<Token> tokens, int i) {
        Token t = tokens.get(i);
        String w = t.folded();
        if (w.equals("distinct")) {
            return i >= 1 && (tokens.get(i - 1).isWord("is") || i >= 2 && tokens.get(i - 1).isWord("not")
                    && tokens.get(i - 2).isWord("is"));
        }
        if (w.equals("from")) {
            return i >= 2 && tokens.get(i - 1).isWord("distinct") && allowedWord(tokens, i - 1);
        }
        if (w.equals("to")) {
            return i >= 1 && tokens.get(i - 1).isWord("similar"); // SIMILAR TO
        }
        return EXPRESSION_WORDS.contains(w);
    }

    /** name [. name] {type word} [(modifiers)] {type word} {[n]} [ARRAY [n]] [COLLATE name] */
    private static String typeProblem(String fragment, List<Token> tokens) {
        int i = 0;
        int n = tokens.size();
        if (!tokens.get(0).isNamePart()) {
            return "it does not start with a type name (" + tokens.get(0).text() + "); write a type such as text,"
                    + " bigint or numeric(12,2)";
        }
        i++;
        if (i + 1 < n && tokens.get(i).is(".") && tokens.get(i + 1).isNamePart()) {
            i += 2; // schema-qualified: public.money_amount
        }
        boolean modifiers = false;
        while (i < n) {
            Token t = tokens.get(i);
            if (t.type() == Token.Type.WORD && TYPE_WORDS.contains(t.folded())) {
                i++;
            } else if (t.is("(") && !modifiers) {
                int close = modifierEnd(tokens, i);
                if (close < 0) {
                    return "its modifiers at " + SqlStatements.position(fragment, t.offset()) + " are not a list of"
                            + " numbers or names, such as (12,2) or (Point, 4326)";
                }
                modifiers = true;
                i = close + 1;
            } else {
                break;
            }
        }
        while (i < n && tokens.get(i).is("[")) {
            if (i + 1 < n && tokens.get(i + 1).is("]")) {
                i += 2;
            } else if (i + 2 < n && tokens.get(i + 1).type() == Token.Type.NUMBER && tokens.get(i + 2).is("]")) {
                i += 3;
            } else {
                return "its array brackets at " + SqlStatements.position(fragment, tokens.get(i).offset())
                        + " hold something other than a size: write [] or [3]";
            }
        }
        if (i < n && tokens.get(i).isWord("array")) {
            i++;
            if (i + 2 < n && tokens.get(i).is("[") && tokens.get(i + 1).type() == Token.Type.NUMBER
                    && tokens.get(i + 2).is("]")) {
                i += 3;
            }
        }
        if (i < n && tokens.get(i).isWord("collate")) {
            if (i + 1 < n && tokens.get(i + 1).isNamePart()) {
                i += 2;
                if (i + 1 < n && tokens.get(i).is(".") && tokens.get(i + 1).isNamePart()) {
                    i += 2;
                }
            } else {
                return "COLLATE must be followed by a collation name, such as COLLATE \"C\"";
            }
        }
        if (i == n) {
            return null;
        }
        Token t = tokens.get(i);
        String where = " at " + SqlStatements.position(fragment, t.offset());
        if (t.is(",")) {
            return "it holds a ','" + where + " after the type, which would add another column or clause to the"
                    + " statement; a type is one type";
        }
        String instead = t.type() == Token.Type.WORD ? INSTEAD_OF_TYPE_WORD.get(t.folded()) : null;
        return "'" + abbreviate(fragment.substring(t.offset()).strip()) + "'" + where + " is not part of a type"
                + (instead != null ? ": " + instead : "; a type is a name with modifiers, array brackets and a"
                + " collation, such as numeric(12,2), text[] or text COLLATE \"C\"");
    }

    /** @return the index of the ')' closing a modifier list at {@code open}, or -1 if it is not one */
    private static int modifierEnd(List<Token> tokens, int open) {
        boolean expectItem = true;
        for (int i = open + 1; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            if (t.is(")")) {
                return expectItem && i != open + 1 ? -1 : i;
            }
            if (expectItem) {
                boolean item = t.type() == Token.Type.NUMBER || t.isNamePart() || t.type() == Token.Type.STRING
                        || t.is("-") && i + 1 < tokens.size() && tokens.get(i + 1).type() == Token.Type.NUMBER;
                if (!item) {
                    return -1;
                }
                if (t.is("-")) {
                    i++;
                }
                expectItem = false;
            } else if (t.is(",")) {
                expectItem = true;
            } else {
                return -1;
            }
        }
        return -1;
    }

    private static String abbreviate(String s) {
        return s.length() <= 30 ? s : s.substring(0, 30) + "...";
    }
}
