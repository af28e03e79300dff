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

    static String requireFragment(String what, String sql) {
        String problem = SqlFragments.problem(sql);
        if (problem != null) {
            throw new MigrationDefinitionException("The SQL for " + what + " is not usable: " + problem + ".");
        }
        return sql.strip();
    }

    static String requireType(String column, String type) {
        String problem = SqlFragments.problem(type);
        if (problem != null) {
            throw new MigrationDefinitionException("The type of column " + column + " is not usable: " + problem
                    + ". Write a type such as \"text\", \"bigint\" or \"numeric(12,2)\".");
        }
        return type.strip();
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
