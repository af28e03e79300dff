package io.querk.jdbc.support;

import io.querk.testkit.postgres.TestDatabase;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** Terse SQL for tests. */
public final class Db {

    private Db() {
    }

    public static void exec(TestDatabase db, String... sql) {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            for (String q : sql) {
                s.execute(q);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage() + " in: " + String.join("; ", sql), e);
        }
    }

    public static long count(TestDatabase db, String sql) {
        return Long.parseLong(one(db, sql));
    }

    public static boolean bool(TestDatabase db, String sql) {
        String v = one(db, sql);
        return "t".equals(v) || "true".equals(v);
    }

    public static String one(TestDatabase db, String sql) {
        List<List<String>> rows = rows(db, sql);
        if (rows.size() != 1 || rows.get(0).size() != 1) {
            throw new IllegalStateException("expected one value from " + sql + ", got " + rows);
        }
        return rows.get(0).get(0);
    }

    public static List<List<String>> rows(TestDatabase db, String sql) {
        try (Connection c = db.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            ResultSetMetaData md = rs.getMetaData();
            List<List<String>> out = new ArrayList<>();
            while (rs.next()) {
                List<String> row = new ArrayList<>();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    row.add(rs.getString(i));
                }
                out.add(row);
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage() + " in: " + sql, e);
        }
    }

    /**
     * The user-visible schema of the public schema: columns, indexes (with validity), constraints
     * (with validation), triggers and functions. Two databases with equal snapshots have the same schema.
     */
    public static List<List<String>> schema(TestDatabase db) {
        List<List<String>> out = new ArrayList<>();
        out.addAll(rows(db, "SELECT 'column', c.relname, a.attname, format_type(a.atttypid, a.atttypmod),"
                + " a.attnotnull::text, coalesce(pg_get_expr(d.adbin, d.adrelid), '') FROM pg_attribute a"
                + " JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace"
                + " LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum"
                + " WHERE n.nspname = 'public' AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped"
                + " AND c.relname NOT LIKE 'querk_history%' ORDER BY 2, 3"));
        out.addAll(rows(db, "SELECT 'index', c.relname, pg_get_indexdef(i.indexrelid), i.indisvalid::text"
                + " FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace"
                + " WHERE n.nspname = 'public' AND c.relname NOT LIKE 'querk_history%' ORDER BY 2"));
        out.addAll(rows(db, "SELECT 'constraint', conrelid::regclass::text, conname, pg_get_constraintdef(k.oid),"
                + " convalidated::text FROM pg_constraint k JOIN pg_namespace n ON n.oid = k.connamespace"
                + " WHERE n.nspname = 'public' AND contype <> 'n' AND conrelid::regclass::text NOT LIKE 'querk_history%'"
                + " ORDER BY 2, 3"));
        out.addAll(rows(db, "SELECT 'trigger', tgrelid::regclass::text, tgname FROM pg_trigger WHERE NOT tgisinternal"
                + " ORDER BY 2, 3"));
        out.addAll(rows(db, "SELECT 'function', p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace"
                + " WHERE n.nspname = 'public' ORDER BY 2"));
        return out;
    }
}
