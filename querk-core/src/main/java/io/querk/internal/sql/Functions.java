package io.querk.internal.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What Querk knows about the functions an expression calls, in one place for the DSL, the step
 * renderer and the raw-SQL analyzer: which return a different value per call (a column default
 * calling one forces a table rewrite, so the DSL adds such a column nullable and backfills it,
 * and the analyzer flags it in raw SQL), which are known to be stable or immutable, and which
 * are newer than the oldest supported server. A function in neither list is "unknown": the live
 * plan asks the server ({@code pg_proc.provolatile}), the offline one warns.
 */
public final class Functions {

    private Functions() {
    }

    /** Built-in (and uuid-ossp / pgcrypto) functions that return a different value per call. */
    private static final Set<String> VOLATILE = Set.of("random", "random_normal", "gen_random_uuid",
            "uuid_generate_v1", "uuid_generate_v1mc", "uuid_generate_v4", "uuidv4", "uuidv7", "clock_timestamp",
            "timeofday", "nextval", "setval", "currval", "lastval", "setseed", "txid_current",
            "pg_current_xact_id", "gen_random_bytes");

    /** Stable or immutable functions common in defaults: evaluated once when the column is added. */
    private static final Set<String> NOT_VOLATILE = Set.of("now", "statement_timestamp", "current_timestamp",
            "localtimestamp", "current_time", "localtime",
            "transaction_timestamp", "current_setting", "lower", "upper", "concat", "concat_ws", "length",
            "char_length", "abs", "round", "floor", "ceil", "trunc", "date_trunc", "date_part", "to_char",
            "to_date", "to_timestamp", "make_date", "make_time", "make_timestamp", "make_timestamptz",
            "make_interval", "jsonb_build_object", "json_build_object", "jsonb_build_array", "json_build_array",
            "to_jsonb", "to_json", "array_length", "md5", "replace", "substr", "split_part", "btrim", "ltrim",
            "rtrim", "left", "right", "format", "timezone", "age", "array_fill", "repeat", "lpad", "rpad");

    /** Functions newer than the oldest supported server. */
    private static final Map<String, Integer> INTRODUCED_IN = Map.of("uuidv4", 18, "uuidv7", 18,
            "random_normal", 16);

    /**
     * Keywords that take a bracketed argument but are not function calls, and type names that
     * take modifiers: {@code CAST(x AS int)}, {@code numeric(10,2)}, {@code x IN (...)}.
     */
    private static final Set<String> NOT_CALLS = Set.of("cast", "coalesce", "nullif", "greatest", "least",
            "extract", "row", "in", "exists", "and", "or", "not", "any", "all", "some", "array", "values",
            "varying", "numeric", "decimal", "varchar", "char", "character", "timestamp", "time", "interval",
            "bit", "float", "overlay", "position", "substring", "trim", "over", "filter", "within", "is", "as",
            "case", "when", "then", "else", "distinct", "from", "where", "select", "using", "on", "default",
            "check", "precision", "zone", "collate", "lateral", "join", "with", "by", "group", "order");

    /**
     * Function calls found in an expression, sorted by what their volatility means for a default.
     *
     * @param volatileCalls calls of known volatile functions
     * @param unknownCalls  calls of functions Querk does not know
     * @param all           every call, lower case, in order
     */
    public record Calls(List<String> volatileCalls, List<String> unknownCalls, List<String> all) {
        /** @return true if a known volatile function is called */
        public boolean anyVolatile() {
            return !volatileCalls.isEmpty();
        }
    }

    /** @return the calls of an expression's tokens; a cast's type modifiers are not calls */
    public static Calls calls(List<Token> expression) {
        List<String> volatileCalls = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        List<String> all = new ArrayList<>();
        for (int i = 0; i + 1 < expression.size(); i++) {
            Token t = expression.get(i);
            if (!t.isNamePart() || !expression.get(i + 1).is("(")) {
                continue;
            }
            if (i > 0 && expression.get(i - 1).is("::")) {
                continue; // x::numeric(10,2) is a cast to a type with modifiers
            }
            String name = t.catalogName();
            if (t.type() == Token.Type.WORD && NOT_CALLS.contains(name)) {
                continue;
            }
            all.add(name);
            if (VOLATILE.contains(name)) {
                volatileCalls.add(name);
            } else if (!NOT_VOLATILE.contains(name)) {
                unknown.add(name);
            }
        }
        return new Calls(volatileCalls, unknown, all);
    }

    /** @return the calls of an expression written as text; none if it cannot be read */
    public static Calls calls(String expression) {
        try {
            return calls(SqlLexer.tokenizeWithoutComments(expression));
        } catch (SqlSyntaxException e) {
            return new Calls(List.of(), List.of(), List.of());
        }
    }

    /** @return the first function called in {@code calls} that {@code serverMajor} does not have, or null */
    public static String missingFunction(Calls calls, int serverMajor) {
        for (String f : calls.all()) {
            Integer since = INTRODUCED_IN.get(f);
            if (since != null && serverMajor < since) {
                return f;
            }
        }
        return null;
    }

    /** @return the version that introduced {@code function}, or 0 if it is in every supported version */
    public static int introducedIn(String function) {
        return INTRODUCED_IN.getOrDefault(function.toLowerCase(Locale.ROOT), 0);
    }
}
