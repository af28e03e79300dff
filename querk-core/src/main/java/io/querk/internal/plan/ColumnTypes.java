package io.querk.internal.plan;

import io.querk.internal.sql.SqlLexer;
import io.querk.internal.sql.SqlSyntaxException;
import io.querk.internal.sql.Token;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Column types reduced to a comparable form, and PostgreSQL's rule for when changing a
 * column's type needs no rewrite.
 *
 * <p>A type change skips the rewrite (and the index rebuild) when the old values are valid,
 * bit for bit, as the new type: the same type, {@code varchar(n)} to {@code varchar(m)} with
 * {@code m >= n}, {@code varchar} to {@code text} and back to unbounded {@code varchar},
 * {@code numeric(p,s)} to {@code numeric(p2,s)} with {@code p2 >= p} or to unconstrained
 * {@code numeric}, and a higher (or no) precision of the time types and of {@code bit varying}.
 * Everything else, any {@code USING} clause included, is treated as a rewrite.
 */
final class ColumnTypes {

    private ColumnTypes() {
    }

    /**
     * A type in canonical form, close to what {@code format_type} prints.
     *
     * @param base      the type's name without modifiers: {@code character varying}, {@code integer}
     * @param modifiers its numeric modifiers: {@code [20]}, {@code [10, 2]}; empty if none
     * @param arrayDims how many array dimensions it has
     */
    record Type(String base, List<Integer> modifiers, int arrayDims) {
        Type {
            modifiers = List.copyOf(modifiers);
        }

        boolean isSerial() {
            return arrayDims == 0 && SERIALS.contains(base);
        }
    }

    private static final Set<String> SERIALS = Set.of("serial", "bigserial", "smallserial");

    private static final Map<String, String> SYNONYMS = Map.ofEntries(
            Map.entry("int", "integer"), Map.entry("int4", "integer"),
            Map.entry("int8", "bigint"), Map.entry("int2", "smallint"),
            Map.entry("varchar", "character varying"), Map.entry("char varying", "character varying"),
            Map.entry("char", "character"), Map.entry("bpchar", "character"),
            Map.entry("decimal", "numeric"), Map.entry("dec", "numeric"),
            Map.entry("timestamptz", "timestamp with time zone"),
            Map.entry("timestamp", "timestamp without time zone"),
            Map.entry("timetz", "time with time zone"), Map.entry("time", "time without time zone"),
            Map.entry("bool", "boolean"),
            Map.entry("float8", "double precision"), Map.entry("float", "double precision"),
            Map.entry("float4", "real"), Map.entry("varbit", "bit varying"),
            Map.entry("serial4", "serial"), Map.entry("serial8", "bigserial"), Map.entry("serial2", "smallserial"));

    /** Types whose precision can grow without a rewrite. */
    private static final Set<String> PRECISION_WIDENS_IN_PLACE = Set.of("timestamp with time zone",
            "timestamp without time zone", "time with time zone", "time without time zone", "interval",
            "bit varying");

    /** Reads a type as a statement writes it: {@code varchar(20)}, {@code pg_catalog.int4}, {@code text[]}. */
    static Type parse(List<Token> tokens) {
        List<String> words = new ArrayList<>();
        List<Integer> modifiers = new ArrayList<>();
        int arrayDims = 0;
        boolean modifiersRead = false;
        Cursor c = new Cursor(tokens);
        while (!c.atEnd()) {
            Token t = c.peek();
            if (SqlName.isNamePart(t) && c.peek(1).is(".") && words.isEmpty()) {
                c.next();
                c.next(); // a schema qualifier: pg_catalog.int4 is int4
            } else if (t.isWord("array")) {
                c.next();
                arrayDims++;
                c.skipGroup();
            } else if (SqlName.isNamePart(t)) {
                words.add(SqlName.normalize(c.next()));
            } else if (t.is("(") && !modifiersRead) {
                for (Token m : c.group()) {
                    if (m.type() == Token.Type.NUMBER) {
                        modifiers.add(parseInt(m.text()));
                    }
                }
                modifiersRead = true;
            } else if (t.is("[")) {
                c.skipGroup();
                arrayDims++;
            } else {
                c.next();
            }
        }
        String base = String.join(" ", words);
        base = SYNONYMS.getOrDefault(base, base);
        // "timestamp(3) with time zone" arrives as "timestamp with time zone" already; only the short names map.
        if (base.equals("numeric") && modifiers.size() == 1) {
            modifiers.add(0);
        }
        return new Type(base, modifiers, arrayDims);
    }

    /** Reads a type as {@code format_type} prints it; returns null if it cannot be read. */
    static Type parse(String formatted) {
        if (formatted == null || formatted.isBlank()) {
            return null;
        }
        try {
            return parse(SqlLexer.tokenizeWithoutComments(formatted));
        } catch (SqlSyntaxException e) {
            return null;
        }
    }

    /** @return true if changing a column from {@code from} to {@code to} (without USING) rewrites the table */
    static boolean rewrites(Type from, Type to) {
        if (from.equals(to)) {
            return false;
        }
        if (from.arrayDims() != 0 || to.arrayDims() != 0) {
            return true;
        }
        String a = from.base();
        String b = to.base();
        if (a.equals("character varying")) {
            if (b.equals("text")) {
                return false;
            }
            if (b.equals(a)) {
                return !widens(from, to);
            }
            return true;
        }
        if (a.equals("text")) {
            return !(b.equals("character varying") && to.modifiers().isEmpty());
        }
        if (a.equals("numeric") && b.equals("numeric")) {
            if (to.modifiers().isEmpty()) {
                return false;
            }
            if (from.modifiers().size() == 2 && to.modifiers().size() == 2) {
                return !(to.modifiers().get(1).equals(from.modifiers().get(1))
                        && to.modifiers().get(0) >= from.modifiers().get(0));
            }
            return true;
        }
        if (a.equals(b) && PRECISION_WIDENS_IN_PLACE.contains(a)) {
            return !widens(from, to);
        }
        return true;
    }

    /**
     * @return true if some current type could change to {@code to} without a rewrite (besides
     *         the identical type), so that not knowing the current type leaves the outcome open
     */
    static boolean couldBeCatalogOnly(Type to) {
        return to.arrayDims() == 0 && (to.base().equals("character varying") || to.base().equals("text")
                || to.base().equals("numeric") || PRECISION_WIDENS_IN_PLACE.contains(to.base()));
    }

    /** @return the type as format_type would print it */
    static String format(Type t) {
        StringBuilder sb = new StringBuilder(t.base());
        if (!t.modifiers().isEmpty()) {
            sb.append('(');
            for (int i = 0; i < t.modifiers().size(); i++) {
                sb.append(i == 0 ? "" : ",").append(t.modifiers().get(i));
            }
            sb.append(')');
        }
        sb.append("[]".repeat(t.arrayDims()));
        return sb.toString();
    }

    private static boolean widens(Type from, Type to) {
        if (to.modifiers().isEmpty()) {
            return true;
        }
        if (from.modifiers().isEmpty()) {
            return false;
        }
        return to.modifiers().get(0) >= from.modifiers().get(0);
    }

    private static int parseInt(String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
