package io.querk.review.internal.index;

import io.querk.review.FindingKind;
import io.querk.review.internal.catalog.Keys;
import io.querk.sql.Identifier;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * An index the review considers, before any cost is known.
 *
 * @param schema    the table's schema
 * @param table     the table
 * @param alias     the table's alias in the plan
 * @param method    btree or gin
 * @param keys      the key columns or expressions, in order
 * @param include   INCLUDE columns
 * @param predicate a partial index's predicate, without WHERE, or null
 * @param extension an extension the operator class needs (pg_trgm), or null
 * @param reason    why this shape, for the report
 * @param addresses the findings it answers
 */
public record Candidate(String schema, String table, String alias, String method, List<Key> keys, List<String> include,
                        String predicate, String extension, String reason, Set<FindingKind> addresses) {

    /** Copies the collections. */
    public Candidate {
        keys = List.copyOf(keys);
        include = List.copyOf(include);
        addresses = addresses.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(addresses));
    }

    /**
     * One key.
     *
     * @param column     a column, or null for an expression
     * @param expression the expression, without the table's alias, or null for a column
     * @param descending DESC
     * @param opclass    an operator class other than the default, or null
     */
    public record Key(String column, String expression, boolean descending, String opclass) {

        /** @return the key as CREATE INDEX writes it */
        public String sql() {
            String base = column != null ? Identifier.of(column).sql() : "(" + expression + ")";
            return base + (opclass == null ? "" : " " + opclass) + (descending ? " DESC" : "");
        }

        /** @return the column or expression, for comparing with an existing index's key */
        public String text() {
            return column != null ? column : expression;
        }
    }

    /** @return the qualified table as SQL, e.g. {@code public.shipments} */
    public String qualifiedTable() {
        return Identifier.of(schema).sql() + "." + Identifier.of(table).sql();
    }

    /** @return the statement HypoPG takes: {@code CREATE INDEX ON t USING m (keys) INCLUDE (...) WHERE ...} */
    public String hypotheticalDdl() {
        return "CREATE INDEX ON " + qualifiedTable() + " USING " + method + " " + shape();
    }

    /** @return {@code (a, b DESC) INCLUDE (c) WHERE p}: the index without its name and table */
    public String shape() {
        StringBuilder b = new StringBuilder("(").append(keys.stream().map(Key::sql).collect(Collectors.joining(", "))).append(')');
        if (!include.isEmpty()) {
            b.append(" INCLUDE (").append(include.stream().map(c -> Identifier.of(c).sql()).collect(Collectors.joining(", "))).append(')');
        }
        if (predicate != null) {
            b.append(" WHERE ").append(predicate);
        }
        return b.toString();
    }

    /** @return true if HypoPG can create it (it supports btree, brin and hash, not gin) */
    public boolean hypothetical() {
        return method.equals("btree") || method.equals("hash") || method.equals("brin");
    }

    /** @return every column the index stores or tests: keys, INCLUDE and predicate */
    public Set<String> columns(Set<String> tableColumns) {
        Set<String> out = new LinkedHashSet<>();
        for (Key k : keys) {
            if (k.column() != null) {
                out.add(k.column());
            } else {
                tableColumns.stream().filter(c -> Keys.mentions(k.expression(), c)).forEach(out::add);
            }
        }
        out.addAll(include);
        if (predicate != null) {
            tableColumns.stream().filter(c -> Keys.mentions(predicate, c)).forEach(out::add);
        }
        return out;
    }

    /** @return a copy with these INCLUDE columns */
    Candidate withInclude(List<String> cols, String why) {
        return new Candidate(schema, table, alias, method, keys, cols, predicate, extension, reason + "; " + why, addresses);
    }

    /** @return the key columns' and expressions' texts */
    List<String> keyTexts() {
        List<String> out = new ArrayList<>();
        keys.forEach(k -> out.add(k.text()));
        return out;
    }
}
