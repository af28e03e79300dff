package io.querk.review;

import javax.sql.DataSource;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** Tables the integration tests review queries on, filled inside PostgreSQL with generate_series. */
final class Schemas {

    private Schemas() {
    }

    /**
     * customers (a tenth of {@code rows}) and shipments ({@code rows}), primary keys only, a foreign
     * key from shipments to customers without an index; analyzed and vacuumed.
     */
    static void logistics(DataSource ds, int rows) throws SQLException {
        int customers = Math.max(10, rows / 10);
        exec(ds, "CREATE TABLE customers (id bigint PRIMARY KEY, name text NOT NULL, email text NOT NULL, country text NOT NULL)",
                "INSERT INTO customers SELECT g, 'Customer ' || g, 'customer' || g || '@example.com',"
                        + " (ARRAY['DE','FR','NO','SE'])[1 + g % 4] FROM generate_series(1, " + customers + ") g",
                "CREATE TABLE shipments (id bigint PRIMARY KEY, customer_id bigint NOT NULL REFERENCES customers,"
                        + " status text NOT NULL, created_at timestamptz NOT NULL, delivered_at timestamptz, dest_city text,"
                        + " weight_g integer NOT NULL, tracking_no text NOT NULL)",
                "INSERT INTO shipments SELECT g, 1 + (g::bigint * 7919) % " + customers + ","
                        + " (ARRAY['delivered','delivered','delivered','in_transit','booked','lost'])[1 + g % 6],"
                        + " timestamptz '2025-01-01' + g * interval '1 minute',"
                        + " CASE WHEN g % 6 < 3 THEN timestamptz '2025-01-01' + g * interval '1 minute' + interval '2 days' END,"
                        + " CASE WHEN g % 7 = 0 THEN NULL ELSE 'City-' || g % 300 END, g % 30000,"
                        + " 'TRK' || lpad(g::text, 8, '0') FROM generate_series(1, " + rows + ") g",
                "VACUUM ANALYZE customers",
                "VACUUM ANALYZE shipments");
    }

    static void exec(DataSource ds, String... sql) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            for (String q : sql) {
                s.execute(q);
            }
        }
    }

    static long count(DataSource ds, String sql) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** @return every row as a list of its columns' text, in the order the query returns them */
    static List<List<String>> rows(DataSource ds, String sql) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            List<List<String>> out = new ArrayList<>();
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<String> row = new ArrayList<>();
                for (int i = 1; i <= n; i++) {
                    row.add(rs.getString(i));
                }
                out.add(row);
            }
            return out;
        }
    }

    /**
     * A DataSource that hands out one connection again and again and never closes it, as a pool
     * would: what the review leaves on it, the next user finds.
     */
    static DataSource single(Connection c) {
        InvocationHandler keepOpen = (proxy, m, args) -> {
            if (m.getName().equals("close")) {
                return null;
            }
            try {
                return m.invoke(c, args);
            } catch (java.lang.reflect.InvocationTargetException e) {
                throw e.getCause();
            }
        };
        Connection kept = (Connection) Proxy.newProxyInstance(Schemas.class.getClassLoader(), new Class<?>[] {Connection.class},
                keepOpen);
        return (DataSource) Proxy.newProxyInstance(Schemas.class.getClassLoader(), new Class<?>[] {DataSource.class},
                (proxy, m, args) -> switch (m.getName()) {
                    case "getConnection" -> kept;
                    case "toString" -> "one connection";
                    default -> throw new UnsupportedOperationException(m.getName());
                });
    }
}
