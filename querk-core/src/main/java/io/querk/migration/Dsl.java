package io.querk.migration;

import io.querk.internal.sql.SqlFragments;
import io.querk.sql.Identifier;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Argument checks shared by the DSL builders; every message says what to change. */
final class Dsl {

    private Dsl() {
    }

    /** @return {@code sql}, stripped, if it is one expression; see {@link SqlFragments} */
    static String requireExpression(String what, String sql) {
        return require(what, sql, SqlFragments.Role.EXPRESSION);
    }

    /** @return {@code sql}, stripped, if it is one boolean expression's worth of SQL */
    static String requirePredicate(String what, String sql) {
        return require(what, sql, SqlFragments.Role.PREDICATE);
    }

    private static String require(String what, String sql, SqlFragments.Role role) {
        String problem = SqlFragments.problem(sql, role);
        if (problem != null) {
            throw new MigrationDefinitionException("The SQL for " + what + " is not usable: " + problem + ". Got: "
                    + quoted(sql) + ".");
        }
        return sql.strip();
    }

    static String requireType(String column, String type) {
        String problem = SqlFragments.problem(type, SqlFragments.Role.TYPE);
        if (problem != null) {
            throw new MigrationDefinitionException("The type of column " + column + " is not usable: " + problem
                    + ". Got: " + quoted(type) + ".");
        }
        return type.strip();
    }

    private static String quoted(String sql) {
        if (sql == null) {
            return "null";
        }
        String s = sql.strip();
        return "\"" + (s.length() > 80 ? s.substring(0, 77) + "..." : s) + "\"";
    }

    static List<Identifier> columns(String what, String... names) {
        if (names == null || names.length == 0) {
            throw new MigrationDefinitionException(what + " needs at least one column.");
        }
        List<Identifier> out = new ArrayList<>(names.length);
        Set<String> seen = new HashSet<>();
        for (String n : names) {
            Identifier id = Identifier.of(n);
            if (!seen.add(n)) {
                throw new MigrationDefinitionException(what + " names column " + id.sql() + " twice.");
            }
            out.add(id);
        }
        return out;
    }

    static int positive(String what, int value) {
        if (value <= 0) {
            throw new MigrationDefinitionException(what + " must be positive, got " + value + ".");
        }
        return value;
    }
}
