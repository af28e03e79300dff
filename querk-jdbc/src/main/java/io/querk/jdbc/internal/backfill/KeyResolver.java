package io.querk.jdbc.internal.backfill;

import io.querk.internal.render.BackfillSql;
import io.querk.jdbc.StepFailedException;
import io.querk.migration.StepRef;
import io.querk.sql.Identifier;
import io.querk.jdbc.internal.store.HistoryStore;
import io.querk.sql.QualifiedName;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Finds the key a backfill walks its table by: the primary key, else the narrowest unique index
 * whose columns are all NOT NULL, not partial, not deferred and not over an expression. Such a key
 * orders every row once and lets a batch start exactly where the last one stopped. The catalog
 * read ({@link #resolve}) is kept apart from the choice ({@link #choose}), which is pure.
 */
final class KeyResolver {

    /**
     * A unique index of the table, as the catalog describes it.
     *
     * @param index      its name
     * @param primary    the primary key's index
     * @param columns    its key columns, in order; null entries for expressions
     * @param types      their types
     * @param notNull    for each column, whether it is NOT NULL
     * @param valid      {@code indisvalid}: usable (an interrupted CONCURRENTLY build is not)
     * @param immediate  {@code indimmediate}: not deferred
     * @param partial    it has a WHERE clause, so it misses rows
     */
    record Candidate(String index, boolean primary, List<String> columns, List<String> types, List<Boolean> notNull,
                     boolean valid, boolean immediate, boolean partial) {

        /** @return why this index cannot order the walk, or empty if it can */
        Optional<String> unfit() {
            if (!valid) {
                return Optional.of("is INVALID (an interrupted concurrent build)");
            }
            if (partial) {
                return Optional.of("is partial");
            }
            if (!immediate) {
                return Optional.of("is deferrable");
            }
            if (columns.stream().anyMatch(java.util.Objects::isNull)) {
                return Optional.of("indexes an expression");
            }
            for (int i = 0; i < columns.size(); i++) {
                if (!notNull.get(i)) {
                    return Optional.of("has the nullable column " + Identifier.of(columns.get(i)).sql());
                }
            }
            return Optional.empty();
        }
    }

    private KeyResolver() {
    }

    /** @return the best candidate: the primary key, else the fewest columns, else the first by name */
    static Optional<Candidate> choose(List<Candidate> candidates) {
        return candidates.stream().filter(c -> c.unfit().isEmpty())
                .min(Comparator.comparing((Candidate c) -> !c.primary()).thenComparing(c -> c.columns().size())
                        .thenComparing(Candidate::index));
    }

    /** @return the message for a table no candidate fits, naming what is wrong with each */
    static String noKey(StepRef ref, QualifiedName table, List<Candidate> candidates) {
        StringBuilder why = new StringBuilder();
        for (Candidate c : candidates) {
            why.append(why.length() == 0 ? " Its unique indexes cannot order the walk: " : "; ")
                    .append(c.index()).append(' ').append(c.unfit().orElse(""));
        }
        return "Backfill " + ref + ": table " + table.sql() + " has no primary key and no unique, NOT NULL,"
                + " non-partial key to walk it by." + (why.length() == 0 ? "" : why + ".") + " Add one first"
                + " (addPrimaryKey or addUnique in an earlier expand) so that each batch can pick up where the last"
                + " stopped.";
    }

    /**
     * @return the key of {@code table}
     * @throws StepFailedException if the table does not exist or has no usable key
     */
    static BackfillSql.Key resolve(Connection c, StepRef ref, QualifiedName table) throws SQLException {
        if (!HistoryStore.relationExists(c, table)) {
            throw new StepFailedException("Backfill " + ref + ": table " + table.sql() + " does not exist.", ref, null,
                    null, null);
        }
        List<Candidate> candidates = candidates(c, table);
        Candidate k = choose(candidates).orElseThrow(() -> new StepFailedException(noKey(ref, table, candidates), ref,
                null, null, null));
        List<Identifier> columns = k.columns().stream().map(Identifier::of).toList();
        return new BackfillSql.Key(columns, k.types());
    }


    private static List<Candidate> candidates(Connection c, QualifiedName table) throws SQLException {
        // attnum 0 in indkey marks an expression column: no attribute, so the LEFT JOIN yields nulls.
        try (PreparedStatement ps = c.prepareStatement("SELECT ic.relname, i.indisprimary,"
                + " array_agg(a.attname::text ORDER BY k.ord), array_agg(format_type(a.atttypid, a.atttypmod) ORDER BY k.ord),"
                + " array_agg(coalesce(a.attnotnull, false) ORDER BY k.ord), i.indisvalid, i.indimmediate,"
                + " i.indpred IS NOT NULL"
                + " FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid"
                + " CROSS JOIN LATERAL unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)"
                + " LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum AND k.attnum > 0"
                + " WHERE i.indrelid = to_regclass(?) AND i.indisunique AND k.ord <= i.indnkeyatts"
                + " GROUP BY ic.relname, i.indexrelid, i.indisprimary, i.indisvalid, i.indimmediate, i.indpred IS NOT NULL"
                + " ORDER BY ic.relname")) {
            ps.setString(1, table.regclassText());
            List<Candidate> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Candidate(rs.getString(1), rs.getBoolean(2), strings(rs, 3), strings(rs, 4),
                            Arrays.asList((Boolean[]) rs.getArray(5).getArray()), rs.getBoolean(6), rs.getBoolean(7),
                            rs.getBoolean(8)));
                }
            }
            return out;
        }
    }

    private static List<String> strings(ResultSet rs, int column) throws SQLException {
        return Arrays.asList((String[]) rs.getArray(column).getArray());
    }
}
