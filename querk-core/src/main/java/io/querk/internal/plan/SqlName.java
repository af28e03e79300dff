package io.querk.internal.plan;

import io.querk.internal.sql.Token;

import java.util.ArrayList;
import java.util.List;

/**
 * A possibly qualified name read from a statement, kept twice: as written (for messages and
 * lock reports, which should quote the user) and as the catalog stores it (for comparing two
 * spellings of one relation and for asking the live database about it).
 *
 * @param written    the parts as written, joined with dots: {@code app.accounts}, {@code "Order Items"}
 * @param normalized the parts as PostgreSQL resolves them, joined with dots: unquoted parts
 *                   folded to lower case, quoted parts taken literally without their quotes
 * @param parts      the normalized parts, schema first
 */
record SqlName(String written, String normalized, List<String> parts) {

    SqlName {
        parts = List.copyOf(parts);
    }

    /** @return true if {@code t} can be (part of) a name: a word or a quoted identifier */
    static boolean isNamePart(Token t) {
        return t.isNamePart();
    }

    /** @return the catalog form of one name part */
    static String normalize(Token t) {
        return t.catalogName();
    }

    static SqlName of(List<Token> partTokens) {
        List<String> written = new ArrayList<>();
        List<String> normalized = new ArrayList<>();
        for (Token t : partTokens) {
            written.add(t.text());
            normalized.add(normalize(t));
        }
        return new SqlName(String.join(".", written), String.join(".", normalized), normalized);
    }

    /** @return the last part (the relation or column itself, without its schema) */
    String last() {
        return parts.isEmpty() ? "" : parts.get(parts.size() - 1);
    }

    /** @return the name without its last part (for {@code t.col}: the table), or null if unqualified */
    SqlName qualifier() {
        if (parts.size() < 2) {
            return null;
        }
        int cut = written.lastIndexOf('.');
        // A quoted part containing a dot would confuse this; COMMENT ON COLUMN is its only user.
        String w = cut > 0 ? written.substring(0, cut) : written;
        List<String> p = parts.subList(0, parts.size() - 1);
        return new SqlName(w, String.join(".", p), p);
    }

    @Override
    public String toString() {
        return written;
    }
}
