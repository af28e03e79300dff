package io.querk.sql;

import io.querk.Api;
import io.querk.migration.MigrationDefinitionException;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The name of a relation (table or index), optionally qualified by its schema.
 *
 * <p>{@link #parse(String)} reads {@code "shipments"} or {@code "logistics.shipments"}; a part
 * that itself contains a dot or a double quote is written in double quotes with inner quotes
 * doubled, as in SQL: {@code "\"odd.schema\".shipments"}. Unquoted parts are taken literally
 * too (no case folding): Querk names are catalog names.
 *
 * <p>An unqualified name is resolved by the connection's {@code search_path}, as PostgreSQL
 * itself would.
 */
@Api(status = Api.Status.STABLE, since = "0.1")
public final class QualifiedName {

    private final Identifier schema;
    private final Identifier name;

    private QualifiedName(Identifier schema, Identifier name) {
        this.schema = schema;
        this.name = Objects.requireNonNull(name, "name");
    }

    /**
     * @param schema the schema, or {@code null} to resolve through {@code search_path}
     * @param name   the relation's name
     * @return the name
     */
    public static QualifiedName of(String schema, String name) {
        return new QualifiedName(schema == null ? null : Identifier.of(schema), Identifier.of(name));
    }

    /**
     * @param name the relation's name
     * @return an unqualified name, resolved through {@code search_path}
     */
    public static QualifiedName unqualified(String name) {
        return new QualifiedName(null, Identifier.of(name));
    }

    /**
     * Parses {@code name} or {@code schema.name}.
     *
     * @param text the name, each part optionally double-quoted
     * @return the name
     * @throws MigrationDefinitionException if the text is not one or two well-formed parts
     */
    public static QualifiedName parse(String text) {
        if (text == null || text.isBlank()) {
            throw new MigrationDefinitionException("A table or index name is empty.");
        }
        List<String> parts = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        boolean partWasQuoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < text.length() && text.charAt(i + 1) == '"') {
                        cur.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    cur.append(c);
                }
            } else if (c == '"') {
                if (cur.length() > 0) {
                    throw bad(text, "a quote may only open a part");
                }
                quoted = true;
                partWasQuoted = true;
            } else if (c == '.') {
                parts.add(part(text, cur, partWasQuoted));
                cur.setLength(0);
                partWasQuoted = false;
            } else {
                if (partWasQuoted) {
                    throw bad(text, "text follows a closing quote");
                }
                cur.append(c);
            }
        }
        if (quoted) {
            throw bad(text, "a double quote is not closed");
        }
        parts.add(part(text, cur, partWasQuoted));
        if (parts.size() > 2) {
            throw bad(text, "use at most schema.name (database-qualified names are not supported)");
        }
        return parts.size() == 1
                ? new QualifiedName(null, Identifier.of(parts.get(0)))
                : new QualifiedName(Identifier.of(parts.get(0)), Identifier.of(parts.get(1)));
    }

    private static String part(String text, StringBuilder cur, boolean wasQuoted) {
        if (cur.length() == 0 && !wasQuoted) {
            throw bad(text, "a part is empty");
        }
        return cur.toString();
    }

    private static MigrationDefinitionException bad(String text, String why) {
        return new MigrationDefinitionException("The name '" + text + "' cannot be read: " + why + ".");
    }

    /** @return the schema, if the name is qualified */
    public Optional<Identifier> schema() {
        return Optional.ofNullable(schema);
    }

    /** @return the relation's own name */
    public Identifier name() {
        return name;
    }

    /**
     * @param sibling a name in the same schema (an index beside its table, say)
     * @return {@code sibling} qualified like this name
     */
    public QualifiedName sibling(Identifier sibling) {
        return new QualifiedName(schema, sibling);
    }

    /** @return the name as written in SQL, each part quoted where needed */
    public String sql() {
        return schema == null ? name.sql() : schema.sql() + "." + name.sql();
    }

    /**
     * @return the name with every part quoted, the form {@code to_regclass()} reads exactly
     */
    public String regclassText() {
        return schema == null ? name.quoted() : schema.quoted() + "." + name.quoted();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof QualifiedName other && Objects.equals(schema, other.schema) && name.equals(other.name);
    }

    @Override
    public int hashCode() {
        return Objects.hash(schema, name);
    }

    /** @return the SQL form, as in {@link #sql()} */
    @Override
    public String toString() {
        return sql();
    }
}
