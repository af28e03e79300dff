package io.querk.review.internal.db;

import io.querk.review.internal.catalog.TableInfo;
import io.querk.review.internal.index.CostSettings;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reads what the review needs to know about the query's tables from the catalog and statistics views. */
public final class CatalogReader {

    private final Session s;

    /**
     * @param s the review's session
     */
    public CatalogReader(Session s) {
        this.s = s;
    }

    /**
     * @param schema the table's schema
     * @param table  its name
     * @return its facts, or empty if there is no such table (a view, a function result ...)
     * @throws SQLException as reported
     */
    public Optional<TableInfo> table(String schema, String table) throws SQLException {
        List<Object[]> rel = s.rows("SELECT c.oid, c.reltuples::float8, c.relpages::bigint, c.relallvisible::bigint,"
                + " pg_relation_size(c.oid) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                + " WHERE n.nspname = ? AND c.relname = ? AND c.relkind IN ('r', 'm', 'p')", schema, table);
        if (rel.isEmpty()) {
            return Optional.empty();
        }
        Object[] r = rel.get(0);
        long oid = ((Number) r[0]).longValue();
        Map<String, TableInfo.ColumnStats> stats = new LinkedHashMap<>();
        for (Object[] st : s.rows("SELECT attname::text, null_frac::float8, n_distinct::float8, avg_width, correlation::float8,"
                + " most_common_vals::text::text[], most_common_freqs::float8[], histogram_bounds::text::text[]"
                + " FROM pg_stats WHERE schemaname = ? AND tablename = ? AND NOT inherited", schema, table)) {
            stats.put((String) st[0], new TableInfo.ColumnStats(num(st[1]), num(st[2]), (int) num(st[3]), num(st[4]),
                    strings(st[5]), doubles(st[6]), strings(st[7])));
        }
        Map<String, TableInfo.ColumnInfo> columns = new LinkedHashMap<>();
        for (Object[] col : s.rows("SELECT a.attname::text, format_type(a.atttypid, a.atttypmod), a.attnotnull,"
                + " co.collname::text FROM pg_attribute a LEFT JOIN pg_collation co ON co.oid = a.attcollation"
                + " WHERE a.attrelid = ?::oid AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum", oid)) {
            String name = (String) col[0];
            String coll = (String) col[3];
            if ("default".equals(coll)) {
                coll = databaseCollation();
            }
            columns.put(name, new TableInfo.ColumnInfo(name, (String) col[1], (Boolean) col[2], coll, stats.get(name)));
        }
        List<TableInfo.ExistingIndex> indexes = new ArrayList<>();
        for (Object[] ix : s.rows("SELECT ic.relname::text, am.amname::text, i.indnkeyatts, i.indisunique, i.indisvalid,"
                + " pg_relation_size(i.indexrelid), pg_get_indexdef(i.indexrelid), pg_get_expr(i.indpred, i.indrelid, true),"
                + " ARRAY(SELECT pg_get_indexdef(i.indexrelid, k, true) FROM generate_series(1, i.indnatts) k ORDER BY k),"
                + " ARRAY(SELECT CASE WHEN oc.opcdefault THEN '' ELSE oc.opcname::text END"
                + "       FROM unnest(i.indclass::oid[]) WITH ORDINALITY u(o, k) JOIN pg_opclass oc ON oc.oid = u.o ORDER BY u.k),"
                + " ARRAY(SELECT (u.opt & 1) = 1 FROM unnest(i.indoption::int2[]) WITH ORDINALITY u(opt, k) ORDER BY u.k)"
                + " FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_am am ON am.oid = ic.relam"
                + " WHERE i.indrelid = ?::oid ORDER BY ic.relname", oid)) {
            int nkeys = ((Number) ix[2]).intValue();
            List<String> all = strings(ix[8]);
            List<String> opclasses = strings(ix[9]);
            List<?> desc = ix[10] instanceof List<?> l ? l : List.of();
            List<TableInfo.Key> keys = new ArrayList<>();
            for (int k = 0; k < nkeys && k < all.size(); k++) {
                String oc = k < opclasses.size() && !opclasses.get(k).isEmpty() ? opclasses.get(k) : null;
                boolean d = k < desc.size() && Boolean.TRUE.equals(desc.get(k));
                keys.add(new TableInfo.Key(all.get(k), oc, d));
            }
            indexes.add(new TableInfo.ExistingIndex((String) ix[0], (String) ix[1], keys, all.subList(Math.min(nkeys, all.size()),
                    all.size()), (String) ix[7], (Boolean) ix[3], (Boolean) ix[4], ((Number) ix[5]).longValue(), (String) ix[6]));
        }
        List<TableInfo.ForeignKey> fks = new ArrayList<>();
        for (Object[] fk : s.rows("SELECT con.conname::text, " + columnNames("con.conkey", "con.conrelid")
                + ", con.confrelid::regclass::text, " + columnNames("con.confkey", "con.confrelid")
                + " FROM pg_constraint con WHERE con.conrelid = ?::oid AND con.contype = 'f' ORDER BY con.conname", oid)) {
            fks.add(new TableInfo.ForeignKey((String) fk[0], strings(fk[1]), (String) fk[2], strings(fk[3])));
        }
        TableInfo.WriteStats writes = null;
        List<Object[]> w = s.rows("SELECT n_tup_ins, n_tup_upd, n_tup_hot_upd, n_tup_del,"
                + " EXTRACT(epoch FROM now() - coalesce((SELECT stats_reset FROM pg_stat_database"
                + "   WHERE datname = current_database()), pg_postmaster_start_time()))::float8"
                + " FROM pg_stat_user_tables WHERE relid = ?::oid", oid);
        if (!w.isEmpty()) {
            Object[] x = w.get(0);
            writes = new TableInfo.WriteStats(lng(x[0]), lng(x[1]), lng(x[2]), lng(x[3]), num(x[4]));
        }
        return Optional.of(new TableInfo(schema, table, num(r[1]), lng(r[2]), lng(r[3]), lng(r[4]), columns, indexes, fks, writes));
    }

    /** @return SQL for the names of the columns numbered {@code attnums} of {@code relid}, in order, as an array */
    private static String columnNames(String attnums, String relid) {
        return "ARRAY(SELECT a.attname::text FROM unnest(" + attnums + ") WITH ORDINALITY k(n, o)"
                + " JOIN pg_attribute a ON a.attrelid = " + relid + " AND a.attnum = k.n ORDER BY k.o)";
    }

    private String databaseCollation;

    private String databaseCollation() throws SQLException {
        if (databaseCollation == null) {
            databaseCollation = (String) s.rows("SELECT datcollate::text FROM pg_database WHERE datname = current_database()")
                    .get(0)[0];
        }
        return databaseCollation;
    }

    /**
     * @return the planner's cost constants as the server has them
     * @throws SQLException as reported
     */
    public CostSettings costSettings() throws SQLException {
        Object[] r = s.rows("SELECT current_setting('seq_page_cost')::float8, current_setting('random_page_cost')::float8,"
                + " current_setting('cpu_tuple_cost')::float8, current_setting('cpu_index_tuple_cost')::float8,"
                + " current_setting('cpu_operator_cost')::float8").get(0);
        return new CostSettings(num(r[0]), num(r[1]), num(r[2]), num(r[3]), num(r[4]));
    }

    /**
     * @param name an extension
     * @return its installed version, or empty
     * @throws SQLException as reported
     */
    public Optional<String> extension(String name) throws SQLException {
        List<Object[]> r = s.rows("SELECT extversion::text FROM pg_extension WHERE extname = ?", name);
        return r.isEmpty() ? Optional.empty() : Optional.of((String) r.get(0)[0]);
    }

    /**
     * @param schema a schema
     * @param name   a relation name
     * @return true if a relation of that name exists there
     * @throws SQLException as reported
     */
    public boolean relationExists(String schema, String name) throws SQLException {
        return !s.rows("SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = ?"
                + " AND c.relname = ?", schema, name).isEmpty();
    }

    /**
     * Which columns the statements recorded by {@code pg_stat_statements} update on a table, if
     * that extension is installed: an index on such a column ends HOT updates for those statements.
     *
     * @param table   the table's name
     * @param columns candidate columns
     * @return the columns some recorded UPDATE sets, or empty when the extension is missing
     * @throws SQLException as reported
     */
    public Optional<List<String>> updatedColumns(String table, List<String> columns) throws SQLException {
        if (extension("pg_stat_statements").isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(s.inSavepoint(() -> {
                List<String> out = new ArrayList<>();
                for (String col : columns) {
                    List<Object[]> r = s.rows("SELECT 1 FROM pg_stat_statements WHERE query ~* ? LIMIT 1",
                            "^\\s*update\\s+(\\S+\\.)?\"?" + regex(table) + "\"?\\s.*\\mset\\M.*\\m" + regex(col) + "\\M\\s*=");
                    if (!r.isEmpty()) {
                        out.add(col);
                    }
                }
                return out;
            }));
        } catch (SQLException e) {
            // pg_stat_statements installed but not loaded (shared_preload_libraries): nothing to learn.
            return Optional.empty();
        }
    }

    private static String regex(String name) {
        return name.replaceAll("([^A-Za-z0-9_])", "\\\\$1");
    }

    static double num(Object o) {
        return o == null ? 0 : ((Number) o).doubleValue();
    }

    static long lng(Object o) {
        return o == null ? 0 : ((Number) o).longValue();
    }

    static List<String> strings(Object o) {
        List<String> out = new ArrayList<>();
        if (o instanceof List<?> l) {
            for (Object x : l) {
                out.add(x == null ? null : x.toString());
            }
        }
        return out;
    }

    static List<Double> doubles(Object o) {
        List<Double> out = new ArrayList<>();
        if (o instanceof List<?> l) {
            for (Object x : l) {
                out.add(x == null ? 0 : ((Number) x).doubleValue());
            }
        }
        return out;
    }
}
