package io.querk.jdbc.internal.run;

import io.querk.jdbc.internal.guard.PreStepChecks;
import io.querk.plan.TableFacts;
import io.querk.plan.TableStatistics;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads {@link TableFacts} from the database for the planner: the planner's row estimate, the
 * size, the indexes and triggers, the column types, and the columns a validated
 * {@code CHECK (column IS NOT NULL)} already proves NOT NULL. Cached per table for one plan.
 *
 * <p>Catalog reads only ({@code pg_class}, {@code pg_attribute}, {@code pg_constraint}), none
 * of which takes a lock on the table, so planning never waits behind a lock holder. Sizes and
 * row counts are the estimates VACUUM and ANALYZE last stored: "about".
 */
public final class LiveFacts implements TableStatistics {

    private static final Pattern NOT_NULL_CHECK = Pattern.compile("CHECK \\(\\((\"?[^\"()]+\"?) IS NOT NULL\\)\\)");

    private final Connection connection;
    private final Duration lockTimeout;
    private final Map<String, Optional<TableFacts>> cache = new HashMap<>();

    /**
     * @param connection  an autocommit connection; only read
     * @param lockTimeout how long a check may wait for its table's ACCESS SHARE lock (an EXPLAIN
     *                    plans under one): it never blocks the application, but must not hang the
     *                    plan behind a waiting ALTER either
     */
    public LiveFacts(Connection connection, Duration lockTimeout) {
        this.connection = connection;
        this.lockTimeout = lockTimeout;
    }

    @Override
    public boolean live() {
        return true;
    }

    /** Runs the EXPLAIN in a transaction it rolls back; see {@link PreStepChecks#compileError}. */
    @Override
    public Optional<String> compileError(String explain) {
        try {
            return PreStepChecks.compileError(connection, explain, lockTimeout);
        } catch (SQLException e) {
            throw new LiveFactsException("the live check", e);
        }
    }

    @Override
    public Optional<Boolean> ask(String booleanQuery) {
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(booleanQuery)) {
            return Optional.of(rs.next() && rs.getBoolean(1));
        } catch (SQLException e) {
            throw new LiveFactsException("a catalog probe", e);
        }
    }

    @Override
    public Optional<List<List<String>>> rows(String query) {
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(query)) {
            return Optional.of(rows(rs));
        } catch (SQLException e) {
            throw new LiveFactsException("a catalog query", e);
        }
    }

    /** @return every row of {@code rs}, each column as text */
    static List<List<String>> rows(ResultSet rs) throws SQLException {
        int n = rs.getMetaData().getColumnCount();
        List<List<String>> out = new ArrayList<>();
        while (rs.next()) {
            List<String> row = new ArrayList<>();
            for (int i = 1; i <= n; i++) {
                row.add(rs.getString(i));
            }
            out.add(row);
        }
        return out;
    }

    /**
     * @param table the table's catalog name, schema first when qualified
     * @return its facts, or empty if there is no such table yet (an earlier step may create it)
     * @throws LiveFactsException if the catalog cannot be read
     */
    @Override
    public Optional<TableFacts> of(String table) {
        return cache.computeIfAbsent(table, this::load);
    }

    /** @return the catalog name with every part quoted, as {@code to_regclass} reads it exactly */
    static String regclassText(String catalogName) {
        StringBuilder sb = new StringBuilder();
        for (String part : catalogName.split("\\.", -1)) {
            sb.append(sb.length() == 0 ? "" : ".").append('"').append(part.replace("\"", "\"\"")).append('"');
        }
        return sb.toString();
    }

    private Optional<TableFacts> load(String table) {
        String regclass = regclassText(table);
        // Sizes come from relpages, not pg_total_relation_size(), which opens the table under ACCESS
        // SHARE and would queue planning behind whoever holds ACCESS EXCLUSIVE on it.
        try (PreparedStatement ps = connection.prepareStatement("SELECT c.oid::regclass::text, greatest(c.reltuples, 0)::bigint,"
                + " (SELECT coalesce(sum(r.relpages), 0) FROM pg_class r WHERE r.oid = c.oid OR r.oid = c.reltoastrelid"
                + " OR r.oid IN (SELECT i.indexrelid FROM pg_index i WHERE i.indrelid = c.oid))"
                + " * current_setting('block_size')::bigint,"
                + " (SELECT count(*) FROM pg_index i WHERE i.indrelid = c.oid),"
                + " (SELECT count(*) FROM pg_trigger t WHERE t.tgrelid = c.oid AND NOT t.tgisinternal)"
                + " FROM pg_class c WHERE c.oid = to_regclass(?)")) {
            ps.setString(1, regclass);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                String name = rs.getString(1);
                long rows = rs.getLong(2);
                long size = rs.getLong(3);
                int indexes = rs.getInt(4);
                int triggers = rs.getInt(5);
                return Optional.of(new TableFacts(name, rows, size, indexes, triggers, columns(regclass),
                        provenNotNull(regclass)));
            }
        } catch (SQLException e) {
            throw new LiveFactsException(table, e);
        }
    }

    private Map<String, String> columns(String regclass) throws SQLException {
        Map<String, String> out = new HashMap<>();
        try (PreparedStatement ps = connection.prepareStatement("SELECT attname, format_type(atttypid, atttypmod)"
                + " FROM pg_attribute WHERE attrelid = to_regclass(?) AND attnum > 0 AND NOT attisdropped")) {
            ps.setString(1, regclass);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getString(2));
                }
            }
        }
        return out;
    }

    private Set<String> provenNotNull(String regclass) throws SQLException {
        Set<String> out = new HashSet<>();
        try (PreparedStatement ps = connection.prepareStatement("SELECT pg_get_constraintdef(oid) FROM pg_constraint"
                + " WHERE conrelid = to_regclass(?) AND contype = 'c' AND convalidated")) {
            ps.setString(1, regclass);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Matcher m = NOT_NULL_CHECK.matcher(rs.getString(1));
                    if (m.matches()) {
                        String col = m.group(1);
                        out.add(col.startsWith("\"") ? col.substring(1, col.length() - 1).replace("\"\"", "\"") : col);
                    }
                }
            }
        }
        return out;
    }

    /** The catalog could not be read; unchecked so that it can cross the planner's functional interface. */
    public static final class LiveFactsException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        LiveFactsException(String table, SQLException cause) {
            super("Could not read the catalog facts of " + table + ": " + cause.getMessage(), cause);
        }

        @Override
        public synchronized SQLException getCause() {
            return (SQLException) super.getCause();
        }
    }
}
