package io.querk.sql;

import io.querk.Api;
import io.querk.internal.sql.Keywords;
import io.querk.migration.MigrationDefinitionException;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A PostgreSQL name (of a table, column, index, constraint, schema ...), exactly as it is
 * stored in the catalog, and its correctly quoted SQL form.
 *
 * <p>Names are taken literally: {@code Identifier.of("Shipments")} is the table whose
 * catalog name has a capital S, not {@code shipments}. Querk quotes a name whenever
 * PostgreSQL would otherwise read it differently (upper case, spaces, quotes, keywords),
 * so the user never quotes by hand.
 *
 * <pre>{@code
 * Identifier.of("dest_city").sql();   // dest_city
 * Identifier.of("Order").sql();       // "Order"
 * Identifier.of("user").sql();        // "user"    (a reserved word)
 * Identifier.of("a\"b").sql();        // "a""b"
 * }</pre>
 */
@Api(status = Api.Status.STABLE, since = "0.1")
public final class Identifier implements Comparable<Identifier> {

    /** PostgreSQL's NAMEDATALEN - 1: longer names are silently truncated by the server. */
    public static final int MAX_BYTES = 63;

    private static final Pattern PLAIN = Pattern.compile("[a-z_][a-z0-9_$]*");

    private final String name;

    private Identifier(String name) {
        this.name = name;
    }

    /**
     * @param name the exact catalog name
     * @return the identifier
     * @throws MigrationDefinitionException if the name is empty, longer than 63 bytes in
     *                                      UTF-8, or contains a NUL character
     */
    public static Identifier of(String name) {
        if (name == null || name.isEmpty()) {
            throw new MigrationDefinitionException("A name is empty: give every table, column, index and constraint a name.");
        }
        if (name.indexOf('\0') >= 0) {
            throw new MigrationDefinitionException("The name '" + name.replace("\0", "\\0")
                    + "' contains a NUL character, which PostgreSQL does not allow in names.");
        }
        if (!name.strip().equals(name)) {
            throw new MigrationDefinitionException("The name '" + name
                    + "' starts or ends with white space; remove it (names are taken literally).");
        }
        int bytes = name.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_BYTES) {
            throw new MigrationDefinitionException("The name '" + name + "' is " + bytes
                    + " bytes long; PostgreSQL truncates names to " + MAX_BYTES
                    + " bytes, so shorten it.");
        }
        return new Identifier(name);
    }

    /** @return the exact catalog name */
    public String name() {
        return name;
    }

    /** @return the name as it must be written in SQL, quoted where needed */
    public String sql() {
        if (PLAIN.matcher(name).matches() && !Keywords.requiresQuoting(name)) {
            return name;
        }
        return '"' + name.replace("\"", "\"\"") + '"';
    }

    /** @return the name always quoted, as {@code quote_ident} would accept it verbatim */
    public String quoted() {
        return '"' + name.replace("\"", "\"\"") + '"';
    }

    @Override
    public int compareTo(Identifier o) {
        return name.compareTo(o.name);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Identifier other && other.name.equals(name);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name);
    }

    /** @return the SQL form, as in {@link #sql()} */
    @Override
    public String toString() {
        return sql();
    }
}
