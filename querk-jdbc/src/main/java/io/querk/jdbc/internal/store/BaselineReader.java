package io.querk.jdbc.internal.store;

import io.querk.QuerkException;
import io.querk.internal.sqlfile.SqlFileParser;
import io.querk.jdbc.Baseline;
import io.querk.migration.Migration;
import io.querk.sql.Identifier;
import io.querk.sql.QualifiedName;

import java.math.BigInteger;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads another tool's history (Flyway's {@code flyway_schema_history}, Liquibase's
 * {@code databasechangelog}) and says which of Querk's migrations it already applied. Only reads:
 * the other table is never changed.
 */
public final class BaselineReader {

    private BaselineReader() {
    }

    /**
     * @param migrations the configured migrations Querk's own history does not know
     * @return those the baseline covers, in the order given
     * @throws QuerkException if the other history records a failure, or Liquibase holds its lock
     */
    public static List<Migration> covered(Connection c, Baseline baseline, List<Migration> migrations)
            throws SQLException {
        if (migrations.isEmpty()) {
            return List.of();
        }
        return switch (baseline.kind()) {
            case THROUGH -> migrations.stream()
                    .filter(m -> Migration.ID_ORDER.compare(m.id(), baseline.throughId().orElseThrow()) <= 0).toList();
            case FLYWAY -> flyway(c, baseline.table().orElseThrow(), migrations);
            case LIQUIBASE -> liquibase(c, baseline.table().orElseThrow(), migrations);
        };
    }

    private static List<Migration> flyway(Connection c, QualifiedName table, List<Migration> migrations)
            throws SQLException {
        if (!HistoryStore.relationExists(c, table)) {
            return List.of();
        }
        Set<String> applied = new HashSet<>();
        String baselineVersion = null;
        Map<String, String> failed = new HashMap<>();
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT version, type, success, script FROM " + table.sql()
                     + " WHERE version IS NOT NULL ORDER BY installed_rank")) {
            while (rs.next()) {
                String key = SqlFileParser.versionKey(rs.getString(1));
                String type = String.valueOf(rs.getString(2)).toUpperCase(Locale.ROOT);
                if (key == null || type.equals("SCHEMA")) {
                    continue;
                }
                if (!rs.getBoolean(3)) {
                    failed.put(key, rs.getString(4));
                } else if (type.equals("BASELINE")) {
                    baselineVersion = key;
                    failed.remove(key);
                } else if (type.startsWith("UNDO") || type.equals("DELETE")) {
                    applied.remove(key);
                    failed.remove(key);
                } else {
                    applied.add(key);
                    failed.remove(key);
                }
            }
        }
        if (!failed.isEmpty()) {
            Map.Entry<String, String> f = failed.entrySet().iterator().next();
            throw new QuerkException(table + " records Flyway's migration " + f.getKey() + " (" + f.getValue()
                    + ") as failed, so the schema may be half-changed. Fix and repair it with Flyway first"
                    + " (flyway repair), then run Querk again; Querk changed nothing.");
        }
        List<Migration> out = new ArrayList<>();
        for (Migration m : migrations) {
            String key = SqlFileParser.versionKey(m.id());
            if (key != null && (applied.contains(key) || baselineVersion != null && compare(key, baselineVersion) <= 0)) {
                out.add(m);
            }
        }
        return out;
    }

    private static List<Migration> liquibase(Connection c, QualifiedName table, List<Migration> migrations)
            throws SQLException {
        QualifiedName lock = table.sibling(Identifier.of(table.name().name() + "lock"));
        if (HistoryStore.relationExists(c, lock)) {
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT lockedby, lockgranted FROM " + lock.sql() + " WHERE locked")) {
                if (rs.next()) {
                    throw new QuerkException("Liquibase holds its lock (" + lock + ", by " + rs.getString(1) + " since "
                            + rs.getString(2) + "): it is running, or a run of it died. Querk runs after Liquibase:"
                            + " let it finish (or release a stale lock with liquibase release-locks), then run Querk"
                            + " again; Querk changed nothing.");
                }
            }
        }
        if (!HistoryStore.relationExists(c, table)) {
            return List.of();
        }
        Set<String> applied = new HashSet<>();
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id, filename, exectype FROM " + table.sql()
                     + " ORDER BY orderexecuted")) {
            while (rs.next()) {
                String type = String.valueOf(rs.getString(3)).toUpperCase(Locale.ROOT);
                if (type.equals("FAILED")) {
                    throw new QuerkException(table + " records Liquibase's changeset " + rs.getString(1) + " ("
                            + rs.getString(2) + ") as failed. Fix it with Liquibase first, then run Querk again;"
                            + " Querk changed nothing.");
                }
                if (type.equals("EXECUTED") || type.equals("RERAN") || type.equals("MARK_RAN")) {
                    applied.add(rs.getString(1));
                }
            }
        }
        return migrations.stream().filter(m -> applied.contains(m.id())).toList();
    }

    /** Compares two version keys part by part as numbers, as Flyway orders versions. */
    private static int compare(String a, String b) {
        String[] x = a.split("\\.");
        String[] y = b.split("\\.");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            BigInteger p = i < x.length ? new BigInteger(x[i]) : BigInteger.ZERO;
            BigInteger q = i < y.length ? new BigInteger(y[i]) : BigInteger.ZERO;
            int c = p.compareTo(q);
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }
}
